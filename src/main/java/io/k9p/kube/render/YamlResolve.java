package io.k9p.kube.render;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * goyaml.v2's reading of plain scalars (resolve.go's resolve, decoded into interface{} as decode.go does),
 * for both directions: its encoder writes a string plain only if reading it back gives that string and it is no
 * YAML 1.1 base-60 float (encode.go's isBase60Float), and otherwise double-quotes it; its decoder gives what
 * kubectl apply makes of what people write.
 */
final class YamlResolve {
    /**
     * resolve.go's resolveMap: the booleans, nulls, infinities and NaNs of YAML 1.1. (It has the merge key
     * {@code <<} too, but never looks it up: '<' is not among the first characters that make it look.)
     */
    /** Stands for YAML's null among the values of {@link #SPECIAL}, which a Map cannot hold as null. */
    private static final Object NULL = new Object();
    private static final Map<String, Object> SPECIAL = special();
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BASE_60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    /** Go's ParseFloat syntax for what starts with a period: digits and underscores, an optional exponent. */
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9_]*[0-9][0-9_]*([eE][-+]?[0-9][0-9_]*)?");
    private static final BigInteger INT64_LIMIT = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private YamlResolve() {}

    private static Map<String, Object> special() {
        Map<String, Object> special = new HashMap<>();
        for (String s : List.of("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")) {
            special.put(s, Boolean.TRUE);
        }
        for (String s : List.of("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")) {
            special.put(s, Boolean.FALSE);
        }
        for (String s : List.of("", "~", "null", "Null", "NULL")) {
            special.put(s, NULL);
        }
        for (String s : List.of(".nan", ".NaN", ".NAN")) {
            special.put(s, Double.NaN);
        }
        for (String s : List.of(".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")) {
            special.put(s, Double.POSITIVE_INFINITY);
        }
        for (String s : List.of("-.inf", "-.Inf", "-.INF")) {
            special.put(s, Double.NEGATIVE_INFINITY);
        }
        return Map.copyOf(special);
    }

    static boolean isPlainString(String s) {
        return decode(s) instanceof String && !YamlTimestamp.matches(s)
                && !(s.indexOf(':') >= 0 && BASE_60_FLOAT.matcher(s).matches());
    }

    /**
     * What goyaml.v2 decodes a plain scalar into: null, a Boolean, a Long (an int64), a BigInteger (a uint64
     * beyond int64), a Double, or the String itself (timestamps too: decode.go keeps them strings in interface{}).
     */
    static Object decode(String s) {
        // resolve looks further only at what starts with a sign, a digit, a period or a letter of its table.
        char hint = s.isEmpty() ? 'N' : s.charAt(0);
        boolean number = hint == '+' || hint == '-' || hint >= '0' && hint <= '9';
        if (!number && hint != '.' && "yYnNtTfFoO~".indexOf(hint) < 0) {
            return s;
        }
        Object special = SPECIAL.get(s);
        if (special != null) {
            return special == NULL ? null : special;
        }
        if (hint == '.') {
            return DOT_FLOAT.matcher(s).matches() && underscoresOk(s) ? finite(s.replace("_", ""), s) : s;
        }
        if (!number || YamlTimestamp.matches(s)) {
            return s;
        }
        String plain = s.replace("_", "");
        BigInteger integer = integer(plain, 0);
        if (integer == null && YAML_FLOAT.matcher(plain).matches()) {
            Object value = finite(plain, null);
            if (value != null) {
                return value;
            }
        }
        if (integer == null && plain.startsWith("0b")) {
            integer = integer(plain.substring(2), 2);
        } else if (integer == null && plain.startsWith("-0b")) {
            integer = integer("-" + plain.substring(3), 2);
        }
        if (integer == null) {
            return s;
        }
        return integer.bitLength() < Long.SIZE ? (Object) integer.longValue() : integer;
    }

    /**
     * What strconv.ParseInt(s, base, 64), or failing that ParseUint(s, base, 64), reads from s, or null; base 0
     * takes the base from a prefix (0b, 0o, 0x, or 0 for octal).
     */
    private static BigInteger integer(String s, int base) {
        char sign = s.isEmpty() ? 0 : s.charAt(0);
        String digits = sign == '+' || sign == '-' ? s.substring(1) : s;
        if (digits.isEmpty()) {
            return null;
        }
        if (base == 0) {
            base = 10;
            if (digits.charAt(0) == '0') {
                char prefix = digits.length() >= 3 ? lower(digits.charAt(1)) : 0;
                base = switch (prefix) {
                    case 'b' -> 2;
                    case 'o' -> 8;
                    case 'x' -> 16;
                    default -> 8;
                };
                // A lone 0, or the 0 of an octal number, is a prefix too, so "0" reads as nothing.
                digits = digits.substring(prefix == 'b' || prefix == 'o' || prefix == 'x' ? 2 : 1);
            }
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            int digit = isDigit(c) ? c - '0' : lower(c) >= 'a' && lower(c) <= 'z' ? lower(c) - 'a' + 10 : base;
            if (digit >= base) {
                return null;
            }
        }
        BigInteger value = digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits, base);
        boolean fits = switch (sign) {
            case '+' -> value.compareTo(INT64_LIMIT) < 0;
            case '-' -> value.compareTo(INT64_LIMIT) <= 0;
            default -> value.compareTo(UINT64_LIMIT) < 0;
        };
        return fits ? (sign == '-' ? value.negate() : value) : null;
    }

    /** strconv's lower: ASCII letters to lower case, any other byte to something that is no letter. */
    private static char lower(char c) {
        return c < 0x80 ? (char) (c | 0x20) : 0;
    }

    /** Go's ParseFloat fails on a number beyond float64's range (but not on one that rounds to zero). */
    private static Object finite(String s, Object otherwise) {
        double value = Double.parseDouble(s);
        return Double.isFinite(value) ? (Object) value : otherwise;
    }

    /** strconv's underscoreOK: each underscore between two digits. */
    private static boolean underscoresOk(String s) {
        for (int i = s.indexOf('_'); i >= 0; i = s.indexOf('_', i + 1)) {
            if (i == 0 || i == s.length() - 1 || !isDigit(s.charAt(i - 1)) || !isDigit(s.charAt(i + 1))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
