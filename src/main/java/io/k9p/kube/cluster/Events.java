package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.FsException;
import io.k9p.kube.render.Fields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The events that involve an object, from the shared events cache, through an index by involved object. */
final class Events {
    static final String BY_OBJECT = "involvedObject";

    private Events() {
    }

    /** Index keys of an event: the involved object's uid, and its kind/namespace/name. */
    static List<String> involvedObjectKeys(GenericKubernetesResource event) {
        List<String> keys = new ArrayList<>(2);
        String uid = Fields.string(event, "involvedObject.uid");
        if (uid != null && !uid.isEmpty()) {
            keys.add(uid);
        }
        keys.add(nameKey(Fields.string(event, "involvedObject.kind"),
                Fields.string(event, "involvedObject.namespace"), Fields.string(event, "involvedObject.name")));
        return keys;
    }

    /** The events that involve an object, each once, found by its uid and by its kind, namespace and name. */
    static Collection<GenericKubernetesResource> involving(Cluster cluster, GenericKubernetesResource object)
            throws FsException {
        Map<String, GenericKubernetesResource> found = new LinkedHashMap<>();
        var metadata = object.getMetadata();
        for (String key : List.of(metadata.getUid() == null ? "" : metadata.getUid(),
                nameKey(object.getKind(), metadata.getNamespace(), metadata.getName()))) {
            for (GenericKubernetesResource event : cluster.cache().byIndex(cluster.events(), BY_OBJECT, key)) {
                found.putIfAbsent(event.getMetadata().getUid(), event);
            }
        }
        return found.values();
    }

    private static String nameKey(String kind, String namespace, String name) {
        return kind + "/" + (namespace == null ? "" : namespace) + "/" + name;
    }
}
