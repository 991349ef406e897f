package io.k9p.kube;

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
final class Cluster implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());

    final String context;
    final KubernetesClient client;
    final Discovery discovery;
    final ObjectCache cache;
    final LastErrors errors = new LastErrors();
    final ObjectWriter writer = new ObjectWriter(this);
    final PodLogs logs = new PodLogs(this);
    final WatchHub watches = new WatchHub(this);
    final ResourceType namespaces;
    final ResourceType events;
    private final ResourceType crds;

    Cluster(String context, KubernetesClient client) {
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

    KubernetesSerialization serialization() {
        return client.getKubernetesSerialization();
    }

    /** Records a failed change where the object's {@code error} file shows it, and logs it. */
    FsException fail(String where, FsException failure) {
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

    List<GenericKubernetesResource> namespaceObjects() throws FsException {
        return cache.list(namespaces, null);
    }

    /** The events that involve an object, from the events cache. */
    Collection<GenericKubernetesResource> eventsInvolving(GenericKubernetesResource object) throws FsException {
        return Events.involving(this, object);
    }

    @Override
    public void close() {
        watches.closeAll();
        cache.close();
        client.close();
    }
}
