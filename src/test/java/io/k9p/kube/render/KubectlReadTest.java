package io.k9p.kube.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.testing.FormatSeed;
import io.k9p.testing.Kubectl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KubectlYaml#read} against kubectl's own reading of the same text: {@code kubectl label
 * --local -f FILE -o json NAME-} reads a file as apply does, needs no API server, and prints the
 * object as it read it (with an empty labels map added). Where kubectl refuses a text, read must
 * refuse it too. Skipped without kubectl (failed in CI).
 */
class KubectlReadTest {
    private static final String HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";

    @TempDir
    static Path dir;
    private static Kubectl kubectl;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        kubectl = Kubectl.require(dir);
        pool = Executors.newFixedThreadPool(4);
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Texts people write: every seed scalar plain, in both quotes, and the YAML forms manifests use. */
    private static List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (String scalar : FormatSeed.SCALARS) {
            texts.add(HEAD + "spec:\n  v: " + scalar + "\n");
            texts.add(HEAD + "spec:\n  v: '" + scalar.replace("'", "''") + "'\n");
            // An anchor or tag right before the colon ("&a: v", "!x: v") takes the colon into its
            // name for snakeyaml-engine, as YAML 1.2 allows, and not for goyaml.v2; nobody writes these.
            if (scalar.isEmpty() || "&!".indexOf(scalar.charAt(0)) < 0) {
                texts.add(HEAD + "spec:\n  " + scalar + ": v\n");
            }
        }
        texts.addAll(List.of(
                "---\n# a comment\n" + HEAD + "data:\n  a: yes # trailing comment\n",
                HEAD + "---\n",
                "---\n---\n" + HEAD,
                HEAD + "---\n" + HEAD,
                "",
                "# only a comment\n",
                "- a list\n",
                "just text\n",
                HEAD + "spec:\n  base: &b {x: 1, y: 2}\n  merged:\n    <<: *b\n    x: 3\n",
                HEAD + "spec:\n  a: &a [1, 2]\n  b: *a\n  c: {<<: [{p: 1}, {q: 2}], r: 3}\n",
                HEAD + "spec:\n  1: int\n  true: bool\n  1.5: float\n  0x10: hex\n  ~: null key\n",
                HEAD + "spec:\n  [a, b]: list key\n",
                HEAD + "spec:\n  s: !!str 123\n  i: !!int '7'\n  f: !!float 1\n  b: !!bool yes\n",
                HEAD + "spec:\n  i: !!int x\n",
                HEAD + "spec:\n  lit: |\n    line 1\n    line 2\n  keep: |+\n    kept\n\n  strip: >-\n    folded\n    text\n",
                HEAD + "spec:\n  replicas: 1e3\n  ratio: 2.50\n  big: 12345678901234567890\n  bigger: 123456789012345678901\n",
                HEAD + "spec:\n  inf: .inf\n",
                HEAD + "spec:\n  nan: .nan\n",
                HEAD + "spec:\n  dup: 1\n  dup: 2\n",
                HEAD + "spec:\n  - not: a map\n",
                HEAD + "data: [unclosed\n",
                HEAD + "\tdata: tab\n",
                "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\"},\n"
                        + "\t\"data\": {\"a\": \"\\u00e9\\/\", \"n\": 1.0, \"e\": 1E2, \"t\": true, \"z\": null}}\n",
                "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"x\"}, \"data\": {\"a\": 1,}}\n"));
        return texts;
    }

    @TestFactory
    Stream<DynamicTest> readsAsKubectlReads() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        List<String> texts = texts();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            Path file = dir.resolve("text" + i + ".yaml");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            CompletableFuture<Kubectl.Result> printed = CompletableFuture.supplyAsync(() -> label(file), pool);
            tests.add(DynamicTest.dynamicTest("text " + i + ": " + text.replace("\n", "⏎"),
                    () -> check(text, printed.join())));
        }
        return tests.stream();
    }

    private static void check(String text, Kubectl.Result kubectl) {
        // A file is one object: where kubectl finds none or several (it prints a List), read refuses.
        String printed = kubectl.text();
        boolean oneObject = printed.startsWith("{") && printed.indexOf("\n}\n") == printed.length() - 3
                && !printed.contains("\n    \"kind\": \"List\",\n");
        if (kubectl.exit() != 0 || !oneObject) {
            assertThatThrownBy(() -> KubectlJson.render(asLabelled(KubectlYaml.read(text, 1 << 20))))
                    .as("kubectl refused it: %s", kubectl.err())
                    .isInstanceOf(IllegalArgumentException.class);
            return;
        }
        Map<String, Object> read = KubectlYaml.read(text, 1 << 20);
        assertThat(new String(KubectlJson.render(asLabelled(read)), StandardCharsets.UTF_8)).isEqualTo(kubectl.text());
    }

    /** The object as kubectl label prints it: metadata.labels present, empty if there were none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> asLabelled(Map<String, Object> object) {
        if (!(object.get("metadata") instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("no metadata");
        }
        ((Map<String, Object>) object.get("metadata")).putIfAbsent("labels", new LinkedHashMap<>());
        return object;
    }

    private static Kubectl.Result label(Path file) {
        try {
            return kubectl.run("label", "--local", "-f", file.toString(), "-o", "json", "k9p-absent-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void textBeyondTheLimitIsRefused() {
        assertThatThrownBy(() -> KubectlYaml.read(HEAD + "data:\n  a: " + "x".repeat(2_000) + "\n", 1_000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
