package io.k9p.kube.cluster;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last failed change per place (an object, or a type directory for creations). The kernel
 * drops errors from close(2), so this is how a program learns why a change it wrote did not happen.
 */
final class LastErrors {
    private final Map<String, String> errors = new ConcurrentHashMap<>();

    void record(String where, String message) {
        errors.put(where, Instant.now() + " " + message + "\n");
    }

    void clear(String where) {
        errors.remove(where);
    }

    String get(String where) {
        return errors.getOrDefault(where, "");
    }
}
