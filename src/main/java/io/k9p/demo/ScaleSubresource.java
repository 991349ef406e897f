package io.k9p.demo;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource ({@code .../deployments/NAME/scale} and the like, custom resources
 * included): reads and writes an autoscaling/v1 Scale whose {@code spec.replicas} is the object's
 * replica count ({@code .spec.replicas}, or where the CRD's {@code specReplicasPath} says). A write
 * goes through the object store as an update of the whole object, so the object's
 * resourceVersion and generation move and watchers see the change.
 */
final class ScaleSubresource {
    /** The objects the scales belong to. */
    interface Objects {
        /** The stored object at a path, or null. */
        JsonNode get(String path);

        /** Replaces the stored object at a path as a write by that manager; the response is the store's. */
        MockResponse put(String path, JsonNode object, String manager);
    }

    private final Objects objects;

    ScaleSubresource(Objects objects) {
        this.objects = objects;
    }

    MockResponse handle(ApiPath path, DiscoveryDocuments.ApiResource resource, String method,
            String contentType, String body, String manager) {
        JsonNode object = objects.get(path.objectPath());
        String qualified = resource.group().isEmpty() ? resource.name() : resource.name() + "." + resource.group();
        if (object == null) {
            return ApiResponses.notFound(qualified, path.name());
        }
        DiscoveryDocuments.ScalePaths paths = resource.scale();
        ObjectNode current = scaleOf(object, paths, resource.group().isEmpty() ? null : resource);
        ObjectNode wanted;
        switch (method) {
            case "GET":
                return ApiResponses.json(200, current);
            case "PUT":
                JsonNode parsed = ApiResponses.parse(body);
                if (parsed == null || !parsed.isObject()) {
                    return ApiResponses.badRequest("the body of the request was in an unknown format");
                }
                wanted = (ObjectNode) parsed;
                break;
            case "PATCH":
                try {
                    wanted = patch(current, contentType, body);
                } catch (UnsupportedOperationException e) {
                    return ApiResponses.failure(415, "UnsupportedMediaType", e.getMessage());
                } catch (RuntimeException e) {
                    return ApiResponses.badRequest("the patch could not be applied: " + e.getMessage());
                }
                break;
            default:
                return ApiResponses.methodNotAllowed();
        }

        String name = wanted.path("metadata").path("name").asString("");
        if (!name.isEmpty() && !name.equals(path.name())) {
            return ApiResponses.badRequest(
                    "the name of the object (%s) does not match the name on the URL (%s)".formatted(name, path.name()));
        }
        JsonNode replicasNode = wanted.path("spec").path("replicas");
        long replicas;
        if (replicasNode.isMissingNode() || replicasNode.isNull()) {
            replicas = 0;
        } else if (!replicasNode.isIntegralNumber() || !replicasNode.canConvertToInt()) {
            return ApiResponses.badRequest(("Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal"
                    + " %s into Go struct field ScaleSpec.spec.replicas of type int32").formatted(describe(replicasNode)));
        } else {
            replicas = replicasNode.longValue();
        }
        if (replicas < 0) {
            return ApiResponses.invalid("Scale.autoscaling", path.name(), "spec.replicas", Long.toString(replicas),
                    "must be greater than or equal to 0");
        }
        String basedOn = wanted.path("metadata").path("resourceVersion").asString("");
        String currentVersion = object.path("metadata").path("resourceVersion").asString("");
        if (!basedOn.isEmpty() && !basedOn.equals(currentVersion)) {
            return ApiResponses.json(409, ApiResponses.status(409, "Conflict",
                    ("Operation cannot be fulfilled on %s \"%s\": the object has been modified;"
                            + " please apply your changes to the latest version and try again")
                            .formatted(qualified, path.name()), resource.name(), path.name()));
        }

        ObjectNode updated = (ObjectNode) object.deepCopy();
        setAt(updated, paths.specReplicasPath(), (int) replicas);
        MockResponse stored = objects.put(path.objectPath(), updated, manager);
        if (stored.code() != 200) {
            return stored;
        }
        JsonNode now = ApiResponses.parse(ApiResponses.bodyText(stored));
        return ApiResponses.json(200, scaleOf(now, paths, resource.group().isEmpty() ? null : resource));
    }

    /** The Scale of an object. */
    static ObjectNode scaleOf(JsonNode object, DiscoveryDocuments.ScalePaths paths,
            DiscoveryDocuments.ApiResource custom) {
        ObjectNode scale = ApiResponses.object();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        JsonNode source = object.path("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (source.has(field)) {
                metadata.set(field, source.get(field));
            }
        }
        JsonNode specReplicas = at(object, paths.specReplicasPath());
        scale.putObject("spec").put("replicas",
                specReplicas.isNumber() ? specReplicas.intValue() : custom == null ? 1 : 0);
        ObjectNode status = scale.putObject("status");
        status.put("replicas", at(object, paths.statusReplicasPath()).asInt(0));
        String selector = paths.labelSelectorPath() != null
                ? at(object, paths.labelSelectorPath()).asString("")
                : selectorString(object.path("spec").path("selector"));
        if (!selector.isEmpty()) {
            status.put("selector", selector);
        }
        return scale;
    }

    /** A LabelSelector (or a ReplicationController's plain map) as a selector string. */
    static String selectorString(JsonNode selector) {
        List<String> requirements = new ArrayList<>();
        boolean structured = selector.has("matchLabels") || selector.has("matchExpressions");
        JsonNode labels = structured ? selector.path("matchLabels") : selector;
        for (Map.Entry<String, JsonNode> label : labels.properties()) {
            requirements.add(label.getKey() + "=" + label.getValue().asString());
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asString("");
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asString()));
            switch (expression.path("operator").asString("")) {
                case "In" -> requirements.add(key + " in (" + String.join(",", values) + ")");
                case "NotIn" -> requirements.add(key + " notin (" + String.join(",", values) + ")");
                case "Exists" -> requirements.add(key);
                case "DoesNotExist" -> requirements.add("!" + key);
                default -> {
                }
            }
        }
        return String.join(",", requirements);
    }

    private static ObjectNode patch(ObjectNode scale, String contentType, String body) {
        String type = contentType == null ? "" : contentType.split(";")[0].strip();
        JsonNode patch = ApiResponses.parse(body);
        if (patch == null) {
            throw new IllegalArgumentException("the body is not JSON");
        }
        return switch (type) {
            case "application/json-patch+json" -> (ObjectNode) JsonPatch.apply(patch, scale);
            case "application/merge-patch+json", "application/strategic-merge-patch+json" ->
                    (ObjectNode) MergePatch.apply(scale, patch);
            default -> throw new UnsupportedOperationException("the patch type " + type + " is not supported here");
        };
    }

    private static String describe(JsonNode node) {
        if (node.isString()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number " + node.asString();
        }
        return node.isBoolean() ? "bool" : node.isArray() ? "array" : "object";
    }

    private static String[] steps(String jsonPath) {
        String path = jsonPath.startsWith(".") ? jsonPath.substring(1) : jsonPath;
        return path.split("\\.");
    }

    static JsonNode at(JsonNode object, String jsonPath) {
        JsonNode node = object;
        for (String step : steps(jsonPath)) {
            node = node.path(step);
        }
        return node;
    }

    private static void setAt(ObjectNode object, String jsonPath, int value) {
        String[] steps = steps(jsonPath);
        ObjectNode node = object;
        for (int i = 0; i < steps.length - 1; i++) {
            JsonNode next = node.get(steps[i]);
            node = next instanceof ObjectNode o ? o : node.putObject(steps[i]);
        }
        node.put(steps[steps.length - 1], value);
    }
}
