package io.k9p.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.ApiServer;
import io.k9p.testing.PathClient;
import io.k9p.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The heap k9p's shared cache takes for many objects: configmaps of a given size, cached by
 * listing their type directory once, measured after a full GC in k9p's own JVM against the heap
 * before the listing, and against the size of the objects' JSON as the API server sends it.
 */
public final class MemoryBenchmark {
    private static final String PROGRAM = "scripts/bench memory";
    private static final String USAGE = """
            usage: scripts/bench memory [--configmaps 10000,50000] [--bytes 1024] [--histogram N]
              --configmaps  how many configmaps, one run each with a fresh API server and k9p
              --bytes       the size of each configmap's one value
              --histogram   also print the N classes whose share of k9p's heap grew most with the listing
            """;
    private static final String NAMESPACE = "bench";

    private record Settings(List<Integer> counts, int bytes, int histogram) {}

    public static void main(String[] args) throws Exception {
        Settings settings = BenchmarkArguments.parse(PROGRAM, args, USAGE, arguments -> {
            Map<String, String> options = BenchmarkArguments.options(arguments,
                    Set.of("--configmaps", "--bytes", "--histogram"));
            return new Settings(BenchmarkArguments.positives(options.getOrDefault("--configmaps", "10000,50000")),
                    BenchmarkArguments.positive(options.getOrDefault("--bytes", "1024")),
                    options.containsKey("--histogram") ? BenchmarkArguments.positive(options.get("--histogram")) : 0);
        });
        System.out.printf("heap of k9p's cache: configmaps of one %,d-byte value, listed once through 9P; heap after"
                + " a full GC (jcmd) in k9p's JVM; JSON as the API server sends each object%n%d CPUs, Java %s%n%n",
                settings.bytes(), Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf("%-11s %14s %14s %16s %12s%n", "configmaps", "JSON KiB", "cache KiB", "bytes/object", "cache/JSON");
        for (int count : settings.counts()) {
            measure(count, settings);
        }
    }

    /** The classes that grew most, in bytes and instances per configmap. */
    private static void printGrowth(Map<String, Heap.Share> before, Map<String, Heap.Share> after, int count, int top) {
        System.out.printf("  %-60s %14s %14s%n", "class", "bytes/object", "instances/object");
        after.entrySet().stream()
                .map(entry -> Map.entry(entry.getKey(),
                        entry.getValue().minus(before.getOrDefault(entry.getKey(), new Heap.Share(0, 0)))))
                .sorted((a, b) -> Long.compare(b.getValue().bytes(), a.getValue().bytes()))
                .limit(top)
                .forEach(entry -> System.out.printf("  %-60s %14.1f %14.2f%n", entry.getKey(),
                        (double) entry.getValue().bytes() / count, (double) entry.getValue().instances() / count));
    }

    private static void measure(int count, Settings settings) throws Exception {
        int bytes = settings.bytes();
        Path work = Files.createTempDirectory("k9p-memory-bench");
        try (ApiServer api = ApiServer.start()) {
            KubernetesClient kube = api.client();
            BenchObjects objects = new BenchObjects(kube, PROGRAM);
            objects.namespace(NAMESPACE);
            objects.sizedConfigmaps(NAMESPACE, count, bytes);
            long json = 0;
            for (ConfigMap configMap : kube.configMaps().inNamespace(NAMESPACE).list().getItems()) {
                json += kube.getKubernetesSerialization().asJson(configMap).getBytes(StandardCharsets.UTF_8).length;
            }
            Path kubeconfig = work.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig);
            try (ServerProcess k9p = ServerProcess.start("k9p", port -> K9pJar.command("serve", "--kubeconfig",
                    kubeconfig.toString(), "--listen", "127.0.0.1:" + port), work.resolve("k9p.log"));
                 PathClient client = PathClient.attach(k9p.endpoint(), "")) {
                // Discovery and the namespaces' watch first, so the difference is the configmaps'.
                client.list("namespaces/" + NAMESPACE);
                long before = Heap.usedKiB(k9p.pid());
                Map<String, Heap.Share> classesBefore = settings.histogram() > 0 ? Heap.classes(k9p.pid()) : Map.of();
                int listed = client.list("namespaces/" + NAMESPACE + "/configmaps").size();
                long after = Heap.usedKiB(k9p.pid());
                if (listed < count) {
                    throw new IllegalStateException("listed " + listed + " of " + count + " configmaps");
                }
                long cache = (after - before) * 1024;
                System.out.printf("%-11d %,14d %,14d %,16d %12.2f%n", count, json / 1024, cache / 1024, cache / count,
                        (double) cache / json);
                System.out.printf("RESULT {\"configmaps\":%d,\"value_bytes\":%d,\"json_bytes\":%d,\"cache_bytes\":%d,"
                        + "\"ratio\":%.3f}%n", count, bytes, json, cache, (double) cache / json);
                if (settings.histogram() > 0) {
                    printGrowth(classesBefore, Heap.classes(k9p.pid()), count, settings.histogram());
                }
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
