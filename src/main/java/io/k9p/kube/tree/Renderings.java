package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.kube.cluster.Cluster;
import io.k9p.kube.cluster.ResourceType;
import io.k9p.kube.render.KubectlJson;
import io.k9p.kube.render.KubectlYaml;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Objects as {@code kubectl get -o yaml} and {@code -o json} print them: with apiVersion and kind,
 * without managedFields. Both forms are rendered together, from one conversion of the object (ls -l
 * stats both files), and kept per object and resourceVersion, so stat's size and the read that
 * follows agree, and {@code ls -l} does not render an object twice.
 */
final class Renderings {
    private static final int MAX_ENTRIES = 50_000;

    /** The forms an object's document files take. */
    enum Format {
        YAML("data.yaml"),
        JSON("data.json");

        final String fileName;

        Format(String fileName) {
            this.fileName = fileName;
        }

        static Format named(String fileName) {
            for (Format format : values()) {
                if (format.fileName.equals(fileName)) {
                    return format;
                }
            }
            return null;
        }
    }

    private record Rendering(String resourceVersion, byte[] yaml, byte[] json) {
        byte[] in(Format format) {
            return format == Format.YAML ? yaml : json;
        }
    }

    private final Cluster cluster;
    private final Map<String, Rendering> renderings = new ConcurrentHashMap<>();

    Renderings(Cluster cluster) {
        this.cluster = cluster;
    }

    byte[] render(Format format, ResourceType type, GenericKubernetesResource object) {
        String uid = object.getMetadata().getUid();
        String resourceVersion = object.getMetadata().getResourceVersion();
        Rendering rendering = uid == null ? null : renderings.get(uid);
        if (rendering == null || !rendering.resourceVersion().equals(resourceVersion)) {
            rendering = render(resourceVersion, tree(type, object));
            if (uid != null && resourceVersion != null) {
                if (renderings.size() > MAX_ENTRIES) {
                    renderings.clear();
                }
                renderings.put(uid, rendering);
            }
        }
        return rendering.in(format);
    }

    /**
     * Where kubectl cannot print an object as YAML (some control characters, keys over 1,024
     * characters), it fails; data.yaml then holds the object's JSON, which YAML readers take too.
     */
    private static Rendering render(String resourceVersion, Map<String, Object> tree) {
        byte[] json = KubectlJson.render(tree);
        byte[] yaml;
        try {
            yaml = KubectlYaml.render(tree);
        } catch (IllegalArgumentException e) {
            yaml = json;
        }
        return new Rendering(resourceVersion, yaml, json);
    }

    /** The object as kubectl holds it before printing: a tree of maps, as the API server sent it. */
    private Map<String, Object> tree(ResourceType type, GenericKubernetesResource object) {
        @SuppressWarnings("unchecked")
        Map<String, Object> tree = cluster.serialization().convertValue(object, Map.class);
        if (tree.get("metadata") instanceof Map<?, ?> metadata) {
            metadata.remove("managedFields");
        }
        tree.putIfAbsent("apiVersion", type.apiVersion());
        tree.putIfAbsent("kind", type.kind());
        return tree;
    }
}
