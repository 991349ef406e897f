package io.k9p.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k9p.fs.FsException;
import io.k9p.fs.NodeIds;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything k9p keeps for one kubeconfig context, shared by every attach that names it: the
 * client, discovery, the watch-backed object cache, node ids, last errors and editors' scratch
 * files.
 */
final class Cluster implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());

    final String context;
    final KubernetesClient client;
    final Discovery discovery;
    final ObjectCache cache;
    final NodeIds ids;
    final LastErrors errors = new LastErrors();
    final Scratch scratch = new Scratch();
    final ObjectWriter writer = new ObjectWriter(this);
    final Renderings renderings = new Renderings(this);
    final ShortLivedCache logs = new ShortLivedCache(Duration.ofSeconds(2));
    final WatchHub watches = new WatchHub(this);
    final Instant started = Instant.now();
    final ResourceType namespaces;
    final ResourceType events;
    private final ResourceType crds;

    Cluster(String context, KubernetesClient client, NodeIds ids) {
        this.context = context;
        this.client = client;
        this.cache = new ObjectCache(client);
        this.discovery = new Discovery(client, this::crdSignature);
        this.ids = ids;
        this.namespaces = new ResourceType("", "v1", "namespaces", "Namespace", false, false, false, "namespaces");
        this.events = new ResourceType("", "v1", "events", "Event", true, false, false, "events");
        this.crds = new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                "CustomResourceDefinition", false, false, false, "customresourcedefinitions");
        cache.index(events, Events.BY_OBJECT, Events::involvedObjectKeys);
    }

    KubernetesSerialization serialization() {
        return client.getKubernetesSerialization();
    }

    /** The stable id of a node, by a key that names what it shows. */
    long id(String key) {
        return ids.of(context + "|" + key);
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

    @Override
    public void close() {
        watches.closeAll();
        cache.close();
        client.close();
    }
}
