package io.k9p.kube.render;

import java.math.BigDecimal;

/**
 * Go's formatting of a float64 with the shortest digits that read back as the same value:
 * encoding/json's (floatEncoder) and strconv.FormatFloat(f, 'g', -1, 64), which goyaml.v2 uses.
 */
final class GoFloat {
    /** Shortest digits {@code 0.DIGITS × 10^point}, without leading or trailing zeros (Go's decimalSlice). */
    private record Decimal(boolean negative, String digits, int point) {}

    private GoFloat() {}

    /** As encoding/json writes it: fixed for 1e-6 <= |f| < 1e21, else e-notation without exponent padding. */
    static String json(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("json: unsupported value: " + value);
        }
        double abs = Math.abs(value);
        Decimal decimal = shortest(value);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
            // encoding/json turns strconv's e-07 into e-7 (its positive exponents have two digits anyway).
            return exponent(decimal, false);
        }
        return fixed(decimal);
    }

    /** As strconv.FormatFloat(value, 'g', -1, 64) writes a finite value (JSON has no others). */
    static String g(double value) {
        Decimal decimal = shortest(value);
        int exponent = decimal.point() - 1;
        // For the shortest digits Go decides between %e and %f as if the precision were 6.
        return exponent < -4 || exponent >= 6 ? exponent(decimal, true) : fixed(decimal);
    }

    private static String fixed(Decimal decimal) {
        StringBuilder out = new StringBuilder(decimal.negative() ? "-" : "");
        String digits = decimal.digits();
        int point = decimal.point();
        if (point > 0) {
            for (int i = 0; i < point; i++) {
                out.append(i < digits.length() ? digits.charAt(i) : '0');
            }
        } else {
            out.append('0');
        }
        int fraction = Math.max(digits.length() - point, 0);
        if (fraction > 0) {
            out.append('.');
            for (int i = 0; i < fraction; i++) {
                int j = point + i;
                out.append(j >= 0 && j < digits.length() ? digits.charAt(j) : '0');
            }
        }
        return out.toString();
    }

    private static String exponent(Decimal decimal, boolean twoDigits) {
        StringBuilder out = new StringBuilder(decimal.negative() ? "-" : "");
        String digits = decimal.digits();
        out.append(digits.isEmpty() ? '0' : digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        int exponent = digits.isEmpty() ? 0 : decimal.point() - 1;
        out.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (twoDigits && abs < 10) {
            out.append('0');
        }
        return out.append(abs).toString();
    }

    /**
     * The shortest digits, from Java's, which are Go's except in one case: where a one-digit decimal reads
     * back as the value, Java still prefers a closer two-digit one (Double.toString's javadoc, JDK 19+), as for
     * 4.9E-324, which Go writes 5e-324. Go takes the closest of the one-digit ones, which round the value down
     * or up (only subnormals have room for more than one, and none lies half-way).
     */
    private static Decimal shortest(double value) {
        Decimal java = parse(Double.toString(Math.abs(value)), value < 0 || Double.compare(value, -0.0) == 0);
        if (java.digits().length() != 2) {
            return java;
        }
        int first = java.digits().charAt(0) - '0';
        Decimal down = new Decimal(java.negative(), String.valueOf(first), java.point());
        Decimal up = first == 9
                ? new Decimal(java.negative(), "1", java.point() + 1)
                : new Decimal(java.negative(), String.valueOf(first + 1), java.point());
        boolean downFits = readsBack(down, value);
        boolean upFits = readsBack(up, value);
        if (downFits && upFits) {
            BigDecimal exact = new BigDecimal(Math.abs(value));
            return exact.subtract(toBigDecimal(down)).compareTo(toBigDecimal(up).subtract(exact)) < 0 ? down : up;
        }
        return downFits ? down : upFits ? up : java;
    }

    private static boolean readsBack(Decimal decimal, double value) {
        return Double.parseDouble(toBigDecimal(decimal).toString()) == Math.abs(value);
    }

    private static BigDecimal toBigDecimal(Decimal decimal) {
        return new BigDecimal("0." + decimal.digits() + "E" + decimal.point());
    }

    /** Reads Double.toString's "123.45" or "1.2345E-7" of a non-negative value. */
    private static Decimal parse(String text, boolean negative) {
        int e = text.indexOf('E');
        String mantissa = e < 0 ? text : text.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(text.substring(e + 1));
        int dot = mantissa.indexOf('.');
        String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int point = dot + exponent;
        int lead = 0;
        while (lead < all.length() && all.charAt(lead) == '0') {
            lead++;
        }
        int end = all.length();
        while (end > lead && all.charAt(end - 1) == '0') {
            end--;
        }
        if (lead == end) {
            return new Decimal(negative, "", 0);
        }
        return new Decimal(negative, all.substring(lead, end), point - lead);
    }
}
