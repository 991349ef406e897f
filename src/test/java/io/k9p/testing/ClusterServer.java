package io.k9p.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k9p.auth.UserMap;
import io.k9p.demo.ApiServer;
import io.k9p.demo.DemoCluster;
import io.k9p.kube.KubeFileSystem;
import io.k9p.kube.cluster.Cluster;
import io.k9p.kube.cluster.DeletionGuard;
import io.k9p.net.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * k9p serving a real HTTP API server (the demo's, in CRUD mode) on a free loopback port, the way
 * {@code k9p serve --kubeconfig} does: through a kubeconfig file.
 */
public final class ClusterServer implements AutoCloseable {
    public final ApiServer api;
    public final KubernetesClient kube;
    public final Path kubeconfig;
    public final KubeFileSystem fileSystem;
    public final Endpoint endpoint;
    private final List<NinePServer> servers = new ArrayList<>();

    /** How k9p's client watches: fabric8 asks for a WebSocket first; some proxies and balancers allow only HTTP. */
    public enum Watches { WEBSOCKET, HTTP_STREAMING }

    private ClusterServer(ApiServer api, DeletionGuard.Limit deletions, Duration cacheIdle, Watches watches)
            throws IOException {
        this.api = api;
        this.kube = api.client();
        this.kubeconfig = Files.createTempFile("k9p-test", ".kubeconfig");
        api.writeKubeconfig(kubeconfig);
        KubeFileSystem.ClientFactory clients = KubeFileSystem.kubeconfig(kubeconfig);
        this.fileSystem = new KubeFileSystem(watches == Watches.WEBSOCKET ? clients : context -> {
            KubernetesClient client = clients.create(context);
            Config http = new ConfigBuilder(client.getConfiguration()).withOnlyHttpWatches(true).build();
            client.close();
            return new KubernetesClientBuilder().withConfig(http).build();
        }, null, deletions, cacheIdle);
        this.endpoint = listen(false);
    }

    /** The demo cluster, seeded. */
    public static ClusterServer demo() throws IOException {
        return demo(DeletionGuard.Limit.DEFAULT);
    }

    /** The demo cluster, seeded, served with that stop on bursts of deletions. */
    public static ClusterServer demo(DeletionGuard.Limit deletions) throws IOException {
        return new ClusterServer(DemoCluster.start(0), deletions, Cluster.DEFAULT_CACHE_IDLE, Watches.WEBSOCKET);
    }

    /** The demo cluster, seeded, served as {@code k9p serve --cache-idle} does, k9p's watches made as told. */
    public static ClusterServer demo(Duration cacheIdle, Watches watches) throws IOException {
        return new ClusterServer(DemoCluster.start(0), DeletionGuard.Limit.DEFAULT, cacheIdle, watches);
    }

    /** An API server the caller fills; closed with this. */
    public static ClusterServer of(ApiServer api) throws IOException {
        return new ClusterServer(api, DeletionGuard.Limit.DEFAULT, Cluster.DEFAULT_CACHE_IDLE, Watches.WEBSOCKET);
    }

    /** Serves the same tree on another free port, optionally refusing every change. */
    public Endpoint listen(boolean readOnly) throws IOException {
        return listen(Endpoint.parse("127.0.0.1:0"), new ServerConfig(fileSystem, ServerConfig.DEFAULT_MAX_MSIZE,
                ServerConfig.DEFAULT_MAX_FIDS, readOnly));
    }

    /**
     * Serves the same tree at {@code where} as {@code k9p serve --user-map} does, and with
     * {@code --auth token} when {@code tokens}: tokens checked by TokenReviews of the API server.
     */
    public Endpoint listen(Endpoint where, UserMap users, boolean tokens) throws IOException {
        return listen(where, ServerConfig.defaults(fileSystem).admitting(users, tokens ? fileSystem.tokenReviews() : null));
    }

    private Endpoint listen(Endpoint where, ServerConfig config) throws IOException {
        NinePServer server = new NinePServer(config);
        servers.add(server);
        return server.listen(where);
    }

    /** The requests so far that deleted an object or changed one, as removing a key does. */
    public long deletingRequests() {
        Map<String, Long> counts = api.requestCounts();
        return counts.getOrDefault("DELETE object", 0L) + counts.getOrDefault("PUT object", 0L)
                + counts.getOrDefault("PATCH object", 0L);
    }

    public int port() {
        return ((Endpoint.Tcp) endpoint).port();
    }

    public PathClient attach() throws IOException {
        return PathClient.attach(endpoint, "");
    }

    @Override
    public void close() {
        servers.forEach(NinePServer::close);
        fileSystem.close();
        api.close();
    }
}
