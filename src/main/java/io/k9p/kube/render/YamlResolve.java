package io.k9p.kube.render;

import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether goyaml.v2 may write a string as a plain scalar: only if reading it back unquoted gives a string
 * (resolve.go's resolve) and it is no YAML 1.1 base-60 float (encode.go's isBase60Float). Otherwise its
 * encoder double-quotes it.
 */
final class YamlResolve {
    /**
     * resolve.go's resolveMap: the booleans, nulls, infinities and NaNs of YAML 1.1. (It has the merge key
     * {@code <<} too, but never looks it up: '<' is not among the first characters that make it look.)
     */
    private static final Set<String> SPECIAL = Set.of(
            "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
            "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
            "", "~", "null", "Null", "NULL",
            ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF");
    private static final Pattern YAML_FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern BASE_60_FLOAT = Pattern.compile("[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?");
    /** Go's ParseFloat syntax for what starts with a period: digits and underscores, an optional exponent. */
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9_]*[0-9][0-9_]*([eE][-+]?[0-9][0-9_]*)?");
    private static final BigInteger INT64_LIMIT = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger UINT64_LIMIT = BigInteger.ONE.shiftLeft(64);

    private YamlResolve() {}

    static boolean isPlainString(String s) {
        // resolve looks further only at what starts with a sign, a digit, a period or a letter of its table.
        char hint = s.isEmpty() ? 'N' : s.charAt(0);
        boolean number = hint == '+' || hint == '-' || hint >= '0' && hint <= '9';
        if (!number && hint != '.' && "yYnNtTfFoO~".indexOf(hint) < 0) {
            return true;
        }
        if (SPECIAL.contains(s)) {
            return false;
        }
        if (hint == '.') {
            return !(DOT_FLOAT.matcher(s).matches() && underscoresOk(s) && isFinite(s.replace("_", "")));
        }
        if (!number) {
            return true;
        }
        if (YamlTimestamp.matches(s)) {
            return false;
        }
        String plain = s.replace("_", "");
        if (isInteger(plain, 0)
                || YAML_FLOAT.matcher(plain).matches() && isFinite(plain)
                || plain.startsWith("0b") && isInteger(plain.substring(2), 2)
                || plain.startsWith("-0b") && isInteger("-" + plain.substring(3), 2)) {
            return false;
        }
        return !(s.indexOf(':') >= 0 && BASE_60_FLOAT.matcher(s).matches());
    }

    /**
     * Whether strconv.ParseInt(s, base, 64) or ParseUint(s, base, 64) accepts s; base 0 takes the base from a
     * prefix (0b, 0o, 0x, or 0 for octal).
     */
    private static boolean isInteger(String s, int base) {
        char sign = s.isEmpty() ? 0 : s.charAt(0);
        String digits = sign == '+' || sign == '-' ? s.substring(1) : s;
        if (digits.isEmpty()) {
            return false;
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
                return false;
            }
        }
        BigInteger value = digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits, base);
        return switch (sign) {
            case '+' -> value.compareTo(INT64_LIMIT) < 0;
            case '-' -> value.compareTo(INT64_LIMIT) <= 0;
            default -> value.compareTo(UINT64_LIMIT) < 0;
        };
    }

    /** strconv's lower: ASCII letters to lower case, any other byte to something that is no letter. */
    private static char lower(char c) {
        return c < 0x80 ? (char) (c | 0x20) : 0;
    }

    /** Go's ParseFloat fails on a number beyond float64's range (but not on one that rounds to zero). */
    private static boolean isFinite(String s) {
        return Double.isFinite(Double.parseDouble(s));
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
