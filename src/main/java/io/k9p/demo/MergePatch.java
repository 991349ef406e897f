package io.k9p.demo;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON Merge Patch (RFC 7386). */
final class MergePatch {
    private MergePatch() {
    }

    /** The target with the patch applied; the target is not changed. */
    static JsonNode apply(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? (ObjectNode) target.deepCopy()
                : ApiResponses.object();
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                result.set(entry.getKey(), apply(result.get(entry.getKey()), entry.getValue()));
            }
        }
        return result;
    }
}
