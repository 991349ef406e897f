package io.k9p.kube.cluster;

import java.util.Map;

/**
 * An RFC 6902 JSON patch (application/json-patch+json), written as the API server must read it.
 * The API server (gopkg.in/evanphx/json-patch.v4) compares a {@code test} value with the member's
 * value byte for byte, as the JSON each is written in: the object's as Go's encoding/json writes
 * it, the patch's as sent. So strings here are written as Go writes them: {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029 as \\u escapes, \b \f \n \r \t by letter (Go 1.22 and later, which
 * Kubernetes 1.30 and later are built with), other control characters as lowercase \\u00XX, and
 * everything else as it is.
 */
public final class JsonPatch {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder operations = new StringBuilder();

    /** Passes when the member at {@code path} holds {@code value}, or is absent where {@code value} is null. */
    public JsonPatch test(String path, String value) {
        return operation("test", path, value == null ? "null" : quote(value));
    }

    /** Adds the member at {@code path}, replacing what is there; its parent must exist. */
    public JsonPatch add(String path, String value) {
        return operation("add", path, quote(value));
    }

    /** Adds an object of string members at {@code path}. */
    public JsonPatch add(String path, Map<String, String> members) {
        StringBuilder object = new StringBuilder("{");
        members.forEach((key, value) -> {
            if (object.length() > 1) {
                object.append(',');
            }
            object.append(quote(key)).append(':').append(quote(value));
        });
        return operation("add", path, object.append('}').toString());
    }

    /** Removes the member at {@code path}, which must exist. */
    public JsonPatch remove(String path) {
        return operation("remove", path, null);
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    /** The JSON pointer (RFC 6901) to a member of a member of the object: {@code /data/KEY}. */
    public static String pointer(String... names) {
        StringBuilder pointer = new StringBuilder();
        for (String name : names) {
            pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    private JsonPatch operation(String op, String path, String json) {
        operations.append(operations.isEmpty() ? "" : ",")
                .append("{\"op\":\"").append(op).append("\",\"path\":").append(quote(path));
        if (json != null) {
            operations.append(",\"value\":").append(json);
        }
        operations.append('}');
        return this;
    }

    /** A JSON string as Go's encoding/json writes it (HTML escaping on, its default). */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(out, c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(out, c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static void unicodeEscape(StringBuilder out, char c) {
        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
    }

    @Override
    public String toString() {
        return "[" + operations + "]";
    }
}
