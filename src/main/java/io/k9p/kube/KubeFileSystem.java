package io.k9p.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k9p.fs.Directory;
import io.k9p.fs.FileSystem;
import io.k9p.fs.FsException;
import io.k9p.fs.NodeIds;
import io.k9p.kube.cluster.Cluster;
import io.k9p.kube.tree.KubeTree;
import io.k9p.protocol.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes clusters as a filesystem: the attach's aname names the kubeconfig context (empty for
 * the current one), and every attach of one context shares one {@link Cluster} (one client, one
 * discovery, one watch per type) and one {@link KubeTree} over it.
 */
public final class KubeFileSystem implements FileSystem, AutoCloseable {
    /** Makes a client for a context; null means the kubeconfig's current context. */
    public interface ClientFactory {
        KubernetesClient create(String context) throws FsException;
    }

    private static final int RETRIES = 2;
    private static final int RETRY_INTERVAL_MS = 200;

    private final ClientFactory clients;
    private final String defaultContext;
    private final NodeIds ids = new NodeIds(1L << 40);
    private final Map<String, Context> contexts = new ConcurrentHashMap<>();

    /** What the attaches of one context share. */
    private record Context(Cluster cluster, KubeTree tree) {}

    public KubeFileSystem(ClientFactory clients, String defaultContext) {
        this.clients = clients;
        this.defaultContext = defaultContext == null ? "" : defaultContext;
    }

    /**
     * Clients from a kubeconfig file, or, when none is given, as kubectl finds one: $KUBECONFIG,
     * ~/.kube/config, or the service account of the pod k9p runs in.
     */
    public static ClientFactory kubeconfig(Path kubeconfig) {
        return context -> {
            Config config;
            try {
                config = kubeconfig == null
                        ? Config.autoConfigure(context)
                        : Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
            } catch (IOException e) {
                throw new FsException(Errno.EIO, "cannot read " + kubeconfig + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new FsException(Errno.ENOENT, "no usable kubeconfig context "
                        + (context == null ? "(current)" : context) + ": " + e.getMessage(), e);
            }
            if (context != null && !context.equals(config.getCurrentContext() == null
                    ? null : config.getCurrentContext().getName())) {
                throw new FsException(Errno.ENOENT, "no kubeconfig context " + context);
            }
            // fabric8 retries a failed request ten times with exponential backoff by default, which
            // would leave a write(2) hanging for minutes while the API server is away.
            config.setRequestRetryBackoffLimit(RETRIES);
            config.setRequestRetryBackoffInterval(RETRY_INTERVAL_MS);
            return new KubernetesClientBuilder().withConfig(config).build();
        };
    }

    @Override
    public Directory attach(String user, String aname) throws FsException {
        String context = aname == null || aname.isEmpty() ? defaultContext : aname;
        Context shared = contexts.get(context);
        if (shared == null) {
            synchronized (contexts) {
                shared = contexts.get(context);
                if (shared == null) {
                    Cluster cluster = new Cluster(context, clients.create(context.isEmpty() ? null : context));
                    shared = new Context(cluster, new KubeTree(cluster, ids));
                    contexts.put(context, shared);
                }
            }
        }
        return shared.tree().root();
    }

    /** Upstream watches open for stream files, across clusters: none once their readers are gone. */
    public int openWatches() {
        return contexts.values().stream().mapToInt(shared -> shared.cluster().watches().open()).sum();
    }

    @Override
    public void close() {
        contexts.values().forEach(shared -> shared.cluster().close());
        contexts.clear();
    }
}
