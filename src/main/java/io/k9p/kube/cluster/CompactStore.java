package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The informers' store, which keeps each object as small as k9p reads it: the field sets of its
 * managedFields (fieldsV1, often a third of an object on a real cluster) are dropped, since k9p
 * shows no managedFields and takes only their times (a file's time is its object's last write);
 * the strings that every object of a type repeats (namespace, apiVersion, kind, the managers)
 * are shared instead of held once per object; and its maps and lists take no more room than
 * their contents: empty ones are the shared empty map or list, small ones {@link ArrayMap}s.
 * Cached objects are read, never changed (an edit changes a copy), so the maps may be immutable.
 */
final class CompactStore extends BasicItemStore<GenericKubernetesResource> {
    /** Maps with more keys than this keep their hash table: a lookup in them should not scan. */
    static final int SMALL_MAP = 16;

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
        object.setAdditionalProperties(compacted(object.getAdditionalProperties()));
        var metadata = object.getMetadata();
        if (metadata == null) {
            return;
        }
        metadata.setNamespace(shared(metadata.getNamespace()));
        metadata.setLabels(compacted(metadata.getLabels()));
        metadata.setAnnotations(compacted(metadata.getAnnotations()));
        metadata.setFinalizers(compacted(metadata.getFinalizers()));
        metadata.setOwnerReferences(compacted(metadata.getOwnerReferences()));
        metadata.setAdditionalProperties(compacted(metadata.getAdditionalProperties()));
        if (metadata.getManagedFields() != null) {
            for (ManagedFieldsEntry entry : metadata.getManagedFields()) {
                entry.setFieldsV1(null);
                entry.setManager(shared(entry.getManager()));
                entry.setOperation(shared(entry.getOperation()));
                entry.setApiVersion(shared(entry.getApiVersion()));
                entry.setFieldsType(shared(entry.getFieldsType()));
                entry.setAdditionalProperties(compacted(entry.getAdditionalProperties()));
                if (entry.getTime() != null && entry.getTime().equals(metadata.getCreationTimestamp())) {
                    // An object never changed since its creation: one string for both times.
                    entry.setTime(metadata.getCreationTimestamp());
                }
            }
            metadata.setManagedFields(compacted(metadata.getManagedFields()));
        }
    }

    /** A JSON tree's maps and lists, all the way down, in as little room as they can take. */
    @SuppressWarnings("unchecked")
    private static <T> T compacted(T value) {
        return switch (value) {
            case Map<?, ?> map when map.isEmpty() -> (T) Map.of();
            case Map<?, ?> map when map.size() <= SMALL_MAP -> (T) new ArrayMap<>(map, CompactStore::compacted);
            case Map<?, ?> map -> {
                ((Map<Object, Object>) map).replaceAll((key, child) -> compacted(child));
                yield value;
            }
            case List<?> list when list.isEmpty() -> (T) List.of();
            case ArrayList<?> list -> {
                ((List<Object>) list).replaceAll(CompactStore::compacted);
                list.trimToSize();
                yield value;
            }
            case null, default -> value;
        };
    }

    private static String shared(String text) {
        return text == null ? null : text.intern();
    }
}
