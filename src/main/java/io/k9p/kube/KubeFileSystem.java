package io.k9p.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.k9p.auth.Authenticator;
import io.k9p.auth.Identity;
import io.k9p.fs.Directory;
import io.k9p.fs.FileSystem;
import io.k9p.fs.FsException;
import io.k9p.fs.NodeIds;
import io.k9p.kube.cluster.Cluster;
import io.k9p.kube.cluster.DeletionGuard;
import io.k9p.kube.tree.KubeTree;
import io.k9p.protocol.Errno;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes clusters as a filesystem: the attach's aname names the kubeconfig context (empty for
 * the current one), and every attach of one context shares one {@link Cluster} (one client, one
 * discovery, one watch per type). Each identity has its own {@link KubeTree} over it, acting as
 * that identity.
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
    private final DeletionGuard.Limit deletions;
    private final Duration cacheIdle;
    private final NodeIds ids = new NodeIds(1L << 40);
    private final Map<String, Context> contexts = new ConcurrentHashMap<>();

    /** What the attaches of one context share: the cluster, and each identity's tree of it. */
    private record Context(Cluster cluster, KubeTree owner, Map<Identity, KubeTree> trees) {
        KubeTree tree(Identity identity) {
            return identity instanceof Identity.Owner
                    ? owner
                    : trees.computeIfAbsent(identity, user -> owner.as(cluster.access(user)));
        }
    }

    public KubeFileSystem(ClientFactory clients, String defaultContext) {
        this(clients, defaultContext, DeletionGuard.Limit.DEFAULT, Cluster.DEFAULT_CACHE_IDLE);
    }

    /**
     * @param deletions how many deletions through the tree each identity may make at once before they stop
     * @param cacheIdle how long a type's watch and objects are kept while nobody reads the type
     */
    public KubeFileSystem(ClientFactory clients, String defaultContext, DeletionGuard.Limit deletions,
            Duration cacheIdle) {
        this.clients = clients;
        this.defaultContext = defaultContext == null ? "" : defaultContext;
        this.deletions = deletions;
        this.cacheIdle = cacheIdle;
    }

    /**
     * Clients from a kubeconfig file, or, when none is given, as kubectl finds one: $KUBECONFIG,
     * ~/.kube/config, or the service account of the pod k9p runs in.
     */
    public static ClientFactory kubeconfig(Path kubeconfig) {
        return context -> {
            Config config = config(kubeconfig, context);
            // fabric8 retries a failed request ten times with exponential backoff by default, which
            // would leave a write(2) hanging for minutes while the API server is away.
            config.setRequestRetryBackoffLimit(RETRIES);
            config.setRequestRetryBackoffInterval(RETRY_INTERVAL_MS);
            return new KubernetesClientBuilder().withConfig(config).build();
        };
    }

    /**
     * The bearer token of the kubeconfig's current context (found as {@link #kubeconfig} finds
     * it), or null where it has none or there is no kubeconfig.
     */
    public static String token(Path kubeconfig) {
        try {
            Config config = config(kubeconfig, null);
            String token = config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
            return token == null || token.isBlank() ? null : token;
        } catch (FsException e) {
            return null;
        }
    }

    private static Config config(Path kubeconfig, String context) throws FsException {
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
        return config;
    }

    @Override
    public Directory attach(Identity identity, String aname) throws FsException {
        return context(aname == null || aname.isEmpty() ? defaultContext : aname).tree(identity).root();
    }

    /**
     * Checks tokens with TokenReviews against the cluster of the default context, the one whose
     * users the tokens are.
     */
    public Authenticator tokenReviews() {
        return token -> {
            Optional<Identity.User> user;
            try {
                user = context(defaultContext).cluster().tokenReviews().authenticate(token);
            } catch (FsException e) {
                throw new IOException(e.getMessage(), e);
            }
            return user;
        };
    }

    private Context context(String context) throws FsException {
        Context shared = contexts.get(context);
        if (shared == null) {
            synchronized (contexts) {
                shared = contexts.get(context);
                if (shared == null) {
                    Cluster cluster = new Cluster(context, clients.create(context.isEmpty() ? null : context),
                            deletions, cacheIdle);
                    shared = new Context(cluster, new KubeTree(cluster, ids), new ConcurrentHashMap<>());
                    contexts.put(context, shared);
                }
            }
        }
        return shared;
    }

    /** Upstream watches open for stream files, across clusters: none once their readers are gone. */
    public int openWatches() {
        return contexts.values().stream().mapToInt(shared -> shared.cluster().openWatches()).sum();
    }

    @Override
    public void close() {
        contexts.values().forEach(shared -> shared.cluster().close());
        contexts.clear();
    }
}
