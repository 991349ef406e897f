package io.k9p.kube.render;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A JSON number as kubectl holds it, and as its printers write it. kubectl decodes an object's JSON with
 * k8s.io/apimachinery/pkg/util/json, whose convertNumber makes an int64 of an integer literal that fits and a
 * float64 of anything else (so 1.0 prints as 1, and an integer beyond int64 as a float64).
 */
sealed interface KubectlNumber {
    /** As encoding/json writes it. */
    String json();

    /**
     * As kubectl's YAML shows it: goyaml.v2 reads the JSON text back, taking an integer literal that fits int64,
     * or failing that uint64, for an integer and anything else for a float64, which it writes with 'g'.
     */
    String yaml();

    record Int64(long value) implements KubectlNumber {
        @Override
        public String json() {
            return Long.toString(value);
        }

        @Override
        public String yaml() {
            return json();
        }
    }

    record Float64(double value) implements KubectlNumber {
        @Override
        public String json() {
            return GoFloat.json(value);
        }

        /** A float64 that JSON writes without a fraction reads back as an integer (-0 as 0), unless too big. */
        @Override
        public String yaml() {
            String json = json();
            if (json.chars().allMatch(c -> c == '-' || c >= '0' && c <= '9')) {
                BigInteger integer = new BigInteger(json);
                if (integer.bitLength() <= (integer.signum() < 0 ? Long.SIZE - 1 : Long.SIZE)) {
                    return integer.toString();
                }
            }
            return GoFloat.g(value);
        }
    }

    /**
     * What kubectl makes of the literal Jackson read into this number: integral types are integer literals;
     * Double, Float and BigDecimal came from literals with a fraction or an exponent.
     */
    static KubectlNumber of(Number number) {
        return switch (number) {
            case Double d -> new Float64(d);
            case Float f -> new Float64(Double.parseDouble(f.toString()));
            case BigDecimal d -> new Float64(Double.parseDouble(d.toString()));
            case BigInteger i -> i.bitLength() < Long.SIZE ? new Int64(i.longValue()) : new Float64(i.doubleValue());
            case Long l -> new Int64(l);
            case Integer i -> new Int64(i);
            case Short s -> new Int64(s);
            case Byte b -> new Int64(b);
            default -> of(new BigInteger(number.toString()));
        };
    }
}
