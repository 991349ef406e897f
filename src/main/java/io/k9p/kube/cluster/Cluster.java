package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k9p.auth.Authenticator;
import io.k9p.auth.Identity;
import io.k9p.fs.FsException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster of one kubeconfig context, shared by every attach that names it: the server's own
 * client, discovery and the watch-backed object cache, and each identity's {@link Access} to them.
 */
public final class Cluster implements AutoCloseable {
    /** How long a type's watch is kept when nobody uses the type (--cache-idle). */
    public static final Duration DEFAULT_CACHE_IDLE = Duration.ofMinutes(10);
    private static final String REQUESTS = "k9p-requests";

    private final String context;
    private final KubernetesClient client;
    private final ApiRequests requests;
    private final Discovery discovery;
    private final ObjectCache cache;
    private final Access owner;
    private final Map<Identity.User, Access> users = new ConcurrentHashMap<>();
    private final ResourceType namespaces;
    private final ResourceType events;
    private final ResourceType crds;
    private final DeletionGuard.Limit deletionLimit;

    /**
     * @param client a client of the context; the cluster makes its own from its configuration,
     *     one whose requests it sees, and closes this one
     * @param deletionLimit how many deletions through the tree each identity may make at once
     * @param cacheIdle how long a type's watch is kept while nobody uses the type
     */
    public Cluster(String context, KubernetesClient client, DeletionGuard.Limit deletionLimit, Duration cacheIdle) {
        this.context = context;
        this.requests = new ApiRequests(client.getConfiguration().getMasterUrl());
        this.client = observed(new ConfigBuilder(client.getConfiguration()).build());
        client.close();
        this.deletionLimit = deletionLimit;
        this.cache = new ObjectCache(this.client, requests, cacheIdle);
        this.discovery = new Discovery(this.client, this::crdSignature);
        this.namespaces = new ResourceType("", "v1", "namespaces", "Namespace", false, false, false, "namespaces");
        this.events = new ResourceType("", "v1", "events", "Event", true, false, false, "events");
        this.crds = new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                "CustomResourceDefinition", false, false, false, "customresourcedefinitions");
        cache.index(events, Events.BY_OBJECT, Events::involvedObjectKeys);
        this.owner = new Access(this, Identity.OWNER, this.client, null);
    }

    /**
     * An identity's access: the owner's acts with the server's client; a user's with a client that
     * impersonates it, made on its first attach and kept while the server runs.
     */
    public Access access(Identity identity) {
        return switch (identity) {
            case Identity.Owner o -> owner;
            case Identity.User user -> users.computeIfAbsent(user, this::impersonating);
        };
    }

    private Access impersonating(Identity.User user) {
        KubernetesClient acting = observed(new ConfigBuilder(client.getConfiguration())
                .withImpersonateUsername(user.name())
                .withImpersonateGroups(user.groups().toArray(String[]::new))
                .build());
        return new Access(this, user, acting, new AccessReviews(client, user));
    }

    /** A client whose every request, retries included, {@link ApiRequests} sees. */
    private KubernetesClient observed(Config config) {
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor(REQUESTS, requests))
                .build();
    }

    /** How many deletions through the tree each identity may make at once. */
    DeletionGuard.Limit deletionLimit() {
        return deletionLimit;
    }

    /** Checks tokens with TokenReviews, as the server's own client. */
    public Authenticator tokenReviews() {
        return new TokenReviews(client);
    }

    /** Upstream watches open for stream files, every identity's together. */
    public int openWatches() {
        return owner.watches().open() + users.values().stream().mapToInt(access -> access.watches().open()).sum();
    }

    /** The kubeconfig context's name; empty for the current one. */
    public String context() {
        return context;
    }

    KubernetesClient client() {
        return client;
    }

    public Discovery discovery() {
        return discovery;
    }

    public ObjectCache cache() {
        return cache;
    }

    /** The core type of namespaces. */
    public ResourceType namespaces() {
        return namespaces;
    }

    /** The core type of events, whose cache is indexed by the object each event involves. */
    public ResourceType events() {
        return events;
    }

    public KubernetesSerialization serialization() {
        return client.getKubernetesSerialization();
    }

    /** The CRDs' names and versions from their watch; null where CRDs cannot be listed. */
    private String crdSignature() {
        try {
            StringBuilder signature = new StringBuilder();
            for (GenericKubernetesResource crd : cache.list(crds, null)) {
                signature.append(crd.getMetadata().getUid()).append('@')
                        .append(crd.getMetadata().getResourceVersion()).append(' ');
            }
            return signature.toString();
        } catch (FsException e) {
            return null;
        }
    }

    public List<GenericKubernetesResource> namespaceObjects() throws FsException {
        return cache.list(namespaces, null);
    }

    /** The events that involve an object, from the events cache. */
    public Collection<GenericKubernetesResource> eventsInvolving(GenericKubernetesResource object) throws FsException {
        return Events.involving(this, object);
    }

    @Override
    public void close() {
        owner.close();
        users.values().forEach(Access::close);
        cache.close();
        client.close();
    }
}
