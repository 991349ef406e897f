package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The question a server asks the API server before it says it is ready: the root of discovery
 * ({@code GET /api}), as the identity k9p acts with. Every tree starts with discovery, so a
 * cluster that cannot answer it could serve nothing; and unlike {@code /version}, which a real
 * API server answers to anyone, it needs credentials the server accepts. A failure becomes one
 * line that names the URL and the context, and says which of the usual causes it is.
 */
public final class ClusterCheck {
    /** Beyond fabric8's own timeouts (10 s to connect, 10 s per request), in case both run out. */
    private static final long BOUND_SECONDS = 30;

    private ClusterCheck() {
    }

    /** Returns when the API server answers discovery; else throws with the one line that says why. */
    public static void check(Cluster cluster) throws FsException {
        KubernetesClient client = cluster.client();
        String url = client.getMasterUrl().toString();
        String where = "the API server at " + url + contextOf(cluster, client);
        HttpRequest request = client.getHttpClient().newHttpRequestBuilder()
                .uri(URLUtils.join(url, "api")).build();
        HttpResponse<String> response;
        try {
            response = client.getHttpClient().sendAsync(request, String.class).get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw unreachable(where, url, e.getCause());
        } catch (TimeoutException e) {
            throw new FsException(Errno.EIO, "cannot reach " + where + ": no answer in " + BOUND_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EINTR, "interrupted while asking " + where, e);
        }
        int code = response.code();
        if (code >= 200 && code < 300) {
            return;
        }
        String status = code + " " + Errors.reason(code) + statusMessage(client, response.body(), Errors.reason(code));
        throw switch (code) {
            case 401 -> new FsException(Errno.EACCES, where + " refused the credentials: " + status);
            case 403 -> new FsException(Errno.EACCES, where + " forbids discovery (GET /api) to the credentials: " + status);
            default -> new FsException(Errno.EIO, where + " answered discovery (GET /api) with " + status);
        };
    }

    /** " (context NAME)", or what else says where the configuration came from. */
    private static String contextOf(Cluster cluster, KubernetesClient client) {
        var current = client.getConfiguration().getCurrentContext();
        if (current != null && current.getName() != null) {
            return " (context " + current.getName() + ")";
        }
        return cluster.context().isEmpty() ? " (the pod's service account)" : " (context " + cluster.context() + ")";
    }

    /** Connection refused, a name that does not resolve, a certificate that is not trusted, ... */
    private static FsException unreachable(String where, String url, Throwable failure) {
        SSLException tls = Errors.find(failure, SSLException.class);
        if (tls != null) {
            return new FsException(Errno.EIO, "TLS with " + where + " failed: " + certificateProblem(tls, url), failure);
        }
        return new FsException(Errno.EIO, "cannot reach " + where + ": " + unreachableBecause(url, failure), failure);
    }

    /** Why a request to the API server at {@code url} got no answer: refused, a name that does not resolve, ... */
    static String unreachableBecause(String url, Throwable failure) {
        ConnectException refused = Errors.find(failure, ConnectException.class);
        if (Errors.find(failure, UnresolvedAddressException.class) != null
                || Errors.find(failure, UnknownHostException.class) != null) {
            return "the host " + URI.create(url).getHost() + " does not resolve";
        } else if (Errors.find(failure, HttpTimeoutException.class) != null) {
            return "no answer in time (" + Errors.describe(failure) + ")";
        } else if (refused != null) {
            // The JDK's client gives no message for a refused connection (its cause is a ClosedChannelException).
            String message = refused.getMessage();
            return message == null || message.isBlank() || message.toLowerCase(Locale.ROOT).contains("refused")
                    ? "connection refused" : message;
        }
        return Errors.describe(failure);
    }

    /** Which of the usual certificate problems the handshake met, in the words a user acts on. */
    private static String certificateProblem(SSLException tls, String url) {
        CertificateExpiredException expired = Errors.find(tls, CertificateExpiredException.class);
        if (expired != null) {
            return "its certificate has expired (" + expired.getMessage() + ")";
        }
        CertificateNotYetValidException early = Errors.find(tls, CertificateNotYetValidException.class);
        if (early != null) {
            return "its certificate is not valid yet (" + early.getMessage() + ")";
        }
        String message = Errors.describe(tls);
        if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
            return "its certificate is not for " + URI.create(url).getHost() + ", the name the kubeconfig uses"
                    + " (name mismatch: " + message + ")";
        }
        if (Errors.find(tls, CertPathBuilderException.class) != null
                || Errors.find(tls, CertPathValidatorException.class) != null) {
            return "its certificate is not signed by a CA the kubeconfig trusts (unknown CA: see the kubeconfig's"
                    + " certificate-authority or certificate-authority-data)";
        }
        return message;
    }

    private static String statusMessage(KubernetesClient client, String body, String reason) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            Status status = client.getKubernetesSerialization().unmarshal(body, Status.class);
            String message = status.getMessage();
            return message == null || message.isBlank() || message.equals(reason) ? "" : ": " + message;
        } catch (RuntimeException e) {
            return "";
        }
    }

}
