package io.k9p.kube.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What goyaml.v2 reads from the JSON kubectl makes of an object: sigs.k8s.io/yaml's Marshal does json.Marshal,
 * then yaml.Unmarshal into interface{}, then yaml.Marshal. That round trip is not quite the identity. JSON leaves
 * U+0085 (NEL) unescaped and the YAML scanner takes it for a line break, which a double-quoted scalar folds
 * (scannerc.go, yaml_parser_scan_flow_scalar); the YAML reader rejects characters JSON leaves raw (readerc.go);
 * and a key must be a simple key, on one line and within 1024 characters (yaml_simple_key_is_valid). Where
 * kubectl fails, this throws kubectl's error.
 */
final class JsonToYaml {
    private static final int NEL = 0x85;

    /** The line breaks (NELs) the scanner has met: its error messages say on which line they are. */
    private int line;

    private JsonToYaml() {}

    /** @throws IllegalArgumentException with kubectl's error, where kubectl fails to print the object */
    static YamlNode read(Map<String, ?> object) {
        checkCharacters(object);
        return new JsonToYaml().node(object);
    }

    /**
     * The reader checks characters a 512-byte buffer at a time, ahead of the scanner, so this check comes first;
     * where an object has both such a character and a scanner or parser problem kubectl may report the other.
     */
    private static void checkCharacters(Object value) {
        switch (value) {
            case String s -> s.codePoints().forEach(c -> {
                if (c >= 0x7F && c <= 0x9F && c != NEL || c == 0xFFFE || c == 0xFFFF) {
                    throw new IllegalArgumentException("yaml: control characters are not allowed");
                }
            });
            case Map<?, ?> map -> map.forEach((key, item) -> {
                checkCharacters(key);
                checkCharacters(item);
            });
            case List<?> list -> list.forEach(JsonToYaml::checkCharacters);
            case null, default -> {
            }
        }
    }

    /** In the order of the JSON text, so that line numbers come out right. */
    private YamlNode node(Object value) {
        return switch (value) {
            case null -> new YamlNode.Plain("null");
            case String s -> new YamlNode.Text(string(s));
            case Boolean b -> new YamlNode.Plain(b.toString());
            case Number n -> new YamlNode.Plain(KubectlNumber.of(n).yaml());
            case Map<?, ?> map -> {
                SortedMap<String, YamlNode> entries = new TreeMap<>(YamlKeyOrder.INSTANCE);
                for (String key : GoJsonString.sortedKeys(map)) {
                    int before = line;
                    String read = string(key);
                    if (line != before || GoJsonString.quotedLength(key) > 1024) {
                        // Not a simple key, so the parser meets its ':' where it expects the next key.
                        throw new IllegalArgumentException("yaml: " + (line == 0 ? "" : "line " + line + ": ")
                                + "did not find expected ',' or '}'");
                    }
                    entries.put(read, node(map.get(key)));
                }
                yield new YamlNode.Mapping(entries);
            }
            case List<?> list -> {
                List<YamlNode> items = new ArrayList<>(list.size());
                list.forEach(item -> items.add(node(item)));
                yield new YamlNode.Sequence(items);
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        };
    }

    /**
     * A string as the scanner reads it back from its JSON: a run of spaces and NELs folds to a space if it has one
     * NEL, else to a newline for each NEL after the first. A lone surrogate stands for what Go sees in a string
     * that is not UTF-8, which JSON writes as U+FFFD.
     */
    private String string(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (true) {
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != NEL) {
                int c = s.codePointAt(i);
                i += Character.charCount(c);
                out.appendCodePoint(GoJsonString.isSurrogate(c) ? 0xFFFD : c);
            }
            if (i == s.length()) {
                return out.toString();
            }
            StringBuilder spaces = new StringBuilder();
            boolean folding = false;
            int breaks = 0;
            boolean lineStart = false;
            for (; i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == NEL); i++) {
                lineStart = s.charAt(i) == NEL;
                if (lineStart) {
                    line++;
                    if (folding) {
                        breaks++;
                    }
                    folding = true;
                } else if (!folding) {
                    spaces.append(' ');
                }
            }
            out.append(folding ? breaks == 0 ? " " : "\n".repeat(breaks) : spaces);
            if (lineStart && documentIndicator(s, i)) {
                throw new IllegalArgumentException(
                        "yaml: line " + (line + 1) + ": found unexpected document indicator");
            }
        }
    }

    /** "---" or "..." at the start of a line, followed by a blank or a break (not by the closing quote). */
    private static boolean documentIndicator(String s, int i) {
        return (s.startsWith("---", i) || s.startsWith("...", i))
                && i + 3 < s.length() && (s.charAt(i + 3) == ' ' || s.charAt(i + 3) == NEL);
    }
}
