package io.k9p.kube.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;

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
        KubernetesClientException api = find(failure);
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

    private static KubernetesClientException find(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof KubernetesClientException api) {
                return api;
            }
        }
        return null;
    }

    /** The root cause of a failure, in words: Java names several failures of a connection only by their class. */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return switch (root) {
            case ConnectException e -> "connection refused";
            case ClosedChannelException e -> "the connection was closed";
            case UnresolvedAddressException e -> "unknown host";
            case HttpTimeoutException e -> "no answer in time";
            default -> root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        };
    }
}
