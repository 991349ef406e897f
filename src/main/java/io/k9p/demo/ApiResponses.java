package io.k9p.demo;

import io.fabric8.mockwebserver.http.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON handling and the API server's replies: objects, plain text, and Kubernetes Status errors. */
final class ApiResponses {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiResponses() {
    }

    /** The tree of a JSON text, or null when the text is not JSON. */
    static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    static String write(JsonNode node) {
        return JSON.writeValueAsString(node);
    }

    /** A response's body as text, left in place (reading a mock Buffer would empty it). */
    static String bodyText(MockResponse response) {
        return response.getBody() == null ? "" : new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static MockResponse json(int code, JsonNode body) {
        return json(code, write(body));
    }

    static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody(body);
    }

    static MockResponse text(int code, String body) {
        MockResponse response = new MockResponse().setResponseCode(code)
                .setHeader("Content-Type", "text/plain; charset=utf-8");
        return body.isEmpty() ? response : response.setBody(body);
    }

    /** A failure Status as a real API server writes it; {@code kind}, {@code name} may be null. */
    static ObjectNode status(int code, String reason, String message, String kind, String name) {
        return status(code, reason, message, null, kind, name);
    }

    /** A failure Status whose details name an API group too; {@code group}, {@code kind}, {@code name} may be null. */
    private static ObjectNode status(int code, String reason, String message, String group, String kind,
            String name) {
        ObjectNode status = object();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        if (group != null || kind != null || name != null) {
            ObjectNode details = status.putObject("details");
            if (name != null) {
                details.put("name", name);
            }
            if (group != null) {
                details.put("group", group);
            }
            if (kind != null) {
                details.put("kind", kind);
            }
        }
        status.put("code", code);
        return status;
    }

    static MockResponse failure(int code, String reason, String message) {
        return json(code, status(code, reason, message, null, null));
    }

    static MockResponse notFound(String resource, String name) {
        return json(404, status(404, "NotFound",
                "%s \"%s\" not found".formatted(resource, name), resource, name));
    }

    /** The real server's answer to a request that brings credentials it does not know. */
    static MockResponse unauthorized() {
        return failure(401, "Unauthorized", "Unauthorized");
    }

    /**
     * The real server's answer to a request its authorizer denies. The details name the resource
     * (never a subresource) and the object, and say nothing for a path that names no resource.
     *
     * @param group the API group, "" for the core group
     * @param resource the resource, or "" for a path that names none
     * @param name the object's name, or ""
     */
    static MockResponse forbidden(String message, String group, String resource, String name) {
        return json(403, status(403, "Forbidden", message, group.isEmpty() ? null : group,
                resource.isEmpty() ? null : resource, name.isEmpty() ? null : name));
    }

    /** What a real server answers for a path it serves nothing at. */
    static MockResponse noSuchPath() {
        return json(404, status(404, "NotFound", "the server could not find the requested resource",
                null, null));
    }

    static MockResponse badRequest(String message) {
        return failure(400, "BadRequest", message);
    }

    static MockResponse methodNotAllowed() {
        return failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }

    /** One field's error in a 422, as the API server's field.Error writes it: its type, field and body. */
    record Cause(String reason, String field, String message) {
        /** field.Invalid of a string value. */
        static Cause invalid(String field, String value, String detail) {
            return new Cause("FieldValueInvalid", field, "Invalid value: \"%s\": %s".formatted(value, detail));
        }
    }

    /** 422 with one field cause, like the API server's validation errors. */
    static MockResponse invalid(String kind, String name, String field, String value, String detail) {
        return invalid(kind, name, List.of(new Cause("FieldValueInvalid", field,
                "Invalid value: %s: %s".formatted(value, detail))));
    }

    /** 422 Invalid, as errors.NewInvalid writes it: each cause in the message, "[a, b]" when several. */
    static MockResponse invalid(String kind, String name, List<Cause> causes) {
        List<String> each = causes.stream().map(cause -> cause.field() + ": " + cause.message()).toList();
        String errors = each.size() == 1 ? each.get(0) : "[" + String.join(", ", each) + "]";
        ObjectNode status = status(422, "Invalid", "%s \"%s\" is invalid: %s".formatted(kind, name, errors), kind, name);
        ArrayNode list = ((ObjectNode) status.get("details")).putArray("causes");
        for (Cause cause : causes) {
            ObjectNode item = list.addObject();
            item.put("reason", cause.reason());
            item.put("message", cause.message());
            item.put("field", cause.field());
        }
        return json(422, status);
    }

    /**
     * The 422 for a JSON patch that does not apply (a failed test, a missing path): the API server
     * makes it with errors.NewGenericServerResponse, which keeps none of the patch library's reason.
     */
    static MockResponse patchNotApplied() {
        ObjectNode status = status(422, "Invalid", "the server rejected our request due to an error in our request",
                null, null);
        // Go writes the empty details before the code, as it writes every Status.
        status.remove("code");
        status.putObject("details");
        status.put("code", 422);
        return json(422, status);
    }

    /** 413, as limitedReadBody and the JSON patch handler answer a request too large to take. */
    static MockResponse tooLarge(String message) {
        return failure(413, "RequestEntityTooLarge", "Request entity too large: " + message);
    }
}
