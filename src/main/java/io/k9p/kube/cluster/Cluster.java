package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k9p.fs.FsException;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.List;

/**
 * Access to the cluster of one kubeconfig context, shared by every attach that names it: the
 * client, discovery, the watch-backed object cache, writes, logs, watches and last errors.
 */
public final class Cluster implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());

    private final String context;
    private final KubernetesClient client;
    private final Discovery discovery;
    private final ObjectCache cache;
    private final LastErrors errors = new LastErrors();
    private final ObjectWriter writer = new ObjectWriter(this);
    private final PodLogs logs = new PodLogs(this);
    private final WatchHub watches = new WatchHub(this);
    private final ResourceType namespaces;
    private final ResourceType events;
    private final ResourceType crds;

    public Cluster(String context, KubernetesClient client) {
        this.context = context;
        this.client = client;
        this.cache = new ObjectCache(client);
        this.discovery = new Discovery(client, this::crdSignature);
        this.namespaces = new ResourceType("", "v1", "namespaces", "Namespace", false, false, false, "namespaces");
        this.events = new ResourceType("", "v1", "events", "Event", true, false, false, "events");
        this.crds = new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                "CustomResourceDefinition", false, false, false, "customresourcedefinitions");
        cache.index(events, Events.BY_OBJECT, Events::involvedObjectKeys);
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

    public ObjectWriter writer() {
        return writer;
    }

    public PodLogs logs() {
        return logs;
    }

    public WatchHub watches() {
        return watches;
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

    /** Records a failed change where the object's {@code error} file shows it, and logs it. */
    public FsException fail(String where, FsException failure) {
        errors.record(where, failure.getMessage());
        LOG.log(Level.WARNING, "{0}: {1}", context.isEmpty() ? "k9p" : context, failure.getMessage());
        return failure;
    }

    void succeeded(String where) {
        errors.clear(where);
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

    /** The last failed change at a place, with its time, or nothing. */
    public String lastError(String where) {
        return errors.get(where);
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
        watches.closeAll();
        cache.close();
        client.close();
    }
}
