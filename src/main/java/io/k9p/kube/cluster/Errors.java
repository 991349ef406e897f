package io.k9p.kube.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;

/** Turns what the API server (or the way to it) said into the errno a program sees. */
final class Errors {
    /**
     * The errno of a write based on a stale read (409 Conflict): the file handle's view of the
     * object is stale, which is what ESTALE says.
     */
    static final Errno CONFLICT = Errno.ESTALE;

    private Errors() {
    }

    static FsException of(String operation, Throwable failure) {
        if (failure instanceof FsException fs) {
            return fs;
        }
        KubernetesClientException api = find(failure, KubernetesClientException.class);
        if (api == null) {
            Errno errno = failure instanceof InterruptedException ? Errno.EINTR : Errno.EIO;
            return new FsException(errno, operation + ": " + describe(failure), failure);
        }
        String reason = api.getStatus() == null ? null : api.getStatus().getReason();
        String message = api.getStatus() != null && api.getStatus().getMessage() != null
                ? api.getStatus().getMessage()
                : describe(api);
        Errno errno = switch (api.getCode()) {
            case 400, 422 -> Errno.EINVAL;
            case 401, 403 -> Errno.EACCES;
            case 404, 410 -> Errno.ENOENT;
            case 405 -> Errno.EOPNOTSUPP;
            case 409 -> "AlreadyExists".equals(reason) ? Errno.EEXIST : CONFLICT;
            case 413 -> Errno.EFBIG;
            default -> Errno.EIO;
        };
        return new FsException(errno, operation + ": " + message, failure);
    }

    /** The HTTP status the API server answered a failed request with; 0 when it did not answer. */
    static int code(Throwable failure) {
        KubernetesClientException api = find(failure, KubernetesClientException.class);
        return api == null ? 0 : api.getCode();
    }

    /** The first of a failure's causes (itself included) of a type, or null. */
    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /** The root cause's message, or its class's name when it has none. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The reason phrase of an HTTP status code, as the API server and what stands before it send it; "" if unusual. */
    static String reason(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 410 -> "Gone";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
