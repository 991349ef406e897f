package io.k9p.kube.render;

/**
 * goyaml.v2's analysis of a scalar (emitterc.go, yaml_emitter_analyze_scalar), for the block context kubectl's
 * YAML scalars are all in, over the UTF-8 bytes as the emitter sees them.
 *
 * @param value the scalar's UTF-8 bytes
 * @param multiline whether it has a line break (LF, CR, NEL, LS or PS), which rules out a simple key
 * @param plainAllowed whether it may be written plain
 * @param singleQuotedAllowed whether it may be written in single quotes
 * @param blockAllowed whether it may be written as a literal block
 */
record YamlScalar(byte[] value, boolean multiline, boolean plainAllowed, boolean singleQuotedAllowed,
        boolean blockAllowed) {

    static YamlScalar analyze(byte[] value) {
        if (value.length == 0) {
            return new YamlScalar(value, false, true, true, false);
        }
        boolean indicators = startsWith(value, "---") || startsWith(value, "...");
        boolean special = false;
        boolean lineBreaks = false;
        boolean leadingSpace = false;
        boolean leadingBreak = false;
        boolean trailingSpace = false;
        boolean trailingBreak = false;
        boolean breakSpace = false;
        boolean spaceBreak = false;
        boolean precededByWhitespace = true;
        boolean previousSpace = false;
        boolean previousBreak = false;
        for (int i = 0, w; i < value.length; i += w) {
            w = width(value[i]);
            boolean last = i + w >= value.length;
            boolean followedByWhitespace = last || isBlank(value, i + w);
            int c = value[i] & 0xFF;
            if (i == 0) {
                indicators |= "#,[]{}&*!|>'\"%@`".indexOf(c) >= 0
                        || (c == '?' || c == ':' || c == '-') && followedByWhitespace;
            } else {
                indicators |= c == ':' && followedByWhitespace || c == '#' && precededByWhitespace;
            }
            special |= !isPrintable(value, i);
            if (c == ' ') {
                leadingSpace |= i == 0;
                trailingSpace |= last;
                breakSpace |= previousBreak;
                previousSpace = true;
                previousBreak = false;
            } else if (isBreak(value, i)) {
                lineBreaks = true;
                leadingBreak |= i == 0;
                trailingBreak |= last;
                spaceBreak |= previousSpace;
                previousSpace = false;
                previousBreak = true;
            } else {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = isBlank(value, i) || isBreak(value, i);
        }
        boolean plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || breakSpace || spaceBreak
                || special || lineBreaks || indicators);
        return new YamlScalar(value, lineBreaks, plain, !(breakSpace || spaceBreak || special),
                !(trailingSpace || spaceBreak || special));
    }

    /** The length of the UTF-8 sequence a byte starts. */
    static int width(byte b) {
        int c = b & 0xFF;
        return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }

    /**
     * yamlprivateh.go's is_printable, which, as written, takes every four-byte sequence (emoji and other
     * characters beyond U+FFFF) for unprintable, along with tab, CR, C1 controls, U+FEFF, U+FFFE and U+FFFF.
     */
    static boolean isPrintable(byte[] b, int i) {
        int c = b[i] & 0xFF;
        int next = i + 1 < b.length ? b[i + 1] & 0xFF : 0;
        int after = i + 2 < b.length ? b[i + 2] & 0xFF : 0;
        return c == 0x0A
                || c >= 0x20 && c <= 0x7E
                || c == 0xC2 && next >= 0xA0
                || c > 0xC2 && c < 0xED
                || c == 0xED && next < 0xA0
                || c == 0xEE
                || c == 0xEF && !(next == 0xBB && after == 0xBF) && !(next == 0xBF && (after == 0xBE || after == 0xBF));
    }

    static boolean isBreak(byte[] b, int i) {
        int c = b[i] & 0xFF;
        int next = i + 1 < b.length ? b[i + 1] & 0xFF : 0;
        int after = i + 2 < b.length ? b[i + 2] & 0xFF : 0;
        return c == '\r' || c == '\n' || c == 0xC2 && next == 0x85
                || c == 0xE2 && next == 0x80 && (after == 0xA8 || after == 0xA9);
    }

    static boolean isBlank(byte[] b, int i) {
        return i < b.length && (b[i] == ' ' || b[i] == '\t');
    }

    static boolean startsWith(byte[] b, String ascii) {
        if (b.length < ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
