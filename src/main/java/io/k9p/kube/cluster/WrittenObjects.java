package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The changes k9p made that a type's watch has not delivered yet: the object as the API server
 * answered the write, or that it deleted the object. Reads see them at once, even while the watch
 * is down, and the watch's own copy takes over once it is as new (an older version the watch
 * delivers first, or replays, never hides a newer write). Entries live only until then.
 */
final class WrittenObjects {
    /**
     * One change: the object written (null for a deletion) and the uid it concerns.
     */
    private record Written(String uid, GenericKubernetesResource object) {
        boolean deletion() {
            return object == null;
        }
    }

    /** Per type key, the changes by the informer's key of the object (namespace/name, or name). */
    private final Map<String, Map<String, Written>> byType = new ConcurrentHashMap<>();

    void wrote(String type, String key, GenericKubernetesResource object) {
        byType.computeIfAbsent(type, k -> new ConcurrentHashMap<>())
                .put(key, new Written(object.getMetadata().getUid(), object));
    }

    void deleted(String type, String key, String uid) {
        byType.computeIfAbsent(type, k -> new ConcurrentHashMap<>()).put(key, new Written(uid, null));
    }

    /**
     * The object to show for {@code key}, given the watch's copy ({@code cached}, null if none)
     * and how far the watch has got ({@code synced}, its last resourceVersion).
     */
    GenericKubernetesResource resolve(String type, String key, GenericKubernetesResource cached, String synced) {
        Map<String, Written> written = byType.get(type);
        Written change = written == null ? null : written.get(key);
        if (change == null) {
            return cached;
        }
        if (caughtUp(change, cached, synced)) {
            written.remove(key, change);
            return cached;
        }
        return change.deletion() ? null : change.object;
    }

    /** The changes to a type that may differ from its watch's copies, by key. */
    Map<String, GenericKubernetesResource> pending(String type) {
        Map<String, Written> written = byType.get(type);
        if (written == null || written.isEmpty()) {
            return Map.of();
        }
        Map<String, GenericKubernetesResource> pending = new HashMap<>();
        written.forEach((key, change) -> pending.put(key, change.object));
        return pending;
    }

    /** Forgets a type's changes, when its objects are dropped. */
    void forget(String type) {
        byType.remove(type);
    }

    /**
     * Whether the watch's copy tells at least what the change does: for a write, the watch has
     * the same or a newer version of the object, or has got past the write's resourceVersion; for
     * a deletion, the object is gone from it or marked for deletion there.
     */
    private static boolean caughtUp(Written change, GenericKubernetesResource cached, String synced) {
        boolean same = cached != null && Objects.equals(cached.getMetadata().getUid(), change.uid);
        if (change.deletion()) {
            return !same || cached.getMetadata().getDeletionTimestamp() != null;
        }
        String version = change.object.getMetadata().getResourceVersion();
        return same && atLeast(cached.getMetadata().getResourceVersion(), version) || atLeast(synced, version);
    }

    /**
     * Whether resourceVersion {@code version} is {@code than} or later. Kubernetes calls them opaque;
     * every API server gives etcd's revisions, numbers that only grow, and anything else is
     * compared for equality alone.
     */
    static boolean atLeast(String version, String than) {
        if (version == null || than == null) {
            return false;
        }
        if (version.equals(than)) {
            return true;
        }
        try {
            return Long.parseLong(version) >= Long.parseLong(than);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
