package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The informers' store, which keeps each object as small as k9p reads it: the field sets of its
 * managedFields (fieldsV1, often a third of an object on a real cluster) are dropped, since k9p
 * shows no managedFields and takes only their times (a file's time is its object's last write);
 * and the strings that every object of a type repeats (namespace, apiVersion, kind, the managers)
 * are shared instead of held once per object.
 */
final class CompactStore extends BasicItemStore<GenericKubernetesResource> {
    CompactStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource object) {
        compact(object);
        return super.put(key, object);
    }

    private static void compact(GenericKubernetesResource object) {
        object.setApiVersion(shared(object.getApiVersion()));
        object.setKind(shared(object.getKind()));
        var metadata = object.getMetadata();
        if (metadata == null) {
            return;
        }
        metadata.setNamespace(shared(metadata.getNamespace()));
        if (metadata.getManagedFields() != null) {
            for (ManagedFieldsEntry entry : metadata.getManagedFields()) {
                entry.setFieldsV1(null);
                entry.setManager(shared(entry.getManager()));
                entry.setOperation(shared(entry.getOperation()));
                entry.setApiVersion(shared(entry.getApiVersion()));
                entry.setFieldsType(shared(entry.getFieldsType()));
            }
        }
    }

    private static String shared(String text) {
        return text == null ? null : text.intern();
    }
}
