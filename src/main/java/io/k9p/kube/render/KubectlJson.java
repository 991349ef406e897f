package io.k9p.kube.render;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An object as {@code kubectl get TYPE NAME -o json} (kubectl 1.32) prints it: cli-runtime's JSONPrinter does
 * json.MarshalIndent(object, "", "    ") and adds a newline. So keys are in Go's byte order, empty maps and lists
 * stay {@code {}} and {@code []}, strings are escaped as encoding/json does with HTML escaping on, and numbers
 * are as kubectl decoded them ({@link KubectlNumber}).
 */
public final class KubectlJson {
    private static final String INDENT = "    ";

    private KubectlJson() {}

    /**
     * @param object a JSON-like tree (maps with string keys, lists, strings, booleans, numbers, nulls) as
     *        Jackson reads an API server's JSON, with apiVersion and kind, without metadata.managedFields
     * @return the UTF-8 bytes kubectl prints
     * @throws IllegalArgumentException for a value JSON cannot hold (NaN, infinities, other types)
     */
    public static byte[] render(Map<String, ?> object) {
        StringBuilder out = new StringBuilder();
        value(out, object, 0);
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(StringBuilder out, Object value, int depth) {
        switch (value) {
            case null -> out.append("null");
            case String s -> GoJsonString.quote(out, s);
            case Boolean b -> out.append(b);
            case Number n -> out.append(KubectlNumber.of(n).json());
            case Map<?, ?> map -> {
                List<String> keys = GoJsonString.sortedKeys(map);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    newline(out, depth + 1);
                    GoJsonString.quote(out, keys.get(i));
                    out.append(": ");
                    value(out, map.get(keys.get(i)), depth + 1);
                }
                close(out, '}', depth, keys.isEmpty());
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",");
                    newline(out, depth + 1);
                    value(out, list.get(i), depth + 1);
                }
                close(out, ']', depth, list.isEmpty());
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** json.Indent leaves an empty map or list on one line. */
    private static void close(StringBuilder out, char bracket, int depth, boolean empty) {
        if (!empty) {
            newline(out, depth);
        }
        out.append(bracket);
    }

    private static void newline(StringBuilder out, int depth) {
        out.append('\n').append(INDENT.repeat(depth));
    }
}
