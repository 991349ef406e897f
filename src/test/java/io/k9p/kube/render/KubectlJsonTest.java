package io.k9p.kube.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from kubectl 1.32's output; {@code io.k9p.kube.KubectlOutputTest} checks them all against kubectl itself. */
class KubectlJsonTest {
    @Test
    void escapesAsGo123WithHtmlEscaping() {
        assertThat(json(Map.of("k", "\b\f\u0001\u001f<>&\u2028\u2029\u0085\u007f")))
                .isEqualTo("{\n    \"k\": \"\\b\\f\\u0001\\u001f\\u003c\\u003e\\u0026\\u2028\\u2029\u0085\u007f\"\n}\n");
    }

    @Test
    void emptyCollectionsStayOnOneLine() {
        assertThat(json(Map.of("e", Map.of(), "l", List.of(), "n", List.of(List.of(1)))))
                .isEqualTo("{\n    \"e\": {},\n    \"l\": [],\n    \"n\": [\n        [\n            1\n        ]\n    ]\n}\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1.0 | 1",
            "1e-7 | 1e-7",
            "0.000001 | 0.000001",
            "1e21 | 1e+21",
            "1e20 | 100000000000000000000",
            "123456789.123 | 123456789.123",
            "-0.0 | -0",
            "4.9e-324 | 5e-324"})
    void floatsAsEncodingJsonWritesThem(double value, String expected) {
        assertThat(json(Map.of("k", value))).isEqualTo("{\n    \"k\": " + expected + "\n}\n");
    }

    @Test
    void integersBeyondInt64AreFloats() {
        assertThat(json(Map.of("k", BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))))
                .isEqualTo("{\n    \"k\": 18446744073709552000\n}\n");
    }

    private static String json(Map<String, ?> object) {
        return new String(KubectlJson.render(object), StandardCharsets.UTF_8);
    }
}
