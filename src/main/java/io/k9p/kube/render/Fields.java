package io.k9p.kube.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Reading fields out of untyped objects, as the API server's JSON has them. */
public final class Fields {
    private Fields() {
    }

    /** The value at a dotted path of maps ({@code status.phase}), or null. */
    public static Object at(Object root, String path) {
        Object current = root instanceof GenericKubernetesResource resource ? resource.getAdditionalProperties() : root;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    public static String string(Object root, String path) {
        Object value = at(root, path);
        return value == null ? null : value.toString();
    }

    public static long number(Object root, String path, long otherwise) {
        return at(root, path) instanceof Number number ? number.longValue() : otherwise;
    }

    static boolean bool(Object root, String path) {
        return Boolean.TRUE.equals(at(root, path));
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object root, String path) {
        return at(root, path) instanceof List<?> list
                ? list.stream().filter(Map.class::isInstance).map(item -> (Map<String, Object>) item).toList()
                : List.of();
    }

    static Instant created(GenericKubernetesResource object) {
        return instant(object.getMetadata().getCreationTimestamp(), Instant.EPOCH);
    }

    /**
     * The object's last change: the newest time in its managedFields, where the API server records
     * every write, else its creation.
     */
    public static Instant lastChange(GenericKubernetesResource object) {
        Instant last = created(object);
        List<ManagedFieldsEntry> writes = object.getMetadata().getManagedFields();
        if (writes != null) {
            for (ManagedFieldsEntry write : writes) {
                Instant time = instant(write.getTime(), last);
                if (time.isAfter(last)) {
                    last = time;
                }
            }
        }
        return last;
    }

    static Instant instant(String text, Instant otherwise) {
        if (text == null || text.isEmpty()) {
            return otherwise;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }
}
