package io.k9p.kube.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Cases where goyaml.v2 surprises, each expectation taken from kubectl 1.32's output; {@code io.k9p.kube.KubectlOutputTest}
 * checks them all against kubectl itself.
 */
class KubectlYamlTest {
    @Test
    void aNelIsALineBreakToTheYamlScannerSoItFolds() {
        assertThat(yaml(Map.of("a", "a\u0085b", "b", "a \u0085 \u0085\u0085 b", "c", "p\u0085")))
                .isEqualTo("a: a b\nb: |-\n  a\n\n  b\nc: 'p '\n");
    }

    @Test
    void aLeadingBomEscapesEveryCharacter() {
        assertThat(yaml(Map.of("k", "\uFEFFab"))).isEqualTo("k: \"\\uFEFF\\x61\\x62\"\n");
    }

    @Test
    void charactersBeyondTheBasicPlaneAreEscaped() {
        assertThat(yaml(Map.of("k", "smile 😀 please"))).isEqualTo("k: \"smile \\U0001F600 please\"\n");
    }

    @Test
    void aLineSeparatorBreaksASingleQuotedLineWithoutANewline() {
        assertThat(yaml(Map.of("k", "a\u2028b"))).isEqualTo("k: 'a\u2028  b'\n");
    }

    @Test
    void keysSortNaturally() {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (String key : List.of("a10", "a9", "A", "_x", "1.5", "01", "2", "10", "-")) {
            keys.put(key, 0);
        }
        assertThat(yaml(keys)).isEqualTo("'-': 0\n_x: 0\n\"1.5\": 0\n\"01\": 0\n\"2\": 0\n\"10\": 0\nA: 0\na9: 0\na10: 0\n");
    }

    /** kubectl printed three different orders of these in twelve runs. */
    @Test
    void keysThatTheOrderCannotSortAreAllWritten() {
        assertThat(yaml(Map.of("x10y", 0, "x9y", 0, "x10", 0, "x1y", 0)).lines().sorted())
                .containsExactly("x10: 0", "x10y: 0", "x1y: 0", "x9y: 0");
    }

    @Test
    void sequencesInAMapAreNotIndentedButNestedOnesAre() {
        assertThat(yaml(Map.of("nested", List.of(List.of(1, List.of(2)), List.of(Map.of("a", 1)), List.of()))))
                .isEqualTo("nested:\n- - 1\n  - - 2\n- - a: 1\n- []\n");
    }

    @Test
    void aKeyOver128BytesIsAComplexKey() {
        assertThat(yaml(Map.of("k".repeat(129), List.of("y"))))
                .isEqualTo("? " + "k".repeat(129) + "\n: - \"y\"\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1e-7 | 1e-07",
            "123456789.123 | 1.23456789123e+08",
            "1e20 | 1e+20",
            "1e19 | 10000000000000000000",
            "-0.0 | 0",
            "4.9e-324 | 5e-324"})
    void floatsReadBackFromJson(double value, String expected) {
        assertThat(yaml(Map.of("k", value))).isEqualTo("k: " + expected + "\n");
    }

    @Test
    void integersBeyondInt64AreFloats() {
        assertThat(yaml(Map.of("a", BigInteger.ONE.shiftLeft(63), "b", BigInteger.ONE.shiftLeft(64).subtract(
                BigInteger.ONE)))).isEqualTo("a: 9223372036854776000\nb: 1.8446744073709552e+19\n");
    }

    @Test
    void whereKubectlFailsTheRendererThrowsItsError() {
        assertThatThrownBy(() -> KubectlYaml.render(Map.of("k", "a\u007fb")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("yaml: control characters are not allowed");
        assertThatThrownBy(() -> KubectlYaml.render(Map.of("k", "a\u0085--- b")))
                .hasMessage("yaml: line 2: found unexpected document indicator");
        assertThatThrownBy(() -> KubectlYaml.render(Map.of("k".repeat(1023), "v")))
                .hasMessage("yaml: did not find expected ',' or '}'");
    }

    private static String yaml(Map<String, ?> object) {
        return new String(KubectlYaml.render(object), StandardCharsets.UTF_8);
    }
}
