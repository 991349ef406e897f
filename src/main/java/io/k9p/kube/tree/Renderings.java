package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.kube.cluster.Cluster;
import io.k9p.kube.cluster.ResourceType;
import io.k9p.kube.render.KubectlJson;
import io.k9p.kube.render.KubectlYaml;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Objects as {@code kubectl get -o yaml} and {@code -o json} print them: with apiVersion and kind,
 * without managedFields. Renderings are kept per object and resourceVersion, so stat's size and
 * the read that follows agree, and {@code ls -l} does not render an object twice.
 */
final class Renderings {
    private static final int MAX_ENTRIES = 50_000;

    /** The forms an object's document files take. */
    enum Format {
        YAML("data.yaml", KubectlYaml::render),
        JSON("data.json", KubectlJson::render);

        final String fileName;
        private final Function<Map<String, ?>, byte[]> renderer;

        Format(String fileName, Function<Map<String, ?>, byte[]> renderer) {
            this.fileName = fileName;
            this.renderer = renderer;
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

    private record Rendering(String resourceVersion, byte[] content) {}

    private final Cluster cluster;
    private final Map<Format, Map<String, Rendering>> renderings = new EnumMap<>(Format.class);

    Renderings(Cluster cluster) {
        this.cluster = cluster;
        for (Format format : Format.values()) {
            renderings.put(format, new ConcurrentHashMap<>());
        }
    }

    byte[] render(Format format, ResourceType type, GenericKubernetesResource object) {
        Map<String, Rendering> known = renderings.get(format);
        String uid = object.getMetadata().getUid();
        String resourceVersion = object.getMetadata().getResourceVersion();
        Rendering rendering = uid == null ? null : known.get(uid);
        if (rendering != null && rendering.resourceVersion().equals(resourceVersion)) {
            return rendering.content();
        }
        byte[] content = render(format, tree(type, object));
        if (uid != null && resourceVersion != null) {
            if (known.size() > MAX_ENTRIES) {
                known.clear();
            }
            known.put(uid, new Rendering(resourceVersion, content));
        }
        return content;
    }

    /**
     * Where kubectl cannot print an object as YAML (some control characters, keys over 1,024
     * characters), it fails; data.yaml then holds the object's JSON, which YAML readers take too.
     */
    private static byte[] render(Format format, Map<String, Object> tree) {
        try {
            return format.renderer.apply(tree);
        } catch (IllegalArgumentException e) {
            if (format == Format.YAML) {
                return Format.JSON.renderer.apply(tree);
            }
            throw e;
        }
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
