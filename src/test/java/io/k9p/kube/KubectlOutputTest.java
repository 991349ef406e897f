package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.testing.ClusterServer;
import io.k9p.testing.FormatSeed;
import io.k9p.testing.Kubectl;
import io.k9p.testing.PathClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every object's data.yaml and data.json, read over 9P, are byte for byte what kubectl prints for
 * it against the same API server: the demo cluster, plus {@link FormatSeed}'s values that need each
 * kind of quoting, wrapping and number formatting. Where kubectl cannot print an object as YAML,
 * data.yaml holds its JSON, which is YAML too. Written back unchanged, every file changes nothing
 * but the resourceVersion (in YAML, but for values with YAML 1.1's extra line breaks). Skipped
 * without kubectl (failed in CI).
 */
class KubectlOutputTest {
    private static final int PARALLEL_KUBECTLS = 4;

    @TempDir
    static Path dir;
    private static Kubectl kubectl;
    private static ClusterServer cluster;
    private static List<FormatSeed.Seeded> seeded;
    private static ExecutorService pool;

    /** One object: where it is in the tree, and how kubectl names it. */
    private record Target(String path, String type, String namespace, String name) {
        List<String> kubectlGet(String format) {
            List<String> args = new ArrayList<>(List.of("--kubeconfig=" + cluster.kubeconfig, "get", type, name, "-o", format));
            if (namespace != null) {
                args.addAll(List.of("-n", namespace));
            }
            return args;
        }

        boolean seeded() {
            return FormatSeed.NAMESPACE.equals(namespace);
        }

        boolean yamlFails() {
            return seeded() && FormatSeed.FAILING.contains(name);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        kubectl = Kubectl.require(dir);
        cluster = ClusterServer.demo();
        seeded = FormatSeed.seed(cluster.kube);
        pool = Executors.newFixedThreadPool(PARALLEL_KUBECTLS);
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyObjectIsWhatKubectlPrints() throws Exception {
        try (PathClient fs = cluster.attach()) {
            List<Target> targets = targets(fs);
            List<String> different = new ArrayList<>();
            for (Check check : printed(targets)) {
                Target target = check.target();
                byte[] file = fs.read(target.path() + "/data." + check.format()).getBytes(StandardCharsets.UTF_8);
                Kubectl.Result kubectl = check.kubectl().join();
                if (check.format().equals("yaml") && target.yamlFails()) {
                    assertThat(kubectl.exit()).as("kubectl -o yaml fails on %s", target.path()).isNotZero();
                    assertThat(new String(file, StandardCharsets.UTF_8))
                            .as("data.yaml of an object kubectl cannot print as YAML")
                            .isEqualTo(fs.read(target.path() + "/data.json"));
                    continue;
                }
                assertThat(kubectl.exit()).as("%s: %s", target.kubectlGet(check.format()), kubectl.err()).isZero();
                if (!Arrays.equals(file, kubectl.out())) {
                    different.add(target.path() + "/data." + check.format() + "\n"
                            + difference(kubectl.text(), new String(file, StandardCharsets.UTF_8)));
                }
            }
            assertThat(different).as("files that differ from kubectl's output, of %d objects", targets.size()).isEmpty();
        }
    }

    @Test
    void filesWrittenBackUnchangedChangeNothing() throws Exception {
        try (PathClient fs = cluster.attach()) {
            List<Target> targets = targets(fs).stream().filter(Target::seeded).toList();
            for (String format : List.of("yaml", "json")) {
                for (Target target : targets) {
                    String file = target.path() + "/data." + format;
                    List<String> before = withoutVersion(fs.read(file)).lines().toList();
                    fs.write(file, fs.read(file));
                    List<String> after = withoutVersion(fs.read(file)).lines().toList();
                    List<String> changed = after.stream().filter(line -> !before.contains(line)).toList();
                    if (format.equals("yaml")) {
                        // Where the YAML parser under writes (snakeyaml-engine, YAML 1.2) and
                        // kubectl's (YAML 1.1) part: U+2028, U+2029 and U+0085 are no line breaks to
                        // it, so the indentation kubectl wrote after one stays in the value.
                        assertThat(changed).as("%s written back", file).allSatisfy(line -> assertThat(line)
                                .containsAnyOf("\u2028", "\u2029", "\u0085", "\\L", "\\P", "\\N"));
                    } else {
                        assertThat(after).as("%s written back", file).isEqualTo(before);
                    }
                }
            }
        }
    }

    private record Check(Target target, String format, CompletableFuture<Kubectl.Result> kubectl) {}

    private static List<Check> printed(List<Target> targets) {
        List<Check> checks = new ArrayList<>();
        for (Target target : targets) {
            for (String format : List.of("yaml", "json")) {
                checks.add(new Check(target, format, CompletableFuture.supplyAsync(() -> {
                    try {
                        return kubectl.run(target.kubectlGet(format));
                    } catch (IOException e) {
                        throw new AssertionError("cannot run kubectl", e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    }
                }, pool)));
            }
        }
        return checks;
    }

    /** Every object of the tree, once the seed is in k9p's cache. */
    private static List<Target> targets(PathClient fs) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<Target> targets = new ArrayList<>();
            for (String type : fs.list("/cluster")) {
                collect(fs, "/cluster/" + type, type, null, targets);
            }
            for (var namespaces : fs.listWithAttributes("/namespaces").entrySet()) {
                if (!namespaces.getValue().directory()) {
                    continue;
                }
                String namespace = namespaces.getKey();
                for (String type : fs.list("/namespaces/" + namespace)) {
                    collect(fs, "/namespaces/" + namespace + "/" + type, type, namespace, targets);
                }
            }
            long found = targets.stream().filter(t -> seeded.stream().anyMatch(s ->
                    s.name().equals(t.name()) && java.util.Objects.equals(s.namespace(), t.namespace()))).count();
            if (found == seeded.size()) {
                return targets;
            }
            assertThat(System.nanoTime()).as("all %d seeded objects in the tree within 10 s", seeded.size())
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void collect(PathClient fs, String typePath, String type, String namespace, List<Target> into)
            throws IOException {
        for (var entry : fs.listWithAttributes(typePath).entrySet()) {
            if (entry.getValue().directory()) {
                into.add(new Target(typePath + "/" + entry.getKey(), type, namespace, entry.getKey()));
            }
        }
    }

    /** A rendering without what every write changes: resourceVersion, and generation where it counts writes. */
    private static String withoutVersion(String rendering) {
        return rendering.replaceAll("(?m)^(\\s*\"?)(resourceVersion|generation)(\"?:).*$", "$1$2$3");
    }

    /** The first differing line and a few around it, kubectl's marked "-" and k9p's "+". */
    private static String difference(String expected, String actual) {
        List<String> want = expected.lines().toList();
        List<String> got = actual.lines().toList();
        int first = 0;
        while (first < want.size() && first < got.size() && want.get(first).equals(got.get(first))) {
            first++;
        }
        StringBuilder out = new StringBuilder("@@ line " + (first + 1) + " @@\n");
        for (int i = Math.max(0, first - 3); i < first; i++) {
            out.append("  ").append(want.get(i)).append('\n');
        }
        for (int i = first; i < Math.min(want.size(), first + 4); i++) {
            out.append("- ").append(visible(want.get(i))).append('\n');
        }
        for (int i = first; i < Math.min(got.size(), first + 4); i++) {
            out.append("+ ").append(visible(got.get(i))).append('\n');
        }
        if (first == want.size() && first == got.size()) {
            out.append("(the line breaks differ)\n");
        }
        return out.toString();
    }

    /** Control characters made visible, so that a difference in them shows. */
    private static String visible(String line) {
        StringBuilder out = new StringBuilder();
        line.codePoints().forEach(c -> {
            if (c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0x2028 || c == 0x2029 || c == 0xFEFF) {
                out.append("<U+%04X>".formatted(c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
