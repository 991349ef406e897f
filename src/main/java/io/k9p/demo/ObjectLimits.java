package io.k9p.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the API server of Kubernetes 1.32 refuses in a configmap or secret before it stores one
 * (pkg/apis/core/validation: ValidateConfigMap, ValidateSecret): values of more than 1 MiB in all
 * (keys do not count; binaryData and secrets' data by their decoded bytes), and a configmap key in
 * both data and binaryData. Anything else passes here.
 */
final class ObjectLimits {
    /** core.MaxSecretSize, the limit of both. */
    static final int MAX_SIZE = 1024 * 1024;
    private static final String TOO_LONG = "Too long: may not be more than " + MAX_SIZE + " bytes";

    private ObjectLimits() {
    }

    /** The 422 a real server answers for the object, or null when it would store it. */
    static io.fabric8.mockwebserver.http.MockResponse check(ApiPath api, JsonNode object) {
        if (!api.group().isEmpty() || object == null) {
            return null;
        }
        String name = object.path("metadata").path("name").asString(api.name() == null ? "" : api.name());
        List<ApiResponses.Cause> causes = new ArrayList<>();
        String kind;
        if (api.resource().equals("configmaps")) {
            kind = "ConfigMap";
            long size = 0;
            for (Map.Entry<String, JsonNode> entry : object.path("data").properties()) {
                if (object.path("binaryData").has(entry.getKey())) {
                    causes.add(ApiResponses.Cause.invalid("data[" + entry.getKey() + "]", entry.getKey(),
                            "duplicate of key present in binaryData"));
                }
                size += entry.getValue().asString("").getBytes(StandardCharsets.UTF_8).length;
            }
            for (Map.Entry<String, JsonNode> entry : object.path("binaryData").properties()) {
                size += decodedLength(entry.getValue());
            }
            if (size > MAX_SIZE) {
                // The field is the path "" Go prints as [], for the whole object.
                causes.add(new ApiResponses.Cause("FieldValueTooLong", "[]", TOO_LONG));
            }
        } else if (api.resource().equals("secrets")) {
            kind = "Secret";
            Map<String, Long> sizes = new HashMap<>();
            object.path("data").properties().forEach(entry -> sizes.put(entry.getKey(), decodedLength(entry.getValue())));
            object.path("stringData").properties().forEach(entry -> sizes.put(entry.getKey(),
                    (long) entry.getValue().asString("").getBytes(StandardCharsets.UTF_8).length));
            if (sizes.values().stream().mapToLong(Long::longValue).sum() > MAX_SIZE) {
                causes.add(new ApiResponses.Cause("FieldValueTooLong", "data", TOO_LONG));
            }
        } else {
            return null;
        }
        return causes.isEmpty() ? null : ApiResponses.invalid(kind, name, causes);
    }

    private static long decodedLength(JsonNode base64) {
        try {
            return Base64.getDecoder().decode(base64.asString("")).length;
        } catch (IllegalArgumentException e) {
            return base64.asString("").length();
        }
    }
}
