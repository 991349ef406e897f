package io.k9p.kube.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Strings as Go's encoding/json (Go 1.23, HTML escaping on, as in json.Marshal) writes and orders them. */
final class GoJsonString {
    private static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJsonString() {}

    /** A map's keys in the order Go writes them: by their UTF-8 bytes, which is the order of their code points. */
    static List<String> sortedKeys(Map<?, ?> map) {
        List<String> keys = new ArrayList<>(map.size());
        map.keySet().forEach(key -> keys.add((String) key));
        keys.sort(KEY_ORDER);
        return keys;
    }

    /** Appends the quoted string. */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            String escape = escape(c);
            if (escape != null) {
                out.append(escape);
            } else {
                out.appendCodePoint(c);
            }
        }
        out.append('"');
    }

    /** How many characters the quoted string has: the YAML scanner counts them to limit a key's length. */
    static int quotedLength(String s) {
        int length = 2;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            String escape = escape(c);
            length += escape == null ? 1 : escape.length();
        }
        return length;
    }

    /**
     * The escape Go writes for a character, or null for none. A lone surrogate stands for what Go sees in a
     * string that is not UTF-8, which it replaces with U+FFFD.
     */
    private static String escape(int c) {
        return switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            // Go 1.22 and later; before, these were \u0008 and \u000c.
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            // HTML-sensitive, and the two separators that break JavaScript (JSONP).
            case '<', '>', '&', '\u2028', '\u2029' -> unicode(c);
            default -> c < 0x20 ? unicode(c) : isSurrogate(c) ? "\\ufffd" : null;
        };
    }

    static boolean isSurrogate(int c) {
        return c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE;
    }

    private static String unicode(int c) {
        return "\\u" + HEX[c >> 12 & 0xF] + HEX[c >> 8 & 0xF] + HEX[c >> 4 & 0xF] + HEX[c & 0xF];
    }
}
