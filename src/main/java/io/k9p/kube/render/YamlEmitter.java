package io.k9p.kube.render;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * goyaml.v2's emitter (emitterc.go) as its encoder drives it for a document of maps, lists and scalars: block
 * style, two-space indentation, sequences in a map not indented, empty collections in flow style, and scalars
 * in the style the encoder asks for unless the emitter's analysis rules it out. Its state (column, whether the
 * last character written was whitespace or indentation, the indentation stack) is the emitter's, since the
 * output depends on it in ways a cleaner design would not reproduce.
 */
final class YamlEmitter {
    private static final int BEST_INDENT = 2;
    private static final int BEST_WIDTH = 80;
    /** yaml_emitter_check_simple_key: a longer key is written as a complex key, after "? ". */
    private static final int MAX_SIMPLE_KEY_LENGTH = 128;

    private enum Style { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED, LITERAL }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Deque<Integer> indents = new ArrayDeque<>();
    private int indent = -1;
    /** In characters, not bytes. */
    private int column;
    private boolean whitespace = true;
    private boolean indention = true;

    private YamlEmitter() {}

    static byte[] emit(YamlNode document) {
        YamlEmitter emitter = new YamlEmitter();
        emitter.node(document, false);
        // The document end: goyaml.v2 writes no "..." for an implicit end, only the last line's break.
        emitter.writeIndent();
        return emitter.out.toByteArray();
    }

    /** A key's value, an item, or the document; keys are written by {@link #mapping}. */
    private void node(YamlNode node, boolean mappingContext) {
        switch (node) {
            case YamlNode.Mapping m when m.entries().isEmpty() -> emptyFlow("{", "}");
            case YamlNode.Sequence s when s.items().isEmpty() -> emptyFlow("[", "]");
            case YamlNode.Mapping m -> mapping(m.entries());
            case YamlNode.Sequence s -> sequence(s, mappingContext);
            case YamlNode.Text t -> scalar(YamlScalar.analyze(bytes(t.value())), requested(t.value()), false);
            case YamlNode.Plain p -> scalar(YamlScalar.analyze(bytes(p.text())), Style.PLAIN, false);
        }
    }

    private void emptyFlow(String open, String close) {
        writeIndicator(open, true, true, false);
        writeIndicator(close, false, false, false);
    }

    private void mapping(Map<String, YamlNode> entries) {
        increaseIndent(false, false);
        entries.forEach((key, value) -> {
            writeIndent();
            YamlScalar analyzed = YamlScalar.analyze(bytes(key));
            if (!analyzed.multiline() && analyzed.value().length <= MAX_SIMPLE_KEY_LENGTH) {
                scalar(analyzed, requested(key), true);
                writeIndicator(":", false, false, false);
            } else {
                writeIndicator("?", true, false, true);
                scalar(analyzed, requested(key), false);
                writeIndent();
                writeIndicator(":", true, false, true);
            }
            node(value, true);
        });
        popIndent();
    }

    private void sequence(YamlNode.Sequence sequence, boolean mappingContext) {
        // A sequence right after its key (the "key:" line is no indentation) is not indented.
        increaseIndent(false, mappingContext && !indention);
        for (YamlNode item : sequence.items()) {
            writeIndent();
            writeIndicator("-", true, false, true);
            node(item, false);
        }
        popIndent();
    }

    /**
     * The encoder's choice for a string (encode.go, stringv): a literal block if it has a newline, plain if it
     * reads back as a string, else double-quoted.
     */
    private static Style requested(String value) {
        return value.contains("\n") ? Style.LITERAL
                : YamlResolve.isPlainString(value) ? Style.PLAIN : Style.DOUBLE_QUOTED;
    }

    /** The emitter's choice (yaml_emitter_select_scalar_style), then the scalar. */
    private void scalar(YamlScalar scalar, Style requested, boolean simpleKey) {
        Style style = requested;
        if (style == Style.PLAIN && !scalar.plainAllowed()) {
            style = Style.SINGLE_QUOTED;
        }
        if (style == Style.SINGLE_QUOTED && !scalar.singleQuotedAllowed()) {
            style = Style.DOUBLE_QUOTED;
        }
        if (style == Style.LITERAL && !scalar.blockAllowed()) {
            style = Style.DOUBLE_QUOTED;
        }
        increaseIndent(true, false);
        byte[] value = scalar.value();
        switch (style) {
            case PLAIN -> writePlain(value, !simpleKey);
            case SINGLE_QUOTED -> writeSingleQuoted(value, !simpleKey);
            case DOUBLE_QUOTED -> writeDoubleQuoted(value, !simpleKey);
            case LITERAL -> writeLiteral(value);
        }
        popIndent();
    }

    private void writePlain(byte[] value, boolean allowBreaks) {
        if (!whitespace) {
            put(' ');
        }
        boolean spaces = false;
        for (int i = 0; i < value.length; ) {
            if (value[i] == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && !isSpace(value, i + 1)) {
                    writeIndent();
                    i++;
                } else {
                    i = write(value, i);
                }
                spaces = true;
            } else {
                // Plain scalars have no line breaks: the analysis rules it out.
                i = write(value, i);
                indention = false;
                spaces = false;
            }
        }
        whitespace = false;
        indention = false;
    }

    private void writeSingleQuoted(byte[] value, boolean allowBreaks) {
        writeIndicator("'", true, false, false);
        boolean spaces = false;
        boolean breaks = false;
        for (int i = 0; i < value.length; ) {
            if (value[i] == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < value.length - 1
                        && !isSpace(value, i + 1)) {
                    writeIndent();
                    i++;
                } else {
                    i = write(value, i);
                }
                spaces = true;
            } else if (YamlScalar.isBreak(value, i)) {
                // Only LS and PS get here: a newline makes the encoder ask for a literal block or double quotes.
                i = writeBreak(value, i);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                if (value[i] == '\'') {
                    put('\'');
                }
                i = write(value, i);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }
        writeIndicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeDoubleQuoted(byte[] value, boolean allowBreaks) {
        writeIndicator("\"", true, false, false);
        // is_bom looks at the scalar's start whatever the position, so after a BOM every character is escaped.
        boolean bom = value.length >= 3 && (value[0] & 0xFF) == 0xEF && (value[1] & 0xFF) == 0xBB
                && (value[2] & 0xFF) == 0xBF;
        boolean spaces = false;
        for (int i = 0; i < value.length; ) {
            if (!YamlScalar.isPrintable(value, i) || bom || YamlScalar.isBreak(value, i)
                    || value[i] == '"' || value[i] == '\\') {
                int w = YamlScalar.width(value[i]);
                int c = new String(value, i, w, StandardCharsets.UTF_8).codePointAt(0);
                i += w;
                put('\\');
                switch (c) {
                    case 0x00 -> put('0');
                    case 0x07 -> put('a');
                    case 0x08 -> put('b');
                    case 0x09 -> put('t');
                    case 0x0A -> put('n');
                    case 0x0B -> put('v');
                    case 0x0C -> put('f');
                    case 0x0D -> put('r');
                    case 0x1B -> put('e');
                    case 0x22 -> put('"');
                    case 0x5C -> put('\\');
                    case 0x85 -> put('N');
                    case 0xA0 -> put('_');
                    case 0x2028 -> put('L');
                    case 0x2029 -> put('P');
                    default -> {
                        String hex = Integer.toHexString(c).toUpperCase();
                        int digits = c <= 0xFF ? 2 : c <= 0xFFFF ? 4 : 8;
                        put(c <= 0xFF ? 'x' : c <= 0xFFFF ? 'u' : 'U');
                        "0".repeat(digits - hex.length()).concat(hex).chars().forEach(this::put);
                    }
                }
                spaces = false;
            } else if (value[i] == ' ') {
                if (allowBreaks && !spaces && column > BEST_WIDTH && i > 0 && i < value.length - 1) {
                    writeIndent();
                    // The break folds to this space; a space after it would be taken for indentation.
                    if (isSpace(value, i + 1)) {
                        put('\\');
                    }
                    i++;
                } else {
                    i = write(value, i);
                }
                spaces = true;
            } else {
                i = write(value, i);
                spaces = false;
            }
        }
        writeIndicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void writeLiteral(byte[] value) {
        writeIndicator("|", true, false, false);
        // An indentation indicator where the content's own leading space would be taken for indentation.
        if (isSpace(value, 0) || YamlScalar.isBreak(value, 0)) {
            writeIndicator(String.valueOf(BEST_INDENT), false, false, false);
        }
        String chomping = chomping(value);
        if (!chomping.isEmpty()) {
            writeIndicator(chomping, false, false, false);
        }
        putBreak();
        indention = true;
        whitespace = true;
        boolean breaks = true;
        for (int i = 0; i < value.length; ) {
            if (YamlScalar.isBreak(value, i)) {
                i = writeBreak(value, i);
                indention = true;
                breaks = true;
            } else {
                if (breaks) {
                    writeIndent();
                }
                i = write(value, i);
                indention = false;
                breaks = false;
            }
        }
    }

    /** "-" strips a missing final line break, "+" keeps several; none ("clip") for exactly one. */
    private static String chomping(byte[] value) {
        int last = previousCharacter(value, value.length);
        if (!YamlScalar.isBreak(value, last)) {
            return "-";
        }
        return last == 0 || YamlScalar.isBreak(value, previousCharacter(value, last)) ? "+" : "";
    }

    private static int previousCharacter(byte[] value, int end) {
        int i = end - 1;
        while ((value[i] & 0xC0) == 0x80) {
            i--;
        }
        return i;
    }

    private void increaseIndent(boolean flow, boolean indentless) {
        indents.push(indent);
        if (indent < 0) {
            indent = flow ? BEST_INDENT : 0;
        } else if (!indentless) {
            indent += BEST_INDENT;
        }
    }

    private void popIndent() {
        indent = indents.pop();
    }

    private void writeIndent() {
        int target = Math.max(indent, 0);
        if (!indention || column > target || column == target && !whitespace) {
            putBreak();
        }
        while (column < target) {
            put(' ');
        }
        whitespace = true;
        indention = true;
    }

    private void writeIndicator(String indicator, boolean needWhitespace, boolean isWhitespace, boolean isIndention) {
        if (needWhitespace && !whitespace) {
            put(' ');
        }
        indicator.chars().forEach(this::put);
        whitespace = isWhitespace;
        indention = indention && isIndention;
    }

    private void put(int ascii) {
        out.write(ascii);
        column++;
    }

    private void putBreak() {
        out.write('\n');
        column = 0;
    }

    /** Copies one character, returning the index after it. */
    private int write(byte[] value, int i) {
        int w = YamlScalar.width(value[i]);
        out.write(value, i, w);
        column++;
        return i + w;
    }

    /** A newline as the emitter's line break, any other break (LS, PS) as it is. */
    private int writeBreak(byte[] value, int i) {
        if (value[i] == '\n') {
            putBreak();
            return i + 1;
        }
        int next = write(value, i);
        column = 0;
        return next;
    }

    private static boolean isSpace(byte[] value, int i) {
        return i < value.length && value[i] == ' ';
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
