package io.k9p.testing;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.DemoCluster;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects whose YAML and JSON exercise every way kubectl writes a value: strings that need each kind of quoting,
 * multi-line strings, long strings that wrap, unicode and control characters, keys that test the sort orders,
 * empty and nested maps and lists, numbers of every size. Some make kubectl's YAML fail (see {@link #FAILING}).
 * For a test that compares a rendering with kubectl's.
 */
public final class FormatSeed {
    public static final String NAMESPACE = "formats";
    public static final String GROUP = "formats.k9p.io";
    /** A namespaced custom resource whose objects hold anything (x-kubernetes-preserve-unknown-fields). */
    public static final String SAMPLES = "samples." + GROUP;
    /** Objects kubectl cannot print as YAML: a DEL, a NEL before "--- ", a key of 1023 characters, a key with a NEL. */
    public static final List<String> FAILING = List.of("control", "indicator", "long-key", "line-key");

    /**
     * An object the seed made, as kubectl names it: resource ("configmaps", "samples.v1.formats.k9p.io"), namespace
     * (null for a cluster-scoped one) and name.
     */
    public record Seeded(String resource, String namespace, String name) {}

    /** Strings that YAML writes plain, single-quoted or double-quoted, each for its own reason. */
    public static final List<String> SCALARS = List.of(
            "plain", "1", "1.5", "true", "True", "yes", "no", "on", "off", "y", "n", "Y", "null", "Null", "~", "",
            " leading space", "trailing ", "a: b", "a:b", "a:", "a #b", "a#b", "#x", "- x", "-x", "-", "*", "&a",
            "!x", "|", ">", "'q'", "it's", "\"dq\"", "%x", "@x", "`x", ",x", "[x", "]x", "{x", "}x", "?x", "? x",
            ":x", ": x", "---", "--- x", "...", "...x", "2024-01-02", "2024-1-2", "2024-02-30", "2024-01-02T03:04:05Z",
            "2024-01-02t03:04:05.123-07:00", "2024-01-02T03:04:05", "2024-01-02 03:04:05", "2024-01-02   3:4:5.5",
            "2024-01-02T03:04:05+25:00", "2024-01-02T24:00:00Z", "0x1F", "0x_1F", "0o17", "017", "08", "0b101",
            "0b-1", "-0b1", "1_000", "+1_0", "1:20", "190:20:30.15", "1:60", ".5", "._5", ".5_5", "+.5", "+1", "-1",
            "1e3", "1e999", "1.", "-0", ".inf", "-.inf", ".NaN", "NaN", "Infinity", "=", "<<", "9223372036854775807",
            "9223372036854775808", "18446744073709551616", "a\\b", "tab\there", "back\bspace", "form\ffeed",
            "nul\u0000", "esc\u001b", "bell\u0007", "vt\u000b");

    /** Strings with line breaks: literal blocks with each chomping and indentation indicator, or double quotes. */
    public static final List<String> MULTILINE = List.of(
            "line1\nline2\n", "line1\nline2", "line1\nline2\n\n\n", "line1\nline2\n\n", "\n", "\n\n",
            "  leading spaces\nsecond\n", " one leading space\n", "\nstarts with a newline\n",
            "trailing spaces \nsecond\n", "tab\tinside\nsecond\n", "line1\n second starts with a space\n",
            "a\n\n\nb", "ends with spaces\n  ", "ends with a space \n", "unicode é\n日本語\n", "emoji 😀\nline\n",
            "crlf\r\nline\r\n", "x: y\n- item\n# comment\n'quoted'\n\"double\"\n",
            "a line longer than eighty characters, which a literal block never wraps, however long it gets\nend\n",
            "separator\u2028inside\nline\n", "key: value\n  indented: more\n");

    private FormatSeed() {}

    /** Creates the namespace, the objects and the CRD for the samples; returns the objects, the CRD included. */
    public static List<Seeded> seed(KubernetesClient client) {
        List<Seeded> seeded = new ArrayList<>();
        create(client, new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build());
        seeded.add(new Seeded("namespaces", null, NAMESPACE));
        create(client, DemoCluster.freeFormDefinition(GROUP, "Namespaced", "samples", "Sample"));
        seeded.add(new Seeded("customresourcedefinitions.v1.apiextensions.k8s.io", null, SAMPLES));

        configMap(client, seeded, "scalars", numbered("s", SCALARS), Map.of(
                "a", "true", "b", "1", "c", "yes", "d", "null", "e", "2024-01-02", "f", "0x1F", "g", "1_000",
                "h", "plain", "i", ""), numbered("example.com/s", SCALARS));
        configMap(client, seeded, "multiline", numbered("m", MULTILINE), Map.of(), Map.of());
        configMap(client, seeded, "long", longStrings(), Map.of(), Map.of(
                "kubectl.kubernetes.io/last-applied-configuration", lastApplied() + "\n",
                "example.com/without-newline", lastApplied()));
        configMap(client, seeded, "unicode", unicode(), Map.of("k9p.io/é", "x"),
                Map.of("html", "<a href=\"x\">&amp;</a>"));
        configMap(client, seeded, "keys", keys(), Map.of(), Map.of());
        configMap(client, seeded, "control", Map.of("del", "a\u007fb", "c1", "a\u0090b"), Map.of(), Map.of());
        configMap(client, seeded, "indicator", Map.of("nel", "a\u0085--- b"), Map.of(), Map.of());

        create(client, new SecretBuilder()
                .withNewMetadata().withName("formats").withNamespace(NAMESPACE).endMetadata()
                .withType("Opaque")
                .addToData("password", base64("s3cr3t"))
                .addToData("long", base64("x".repeat(300)))
                .addToData("empty", "")
                .build());
        seeded.add(new Seeded("secrets", NAMESPACE, "formats"));

        sample(client, seeded, "numbers", Map.of("numbers", numbers(), "list", List.copyOf(numbers().values())));
        sample(client, seeded, "shapes", shapes());
        sample(client, seeded, "keys", Map.of("keys", sampleKeys()));
        sample(client, seeded, "long-key", Map.of("k".repeat(1023), "v"));
        sample(client, seeded, "line-key", Map.of("a\u0085b", "v"));
        return seeded;
    }

    private static Map<String, Object> numbers() {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("zero", 0);
        numbers.put("minusOne", -1);
        numbers.put("int32Overflow", 2147483648L);
        numbers.put("int64Max", Long.MAX_VALUE);
        numbers.put("int64Min", Long.MIN_VALUE);
        numbers.put("beyondInt64", BigInteger.ONE.shiftLeft(63));
        numbers.put("uint64Max", BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
        numbers.put("beyondUint64", BigInteger.ONE.shiftLeft(64));
        numbers.put("belowInt64", BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE));
        numbers.put("tenToThe30", BigInteger.TEN.pow(30));
        numbers.put("one", 1.0);
        numbers.put("oneAndAHalf", 1.5);
        numbers.put("micro", 0.000001);
        numbers.put("belowMicro", 1e-7);
        numbers.put("tenToThe21", 1e21);
        numbers.put("tenToThe20", 1e20);
        numbers.put("twoTimesTenToThe19", 2e19);
        numbers.put("tenToThe19", 1e19);
        numbers.put("million", 1e6);
        numbers.put("fraction", 123456789.123);
        numbers.put("smallFraction", 0.0001);
        numbers.put("minusZero", -0.0);
        numbers.put("minusFraction", -2.5e-8);
        numbers.put("smallest", Double.MIN_VALUE);
        numbers.put("largest", Double.MAX_VALUE);
        numbers.put("third", 1.0 / 3);
        numbers.put("pi", new BigDecimal("3.14159265358979323846"));
        return numbers;
    }

    private static Map<String, Object> shapes() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("emptyMap", Map.of());
        spec.put("emptyList", List.of());
        spec.put("nested", List.of(List.of(1, List.of(2)), List.of(Map.of("a", 1)), List.of()));
        spec.put("listOfMaps",
                List.of(Map.of("a", 1, "b", List.of()), Map.of(), Map.of("c", Map.of("d", List.of("x")))));
        spec.put("mapOfLists", Map.of("x", List.of(1, 2), "y", List.of(), "z", List.of(List.of())));
        spec.put("deep", Map.of("a", Map.of("b", Map.of("c", List.of(Map.of("d", List.of(List.of("e", "f"))))))));
        spec.put("booleans", List.of(true, false));
        spec.put("strings", SCALARS.subList(0, 20));
        spec.put("multiline", MULTILINE.subList(0, 6));
        spec.put("nothing", null);
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        withNull.add("after null");
        spec.put("listWithNull", withNull);
        return spec;
    }

    private static Map<String, String> longStrings() {
        String sentence = "the quick brown fox jumps over the lazy dog";
        String words = String.join(" ", Collections.nCopies(8, sentence));
        Map<String, String> data = new LinkedHashMap<>();
        data.put("word100", "a".repeat(100));
        data.put("word250", "b".repeat(250));
        data.put("words", words);
        data.put("wordsAfterLongWord", "c".repeat(90) + " " + words);
        data.put("doubleSpaces", words.replace("lazy dog", "lazy  dog").replace("fox ", "fox   "));
        data.put("singleQuoted", "'" + words + "'");
        data.put("singleQuotedDoubleSpaces", "- " + words.replace(" the ", "  the "));
        data.put("doubleQuoted", "\t" + words);
        data.put("doubleQuotedDoubleSpaces", "\t" + words.replace(" the ", "  the "));
        data.put("doubleQuotedEscapes", "\u0001" + words.replace(" over ", " \u0002over\u0003 ") + " 😀😀😀 end");
        data.put("multilineLong", (words + " \n").repeat(3));
        data.put("numberLike", "1" + "0".repeat(200));
        data.put("spaceRuns", ("x" + " ".repeat(5)).repeat(30) + "end");
        data.put("unicodeWords", String.join(" ", Collections.nCopies(20, "日本語 é")));
        return data;
    }

    private static Map<String, String> unicode() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("latin", "é");
        data.put("cjk", "日本語");
        data.put("emoji", "😀");
        data.put("emojiInText", "smile 😀 please");
        data.put("lineSeparator", "\u2028");
        data.put("lineSeparatorInside", "a\u2028b");
        data.put("paragraphSeparator", "a\u2029b");
        data.put("nel", "a\u0085b");
        data.put("nelTrailing", "p\u0085");
        data.put("nelLeading", "\u0085 q");
        data.put("nelRun", "a \u0085 \u0085\u0085 b");
        data.put("nelAndNewline", "a\u0085b\nc\n");
        data.put("bom", "\uFEFFab");
        data.put("bomInside", "a\uFEFFb");
        data.put("nbsp", "a\u00A0b");
        data.put("replacement", "\uFFFD");
        data.put("privateUse", "\uE000");
        data.put("lastPlane", new String(Character.toChars(0x10FFFD)));
        data.put("combining", "e\u0301");
        data.put("soh", "\u0001");
        data.put("tab", "\t");
        data.put("cr", "\r");
        data.put("html", "<b>&</b>");
        data.put("ampersand", "&a");
        return data;
    }

    /**
     * Keys that goyaml.v2's order sorts consistently. (Add x1y and it no longer does: x10y < x1y < x9y < x10y,
     * and kubectl's order then changes from run to run with Go's map iteration.)
     */
    private static Map<String, String> keys() {
        Map<String, String> data = new LinkedHashMap<>();
        for (String key : List.of("a10", "a9", "a-b", "ab", "A", "_x", "1", "10", "2", "a.b", "a01", "a1", "a001",
                "b", "B", "y", "n", "on", "null", "true", "1.5", "2024-01-02", "-x", "~", "Z", "z", "a0", "a00", "-",
                "_", ".", "0", "00", "01", "x10y", "x9y", "x10")) {
            data.put(key, "v");
        }
        return data;
    }

    private static Map<String, Object> sampleKeys() {
        Map<String, Object> keys = new LinkedHashMap<>();
        for (String key : List.of("é", "日本", "Z", "z", "ä10", "ä9", "😀", "a b", "yes", "", "a: b", "#", "ﬁ")) {
            keys.put(key, "v");
        }
        keys.put("long " + "k".repeat(130), "a key over 128 bytes is a complex key");
        keys.put(String.join(" ", Collections.nCopies(12, "a long key with spaces")), "it wraps");
        keys.put("é".repeat(70), "70 characters, 140 bytes");
        keys.put("k".repeat(1022), "the longest key the YAML reader takes");
        keys.put("line1\nline2", "a multi-line key");
        keys.put("line1\nline2\n", Map.of("nested", List.of("a", "b")));
        keys.put("separator\u2028key", List.of("x"));
        keys.put("k".repeat(129), List.of("y"));
        return keys;
    }

    private static String lastApplied() {
        StringBuilder json = new StringBuilder("{\"apiVersion\":\"v1\",\"data\":{");
        for (int i = 0; i < 12; i++) {
            json.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":\"value number ").append(i)
                    .append(" with some words\"");
        }
        return json.append("},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"long\",")
                .append("\"namespace\":\"formats\"}}").toString();
    }

    private static Map<String, String> numbered(String prefix, List<String> values) {
        Map<String, String> numbered = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            numbered.put(prefix + "%03d".formatted(i), values.get(i));
        }
        return numbered;
    }

    private static void configMap(KubernetesClient client, List<Seeded> seeded, String name, Map<String, String> data,
            Map<String, String> labels, Map<String, String> annotations) {
        create(client, new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels)
                .withAnnotations(annotations).endMetadata()
                .withData(data)
                .build());
        seeded.add(new Seeded("configmaps", NAMESPACE, name));
    }

    private static void sample(KubernetesClient client, List<Seeded> seeded, String name, Map<String, Object> spec) {
        create(client, new GenericKubernetesResourceBuilder()
                .withApiVersion(GROUP + "/v1").withKind("Sample")
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build());
        seeded.add(new Seeded("samples.v1." + GROUP, NAMESPACE, name));
    }

    private static <T extends HasMetadata> void create(KubernetesClient client, T object) {
        client.resource(object).create();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
