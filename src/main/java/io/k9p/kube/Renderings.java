package io.k9p.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An object as {@code data.yaml} shows it: with apiVersion and kind, without managedFields.
 * Renderings are kept per object and resourceVersion, so stat's size and the read that follows
 * agree, and {@code ls -l} does not render an object twice.
 */
final class YamlRenderer {
    private static final int MAX_ENTRIES = 50_000;

    private record Rendering(String resourceVersion, byte[] yaml) {}

    private final Cluster cluster;
    private final Map<String, Rendering> renderings = new ConcurrentHashMap<>();

    YamlRenderer(Cluster cluster) {
        this.cluster = cluster;
    }

    byte[] render(ResourceType type, GenericKubernetesResource object) {
        String uid = object.getMetadata().getUid();
        String resourceVersion = object.getMetadata().getResourceVersion();
        Rendering known = uid == null ? null : renderings.get(uid);
        if (known != null && known.resourceVersion().equals(resourceVersion)) {
            return known.yaml();
        }
        GenericKubernetesResource copy = cluster.serialization().clone(object);
        copy.getMetadata().setManagedFields(null);
        if (copy.getApiVersion() == null) {
            copy.setApiVersion(type.apiVersion());
        }
        if (copy.getKind() == null) {
            copy.setKind(type.kind());
        }
        byte[] yaml = cluster.serialization().asYaml(copy).getBytes(StandardCharsets.UTF_8);
        if (uid != null && resourceVersion != null) {
            if (renderings.size() > MAX_ENTRIES) {
                renderings.clear();
            }
            renderings.put(uid, new Rendering(resourceVersion, yaml));
        }
        return yaml;
    }
}
