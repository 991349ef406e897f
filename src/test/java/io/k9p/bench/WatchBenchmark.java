package io.k9p.bench;

import static io.k9p.testing.RawClient.expect;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.k9p.demo.ApiServer;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import io.k9p.testing.RawClient;
import io.k9p.testing.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Watch files under load: the time from a change on the API server to its line on a watch file
 * (median and 99th percentile over 1,000 changes, with 1 and 100 concurrent readers), and the
 * server's heap with 100 idle watch readers. k9p runs as its own process ({@code k9p serve
 * --kubeconfig}), so its heap is its own; the API server and the readers share this JVM.
 */
public final class WatchBenchmark {
    private static final String PROGRAM = "scripts/bench watch";
    private static final String USAGE = """
            usage: scripts/bench watch [--changes 1000] [--warm-up 5000]
              --changes  changes measured, with 1 reader and then with 100
              --warm-up  changes made first, with as many readers, not measured: until both JVMs are
                         in their steady state (code compiled, heaps sized), their start is in the p99
            """;
    private static final String NAMESPACE = "bench";
    private static final String CONFIGMAP = "target";

    private record Settings(int changes, int warmUp) {}

    public static void main(String[] args) throws Exception {
        Settings settings = BenchmarkArguments.parse(PROGRAM, args, USAGE, arguments -> {
            Map<String, String> options = BenchmarkArguments.options(arguments, Set.of("--changes", "--warm-up"));
            return new Settings(BenchmarkArguments.positive(options.getOrDefault("--changes", "1000")),
                    BenchmarkArguments.positive(options.getOrDefault("--warm-up", "5000")));
        });
        Path work = Files.createTempDirectory("k9p-watch-bench");
        try (ApiServer api = ApiServer.start()) {
            KubernetesClient kube = api.client();
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();
            kube.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(CONFIGMAP).endMetadata().addToData("seq", "0").build()).create();
            Path kubeconfig = work.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            try (ServerProcess k9p = ServerProcess.start("k9p", port -> List.of(java, "-jar", "target/k9p.jar",
                    "serve", "--kubeconfig", kubeconfig.toString(), "--listen", "127.0.0.1:" + port), work.resolve("k9p.log"))) {
                System.out.printf("watch latency: change to a configmap (one PUT straight to the API server, of"
                        + " the object its last answer returned, timed from before the call) until its line arrives on namespaces/%s/configmaps/watch%n",
                        NAMESPACE);
                System.out.printf("%d changes per case, each once every reader has the one before, after %d unmeasured"
                        + " ones with as many readers; %d CPUs, Java %s; API server and readers in one JVM, k9p in its"
                        + " own%n%n", settings.changes(), settings.warmUp(),
                        Runtime.getRuntime().availableProcessors(), Runtime.version());
                System.out.println("The peer is a watch of the same configmaps read straight from the API server"
                        + " (fabric8, in the readers' JVM), through the same changes: what the API server alone costs.");
                System.out.println("hop: each k9p line's arrival less the direct watch's arrival of the same change, k9p's own part.");
                System.out.printf("%-8s %-8s %12s %12s %12s %10s%n", "readers", "via", "median ms", "p99 ms", "max ms", "samples");
                for (int readers : new int[] {1, 100}) {
                    measureLatency(k9p, kube, readers, settings.warmUp());
                    Latencies latencies = measureLatency(k9p, kube, readers, settings.changes());
                    report(readers, "k9p", latencies.k9p());
                    report(readers, "direct", latencies.direct());
                    report(readers, "hop", latencies.hop());
                }
                measureIdleHeap(k9p, 100);
            }
        }
    }

    /**
     * Latencies in ms: of every (change, reader) pair through k9p, of each change on the direct
     * watch, and of every pair after the direct watch had it.
     */
    private record Latencies(double[] k9p, double[] direct, double[] hop) {}

    private static void report(int readers, String via, double[] latencies) {
        System.out.printf("%-8d %-8s %12.2f %12.2f %12.2f %10d%n", readers, via, percentile(latencies, 50),
                percentile(latencies, 99), percentile(latencies, 100), latencies.length);
        System.out.printf("RESULT {\"readers\":%d,\"via\":\"%s\",\"median_ms\":%.3f,\"p99_ms\":%.3f,\"samples\":%d}%n",
                readers, via, percentile(latencies, 50), percentile(latencies, 99), latencies.length);
    }

    private static Latencies measureLatency(ServerProcess k9p, KubernetesClient kube, int readers, int changes)
            throws Exception {
        // Lines can arrive before the edit call returns with the resourceVersion, so arrivals are
        // recorded by resourceVersion and matched with send times at the end.
        List<Map<String, Long>> arrivals = new ArrayList<>();
        CountDownLatch received = new CountDownLatch(readers * changes);
        // One permit per line that arrived: a change goes out once every reader has the one before.
        Semaphore lines = new Semaphore(0);
        List<Reader> all = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            Map<String, Long> arrived = new ConcurrentHashMap<>();
            arrivals.add(arrived);
            all.add(new Reader(k9p, line -> {
                String[] fields = line.split(" ");
                if (fields.length == 4 && arrived.putIfAbsent(fields[3], System.nanoTime()) == null) {
                    received.countDown();
                    lines.release();
                }
            }));
        }
        Map<String, Long> direct = new ConcurrentHashMap<>();
        Watch peer = kube.configMaps().inNamespace(NAMESPACE).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap object) {
                direct.putIfAbsent(object.getMetadata().getResourceVersion(), System.nanoTime());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        ConfigMap current = kube.configMaps().inNamespace(NAMESPACE).withName(CONFIGMAP).get();
        for (int change = 0; change < changes; change++) {
            current.getData().put("seq", Integer.toString(change));
            long before = System.nanoTime();
            // One PUT of the object as the last one returned it: no read before the write.
            current = kube.resource(current).update();
            sentAt.put(current.getMetadata().getResourceVersion(), before);
            lines.tryAcquire(readers, 5, TimeUnit.SECONDS);
        }
        boolean complete = received.await(60, TimeUnit.SECONDS);
        peer.close();
        for (Reader reader : all) {
            reader.close();
        }
        if (!complete) {
            System.out.printf("  (%d of %d lines did not arrive within 60 s)%n", received.getCount(), readers * changes);
        }
        List<Double> samples = new ArrayList<>();
        List<Double> hops = new ArrayList<>();
        for (Map<String, Long> arrived : arrivals) {
            samples.addAll(since(arrived, sentAt));
            hops.addAll(since(arrived, direct));
        }
        return new Latencies(toArray(samples), toArray(since(direct, sentAt)), toArray(hops));
    }

    /** For each resourceVersion in both: its arrival less the earlier moment. */
    private static List<Double> since(Map<String, Long> arrived, Map<String, Long> earlier) {
        List<Double> samples = new ArrayList<>();
        arrived.forEach((rv, at) -> {
            Long since = earlier.get(rv);
            if (since != null) {
                samples.add((at - since) / 1e6);
            }
        });
        return samples;
    }

    private static double[] toArray(List<Double> samples) {
        return samples.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void measureIdleHeap(ServerProcess k9p, int readers) throws Exception {
        long before = Heap.usedKiB(k9p.pid());
        List<Reader> idle = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            idle.add(new Reader(k9p, line -> { }));
        }
        Thread.sleep(500);
        long with = Heap.usedKiB(k9p.pid());
        for (Reader reader : idle) {
            reader.close();
        }
        System.out.printf("%nheap of k9p after a full GC: %,d KiB with no watch reader, %,d KiB with %d idle readers"
                + " (%,d bytes per reader)%n", before, with, readers, (with - before) * 1024 / readers);
        System.out.printf("RESULT {\"idle_readers\":%d,\"heap_kib_before\":%d,\"heap_kib_with\":%d}%n", readers, before, with);
    }

    private static double percentile(double[] values, double percentile) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** One watch reader on its own connection, reading whole lines as the kernel would. */
    private static final class Reader implements AutoCloseable {
        interface Lines {
            void accept(String line);
        }

        private final RawClient client;
        private final Thread thread;

        Reader(ServerProcess k9p, Lines lines) throws IOException {
            client = RawClient.connect(k9p.endpoint(), Dialect.P9P2000_L, 65536);
            expect(client.call(new Tmessage.Attach(0, Tmessage.NOFID, "bench", "", 0)), Rmessage.Attach.class);
            expect(client.call(new Tmessage.Walk(0, 1, List.of("namespaces", NAMESPACE, "configmaps", "watch"))),
                    Rmessage.Walk.class);
            expect(client.call(new Tmessage.Lopen(1, 0)), Rmessage.Lopen.class);
            thread = Thread.ofVirtual().start(() -> {
                long offset = 0;
                try {
                    while (true) {
                        var reply = client.send(new Tmessage.Read(1, offset, 8192)).get();
                        byte[] data = ((Rmessage.Read) reply).data();
                        offset += data.length;
                        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
                            if (!line.isEmpty()) {
                                lines.accept(line);
                            }
                        }
                    }
                } catch (Exception e) {
                    // The connection was closed: this reader is done.
                }
            });
        }

        @Override
        public void close() throws IOException {
            client.close();
            thread.interrupt();
        }
    }
}
