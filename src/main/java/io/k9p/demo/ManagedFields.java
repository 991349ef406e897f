package io.k9p.demo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The write history a real API server keeps in {@code metadata.managedFields}: one entry per
 * manager and operation, stamped with the time of its last write, which is what clients (k9p's
 * file times among them) read as the object's last change. Which fields each manager owns is not
 * tracked: {@code fieldsV1} stays empty, as nothing here applies server-side.
 */
final class ManagedFields {
    private ManagedFields() {
    }

    /**
     * The body of a create, update or merge patch with the writer's entry added or renewed.
     *
     * @param stored the object as stored before this write, or null for a create
     * @return the body to store, or the body as it was where it is not an object (a JSON patch)
     */
    static String stamp(String body, JsonNode stored, String manager, String operation) {
        JsonNode parsed = ApiResponses.parse(body);
        if (!(parsed instanceof ObjectNode object)) {
            return body;
        }
        ObjectNode metadata = object.path("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        JsonNode before = stored == null ? metadata.path("managedFields") : stored.path("metadata").path("managedFields");
        ArrayNode entries = metadata.putArray("managedFields");
        for (JsonNode entry : before) {
            if (!(entry.path("manager").asString("").equals(manager) && entry.path("operation").asString("").equals(operation))) {
                entries.add(entry.deepCopy());
            }
        }
        ObjectNode entry = entries.addObject();
        entry.put("manager", manager);
        entry.put("operation", operation);
        String apiVersion = object.path("apiVersion").asString("");
        if (apiVersion.isEmpty() && stored != null) {
            apiVersion = stored.path("apiVersion").asString("");
        }
        entry.put("apiVersion", apiVersion);
        entry.put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        entry.put("fieldsType", "FieldsV1");
        entry.putObject("fieldsV1");
        return ApiResponses.write(object);
    }

    /** The manager a real server names: the fieldManager parameter, else the User-Agent's product. */
    static String manager(String fieldManager, String userAgent) {
        if (fieldManager != null && !fieldManager.isEmpty()) {
            return fieldManager;
        }
        if (userAgent == null || userAgent.isBlank()) {
            return "unknown";
        }
        return userAgent.strip().split("[/ ]", 2)[0];
    }
}
