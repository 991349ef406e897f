package io.k9p.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON patch (RFC 6902) applied as the API server applies one: with gopkg.in/evanphx/json-patch.v4,
 * which Kubernetes 1.32 vendors, not by the letter of the RFC. Where they differ, this follows v4: a
 * {@code test} of an absent member against null (or without a value) passes; {@code replace} of an
 * absent member of an object adds it; an operation whose parent is missing fails (no parent is
 * made); and {@code test} compares the member's JSON, as Go's encoding/json writes the object, with
 * the value's JSON as the patch has it, byte for byte once whitespace is taken out, so that
 * {@code "<"} does not equal the {@code "\u003c"} Go writes.
 */
final class ApiJsonPatch {
    /** The most operations the API server takes in one patch. */
    static final int MAX_OPERATIONS = 10_000;

    /** A patch that does not apply to the object: the API server's 422. */
    static final class NotApplicable extends Exception {
        NotApplicable(String message) {
            super(message);
        }
    }

    /** One operation; {@code raw} is its value's JSON as sent, null when it has no value member. */
    private record Operation(String op, String path, String from, JsonNode value, String raw) {}

    private final List<Operation> operations;

    private ApiJsonPatch(List<Operation> operations) {
        this.operations = operations;
    }

    /** The patch in a request body: an array of operations, or IllegalArgumentException with why not. */
    static ApiJsonPatch parse(String body) {
        List<Operation> operations = new ArrayList<>();
        try (JsonParser parser = ApiResponses.JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                String op = null;
                String path = null;
                String from = null;
                String raw = null;
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String member = parser.currentName();
                    parser.nextToken();
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    // A string is read lazily: its end is known once it is finished.
                    parser.finishToken();
                    String text = body.substring(start, (int) parser.currentLocation().getCharOffset());
                    switch (member) {
                        case "op" -> op = parser.currentToken() == JsonToken.VALUE_STRING ? parser.getString() : "unknown";
                        case "path" -> path = parser.currentToken() == JsonToken.VALUE_STRING ? parser.getString() : null;
                        case "from" -> from = parser.currentToken() == JsonToken.VALUE_STRING ? parser.getString() : null;
                        case "value" -> raw = text;
                        default -> {
                        }
                    }
                }
                operations.add(new Operation(op == null ? "unknown" : op, path, from,
                        raw == null ? null : ApiResponses.parse(raw), raw));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                throw new IllegalArgumentException("json: cannot unmarshal into Go value of type jsonpatch.Operation");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
        return new ApiJsonPatch(operations);
    }

    int size() {
        return operations.size();
    }

    /** The object with the patch applied, all of it or nothing; the object is left as it is. */
    JsonNode applyTo(JsonNode object) throws NotApplicable {
        JsonNode document = object.deepCopy();
        for (Operation operation : operations) {
            document = apply(document, operation);
        }
        return document;
    }

    private JsonNode apply(JsonNode document, Operation operation) throws NotApplicable {
        String path = require(operation.path(), operation.op() + " operation failed to decode path");
        switch (operation.op()) {
            case "add" -> add(parent(document, path, "add"), key(path), valueOf(operation));
            case "remove" -> remove(parent(document, path, "remove"), key(path));
            case "replace" -> {
                if (path.isEmpty()) {
                    if (operation.value() == null || !operation.value().isContainer()) {
                        throw new NotApplicable("replace operation value must be object or array");
                    }
                    return operation.value().deepCopy();
                }
                JsonNode parent = parent(document, path, "replace");
                if (parent.isArray()) {
                    element((ArrayNode) parent, key(path));
                    ((ArrayNode) parent).set(index((ArrayNode) parent, key(path)), valueOf(operation));
                } else {
                    ((ObjectNode) parent).set(key(path), valueOf(operation));
                }
            }
            case "move" -> {
                String from = require(operation.from(), "move operation failed to decode from");
                JsonNode source = parent(document, from, "move");
                JsonNode moved = get(source, key(from));
                remove(source, key(from));
                add(parent(document, path, "move"), key(path), moved);
            }
            case "copy" -> {
                String from = require(operation.from(), "copy operation failed to decode from");
                JsonNode copied = get(parent(document, from, "copy"), key(from));
                add(parent(document, path, "copy"), key(path), copied == null ? null : copied.deepCopy());
            }
            case "test" -> test(document, path, operation);
            default -> throw new NotApplicable("Unexpected kind: " + operation.op());
        }
        return document;
    }

    private static void test(JsonNode document, String path, Operation operation) throws NotApplicable {
        JsonNode member = path.isEmpty() ? document : get(parent(document, path, "test"), key(path));
        boolean noValue = operation.raw() == null || operation.value() == null || operation.value().isNull();
        boolean passes = member == null ? noValue : operation.raw() != null && equal(member, operation.raw());
        if (!passes) {
            throw new NotApplicable("testing value " + path + " failed: test failed");
        }
    }

    /** v4's lazyNode.equal: objects and arrays member by member, anything else as compact JSON bytes. */
    private static boolean equal(JsonNode member, String raw) {
        if (member.isObject() || member.isArray()) {
            Map<String, String> parts = GoJson.rawMembers(raw, member.isObject());
            if (parts == null || parts.size() != member.size()) {
                return false;
            }
            for (Map.Entry<String, String> part : parts.entrySet()) {
                JsonNode child = member.isObject() ? member.get(part.getKey()) : member.get(Integer.parseInt(part.getKey()));
                if (child == null || !equal(child, part.getValue())) {
                    return false;
                }
            }
            return true;
        }
        return GoJson.write(member).equals(GoJson.compact(raw));
    }

    private static JsonNode valueOf(Operation operation) {
        return operation.value() == null ? ApiResponses.JSON.nullNode() : operation.value().deepCopy();
    }

    /** v4's findObject: the container of the path's last member, which every part before must reach. */
    private static JsonNode parent(JsonNode document, String path, String op) throws NotApplicable {
        String[] parts = path.split("/", -1);
        JsonNode node = parts.length < 2 ? null : document;
        for (int i = 1; node != null && i < parts.length - 1; i++) {
            JsonNode next;
            try {
                next = get(node, decode(parts[i]));
            } catch (NotApplicable e) {
                next = null;
            }
            node = next != null && next.isContainer() ? next : null;
        }
        if (node == null) {
            throw new NotApplicable(op + " operation does not apply: doc is missing path: \"" + path + "\": missing value");
        }
        return node;
    }

    private static String key(String path) {
        return decode(path.substring(path.lastIndexOf('/') + 1));
    }

    private static String decode(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    private static JsonNode get(JsonNode container, String key) throws NotApplicable {
        if (container.isArray()) {
            return element((ArrayNode) container, key);
        }
        return container.get(key);
    }

    private static void add(JsonNode container, String key, JsonNode value) throws NotApplicable {
        JsonNode added = value == null ? ApiResponses.JSON.nullNode() : value;
        if (!container.isArray()) {
            ((ObjectNode) container).set(key, added);
            return;
        }
        ArrayNode array = (ArrayNode) container;
        if (key.equals("-")) {
            array.add(added);
            return;
        }
        int index = parseIndex(key);
        if (index < 0) {
            index += array.size() + 1;
        }
        if (index < 0 || index > array.size()) {
            throw new NotApplicable("Unable to access invalid index: " + key + ": invalid index referenced");
        }
        array.insert(index, added);
    }

    private static void remove(JsonNode container, String key) throws NotApplicable {
        if (container.isArray()) {
            ((ArrayNode) container).remove(index((ArrayNode) container, key));
        } else if (((ObjectNode) container).remove(key) == null) {
            throw new NotApplicable("Unable to remove nonexistent key: " + key + ": missing value");
        }
    }

    private static JsonNode element(ArrayNode array, String key) throws NotApplicable {
        return array.get(index(array, key));
    }

    /** An index into the array, negative ones counted from its end, as v4 allows by default. */
    private static int index(ArrayNode array, String key) throws NotApplicable {
        int index = parseIndex(key);
        int resolved = index < 0 ? index + array.size() : index;
        if (resolved < 0 || resolved >= array.size()) {
            throw new NotApplicable("Unable to access invalid index: " + index + ": invalid index referenced");
        }
        return resolved;
    }

    private static int parseIndex(String key) throws NotApplicable {
        try {
            return Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new NotApplicable("strconv.Atoi: parsing \"" + key + "\": invalid syntax");
        }
    }

    private static String require(String member, String message) throws NotApplicable {
        if (member == null) {
            throw new NotApplicable(message + ": missing value");
        }
        return member;
    }
}
