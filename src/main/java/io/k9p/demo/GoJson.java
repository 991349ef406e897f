package io.k9p.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * JSON text as the real API server has it: written by Go's encoding/json, and as a client sent it,
 * for the comparisons its JSON patch library makes on text rather than on values.
 */
final class GoJson {
    private GoJson() {
    }

    /**
     * A scalar as Go's encoding/json writes it, with its default HTML escaping: {@code <}, {@code >},
     * {@code &}, U+2028 and U+2029 and control characters as lowercase \\u escapes, except \b \f \n \r
     * \t, which Go 1.22 and later write by letter.
     */
    static String write(JsonNode scalar) {
        if (!scalar.isString()) {
            return scalar.toString();
        }
        String text = scalar.asString();
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(point -> {
            String escape = switch (point) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> point < 0x20 || point == '<' || point == '>' || point == '&' || point == 0x2028
                        || point == 0x2029 ? String.format("\\u%04x", point) : null;
            };
            if (escape == null) {
                json.appendCodePoint(point);
            } else {
                json.append(escape);
            }
        });
        return json.append('"').toString();
    }

    /** JSON text without the whitespace between its tokens, as Go's json.Compact leaves it. */
    static String compact(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        boolean inString = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < raw.length()) {
                    out.append(raw.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The members of a JSON object (or the elements of an array, keyed "0", "1", ...) each as its
     * own text; null when the text is not of that kind.
     */
    static Map<String, String> rawMembers(String raw, boolean object) {
        Map<String, String> members = new LinkedHashMap<>();
        try (JsonParser parser = ApiResponses.JSON.createParser(raw)) {
            if (parser.nextToken() != (object ? JsonToken.START_OBJECT : JsonToken.START_ARRAY)) {
                return null;
            }
            JsonToken end = object ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
            for (JsonToken token = parser.nextToken(); token != end; token = parser.nextToken()) {
                String name = Integer.toString(members.size());
                if (object) {
                    name = parser.currentName();
                    parser.nextToken();
                }
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                parser.finishToken();
                members.put(name, raw.substring(start, (int) parser.currentLocation().getCharOffset()));
            }
        } catch (JacksonException e) {
            return null;
        }
        return members;
    }
}
