package io.k9p.demo;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Kubernetes API server in this process, over plain HTTP on 127.0.0.1 (or HTTPS,
 * {@link #startHttps()}): fabric8's CRUD-mode mock server keeps the objects, and this server adds
 * what a client needs from a real one (discovery of every built-in type and of CRDs as they are
 * created, the {@code scale} subresource, {@code pods/log} from a {@link LogStore}, Status errors,
 * watches from a resourceVersion, HTTP streaming watches, bearer tokens, impersonation and
 * authorization by an {@link AccessPolicy}, TokenReviews and SubjectAccessReviews). kubectl and
 * fabric8's client work against it.
 *
 * <pre>{@code
 * try (ApiServer server = ApiServer.start()) {
 *     server.client().namespaces().resource(...).create();
 *     server.logs().set("default", "web", "nginx", "started\n");
 *     server.writeKubeconfig(Path.of("kubeconfig"));
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {
    /** The Kubernetes version the server reports at /version. */
    public static final String KUBERNETES_VERSION = "v1.32.0";

    private static final String HOST = "127.0.0.1";

    /** Which certificate an HTTPS server presents, as a client that trusts {@link #caCertificate()} sees it. */
    public enum Certificate {
        /** Valid, for the server's address (and localhost). */
        VALID,
        /** Valid, but for another name and address (apiserver.example, 192.0.2.1): a name mismatch. */
        FOR_ANOTHER_NAME,
        /** For the server's address, issued by the CA a client trusts, but expired a day ago. */
        EXPIRED
    }

    private final LogStore logs;
    private final ApiDispatcher dispatcher;
    /** The certificate served over HTTPS; null over plain HTTP. */
    private final TlsCertificate tls;
    private final HttpFront front;
    private final String url;
    private KubernetesClient client;

    /** @param certificate what HTTPS presents; null for plain HTTP */
    private ApiServer(int port, Certificate certificate) {
        this.logs = new LogStore();
        this.dispatcher = new ApiDispatcher(logs, version(), AccessPolicy.demo());
        this.tls = certificate == null ? null : TlsCertificate.generate(HOST, certificate);
        try {
            this.front = HttpFront.start(HOST, port, dispatcher, logs, tls == null ? null : tls.keyCertOptions());
        } catch (RuntimeException e) {
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
        this.url = (tls != null ? "https://" : "http://") + HOST + ":" + front.port();
    }

    /** Starts a server on a free port. */
    public static ApiServer start() {
        return new ApiServer(0, null);
    }

    /**
     * Starts a server on a free port that speaks HTTPS only, as a real API server does, with a
     * self-signed certificate for 127.0.0.1 made at start: {@link #caCertificate()} is the file a
     * client trusts, as a pod's service account {@code ca.crt}.
     */
    public static ApiServer startHttps() {
        return startHttps(Certificate.VALID);
    }

    /** {@link #startHttps()} presenting a certificate a client rejects (or not): for tests of what clients say. */
    public static ApiServer startHttps(Certificate certificate) {
        return new ApiServer(0, certificate);
    }

    /** Starts a server on the given port of 127.0.0.1 (0 picks a free one). */
    public static ApiServer start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return new ApiServer(port, null);
    }

    /** The server's base URL, {@code http://127.0.0.1:PORT} ({@code https://} for {@link #startHttps()}). */
    public String url() {
        return url;
    }

    public int port() {
        return front.port();
    }

    /** The PEM file of the certificate an HTTPS server serves, to trust as its CA; empty over HTTP. */
    public Optional<Path> caCertificate() {
        return tls == null ? Optional.empty() : Optional.of(tls.certificate());
    }

    /**
     * The bearer tokens that requests have carried so far ({@code Authorization: Bearer TOKEN}),
     * each once; the server checks none of them.
     */
    public Set<String> bearerTokensSeen() {
        return front.authorizations().stream()
                .filter(header -> header.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(header -> header.substring(7).strip())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** A client of this server (namespace "default"), made on first use and closed with the server. */
    public synchronized KubernetesClient client() {
        if (client == null) {
            Config config = new ConfigBuilder(Config.empty())
                    .withMasterUrl(url)
                    .withNamespace("default")
                    .withHttp2Disable(true)
                    .withCaCertFile(tls == null ? null : tls.certificate().toString())
                    .build();
            client = new KubernetesClientBuilder().withConfig(config).build();
        }
        return client;
    }

    /**
     * How many HTTP requests this server has received since it started, including its own
     * {@link #client()}'s: each watch and each followed log counts once, when it is opened.
     */
    public long requestCount() {
        return front.requestCount();
    }

    /**
     * {@link #requestCount()} by method and kind of path, sorted: {@code "GET collection"} (lists),
     * {@code "GET watch"}, {@code "GET object"}, {@code "POST collection"}, {@code "PUT object"},
     * subresources such as {@code "GET log"} and {@code "PUT scale"}, and {@code "GET discovery"}
     * for every path that names no resource (discovery, version, health, OpenAPI).
     */
    public Map<String, Long> requestCounts() {
        return front.requestCounts();
    }

    /**
     * How many requests other than reads this server has received for one object, its creation and
     * subresources included, failed ones too: what a test counts to know that one save was one update.
     *
     * @param objectPath the object's API path, such as {@code /api/v1/namespaces/default/configmaps/settings}
     */
    public long writesTo(String objectPath) {
        return dispatcher.writesTo(objectPath);
    }

    /**
     * The requests of one kind (as {@link #requestCounts()} names them) at one path, without its
     * query: {@code requestCount("GET collection", "/apis/apps/v1/deployments")} counts the lists of
     * deployments in every namespace.
     */
    public long requestCount(String kind, String path) {
        return front.requestCount(kind, path);
    }

    /**
     * Who may do what here: requests without credentials are the admin's and may do anything; a
     * bearer token or impersonation headers make a request a subject's, which the policy authorizes.
     */
    public AccessPolicy policy() {
        return dispatcher.access().policy();
    }

    /** Every request received so far as a subject other than the admin, in arrival order. */
    public List<SubjectRequest> subjectRequests() {
        return dispatcher.access().subjectRequests();
    }

    /** How many TokenReviews this server has answered. */
    public long tokenReviews() {
        return dispatcher.reviews().tokenReviews();
    }

    /** How many SubjectAccessReviews this server has answered. */
    public long subjectAccessReviews() {
        return dispatcher.reviews().subjectAccessReviews();
    }

    /** How many watches of one collection path (without its query) are open now: {@code /api/v1/configmaps}. */
    public int openWatches(String path) {
        return dispatcher.journal().open(path);
    }

    /** How many watches this server has served as HTTP streams, the rest being WebSockets. */
    public long streamedWatches() {
        return front.streamedWatches();
    }

    /** How many watches are open now, over WebSocket and HTTP streaming together. */
    public int openWatches() {
        return dispatcher.journal().open();
    }

    /** The failures this server can be made to have, as real API servers have them. */
    public ApiFaults faults() {
        return front.faults();
    }

    /** The containers' logs this server serves. */
    public LogStore logs() {
        return logs;
    }

    /** Writes a kubeconfig file whose current context is this server, for kubectl and {@code k9p serve}. */
    public void writeKubeconfig(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: k9p-demo
                  cluster:
                    server: %s%s
                users:
                - name: k9p-demo
                  user: {}
                contexts:
                - name: k9p-demo
                  context:
                    cluster: k9p-demo
                    user: k9p-demo
                    namespace: default
                current-context: k9p-demo
                preferences: {}
                """.formatted(url, tls == null ? "" : "\n    certificate-authority: " + tls.certificate()));
    }

    /** Stops the server, its open watches and log streams, and the client. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        front.close();
        if (tls != null) {
            tls.close();
        }
    }

    private static ObjectNode version() {
        ObjectNode version = ApiResponses.object();
        String[] numbers = KUBERNETES_VERSION.substring(1).split("\\.");
        version.put("major", numbers[0]);
        version.put("minor", numbers[1]);
        version.put("gitVersion", KUBERNETES_VERSION);
        version.put("gitCommit", "0000000000000000000000000000000000000000");
        version.put("gitTreeState", "clean");
        version.put("buildDate", "2025-01-01T00:00:00Z");
        version.put("goVersion", "go1.23.0");
        version.put("compiler", "gc");
        version.put("platform", "linux/amd64");
        return version;
    }
}
