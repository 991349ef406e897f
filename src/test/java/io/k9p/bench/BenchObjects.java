package io.k9p.bench;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * What the cluster benchmarks create in the demo API server, so that the answers are known: configmaps
 * of which every Nth holds {@link #NEEDLE}, pods of which every Nth is not running. Objects are
 * created through the API several at a time, which is what makes seeding thousands quick.
 */
final class BenchObjects {
    /** The string grep looks for: in the data of some configmaps, nowhere else. */
    static final String NEEDLE = "k9p-needle-4a7e";
    private static final int THREADS = 8;

    private final KubernetesClient kube;
    private final String program;

    /** {@code program} names the benchmark in its progress lines. */
    BenchObjects(KubernetesClient kube, String program) {
        this.kube = kube;
        this.program = program;
    }

    void namespace(String name) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    /** Configmaps {@code config-FROM} to {@code config-(TO-1)}; those whose index is a multiple of {@code needleEvery} hold the needle. */
    void configmaps(String namespace, int from, int to, int needleEvery) throws Exception {
        create("configmaps", IntStream.range(from, to).mapToObj(i -> new ConfigMapBuilder()
                .withNewMetadata().withName("config-%05d".formatted(i)).withNamespace(namespace).endMetadata()
                .addToData("index", Integer.toString(i))
                .addToData("note", i % needleEvery == 0 ? "owned by " + NEEDLE : "nothing to see here")
                .build()).toList());
    }

    /** Configmaps {@code sized-00000} on, each with one key holding {@code bytes} bytes of text. */
    void sizedConfigmaps(String namespace, int count, int bytes) throws Exception {
        create("configmaps", IntStream.range(0, count).mapToObj(i -> new ConfigMapBuilder()
                .withNewMetadata().withName("sized-%05d".formatted(i)).withNamespace(namespace).endMetadata()
                .addToData("payload", payload(i, bytes))
                .build()).toList());
    }

    /** Text that differs from one configmap to the next, so no two values are the same string. */
    private static String payload(int index, int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        long state = index * 0x9E3779B97F4A7C15L + 1;
        while (text.length() < bytes) {
            state ^= state << 13;
            state ^= state >>> 7;
            state ^= state << 17;
            text.append((char) ('a' + Math.floorMod(state, 26)));
        }
        return text.toString();
    }

    /** How many of the first {@code configmaps} configmaps hold the needle. */
    static int needles(int configmaps, int needleEvery) {
        return everyNth(configmaps, needleEvery);
    }

    /**
     * Pods {@code pod-0000} to {@code pod-(COUNT-1)}, running and ready; those whose index is a
     * multiple of {@code notRunningEvery} are not running: Pending (not scheduled yet) and
     * CrashLoopBackOff in turn, the two states kubectl and k9p's status file name apart from Running.
     */
    void pods(String namespace, int count, int notRunningEvery) throws Exception {
        create("pods", IntStream.range(0, count).mapToObj(i -> {
            boolean running = i % notRunningEvery != 0;
            boolean pending = !running && (i / notRunningEvery) % 2 == 0;
            String node = pending ? null : "node-" + (i % 3 + 1);
            var container = new ContainerStatusBuilder().withName("app").withImage("registry.example/app:1.0")
                    .withReady(running).withStarted(running).withRestartCount(running ? 0 : 4);
            if (running) {
                container.withNewState().withNewRunning().withStartedAt("2025-01-01T00:00:00Z").endRunning().endState();
            } else {
                container.withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState();
            }
            PodStatusBuilder status = new PodStatusBuilder().withPhase(pending ? "Pending" : "Running");
            if (!pending) {
                status.withHostIP("192.0.2." + (i % 3 + 11)).withPodIP("10.244.%d.%d".formatted(i / 250, i % 250 + 2))
                        .withContainerStatuses(container.build());
            }
            return new PodBuilder()
                    .withNewMetadata().withName("pod-%04d".formatted(i)).withNamespace(namespace)
                    .addToLabels("app", "bench").endMetadata()
                    .withNewSpec().withNodeName(node).addNewContainer().withName("app")
                    .withImage("registry.example/app:1.0").endContainer().endSpec()
                    .withStatus(status.build())
                    .build();
        }).toList());
    }

    /** How many of the first {@code pods} pods are not running. */
    static int notRunning(int pods, int notRunningEvery) {
        return everyNth(pods, notRunningEvery);
    }

    /** Indexes 0 to count-1 that are multiples of n. */
    private static int everyNth(int count, int n) {
        return (count + n - 1) / n;
    }

    private void create(String what, List<? extends HasMetadata> objects) throws Exception {
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> created = new ArrayList<>(objects.size());
            for (HasMetadata object : objects) {
                created.add(threads.submit(() -> kube.resource(object).create()));
            }
            for (Future<?> future : created) {
                future.get();
            }
        }
        System.err.printf(Locale.ROOT, "%s: created %d %s in %.1f s%n", program, objects.size(), what,
                (System.nanoTime() - start) / 1e9);
    }
}
