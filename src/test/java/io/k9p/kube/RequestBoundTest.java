package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.auth.UserMap;
import io.k9p.demo.ApiServer;
import io.k9p.net.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import io.k9p.testing.PathClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's promise that reads cost no API request per object: {@code ls -l} of a type with
 * 5,000 objects and {@code grep -L Running} over 1,000 pods' status files, once the types' watches
 * run, make at most a few requests to the API server, however many objects there are.
 */
class RequestBoundTest {
    private static final String CONFIGMAP_NAMESPACE = "many-configmaps";
    private static final String POD_NAMESPACE = "many-pods";
    private static final int CONFIGMAPS = 5_000;
    private static final int PODS = 1_000;
    /** Requests an operation may make once the watches run: none, but a reconnect or two is fine. */
    private static final long BOUND = 5;
    /** The questions one ls -l asks about a user, each kept a few seconds: list, get, update and create. */
    private static final long REVIEW_BOUND = 8;
    private static final String DISCOVERY = "GET discovery";

    private static ApiServer api;
    private static KubeFileSystem fileSystem;
    private static NinePServer server;
    private static Endpoint endpoint;
    private static Path kubeconfig;
    /** The pods that are not running, by name, as kubectl's STATUS column would show them. */
    private static final Map<String, String> notRunning = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        api = ApiServer.start();
        KubernetesClient kube = api.client();
        for (String namespace : List.of(CONFIGMAP_NAMESPACE, POD_NAMESPACE)) {
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata()
                    .build()).create();
        }
        createAll(kube, CONFIGMAPS, i -> new ConfigMapBuilder()
                .withNewMetadata().withName("config-%05d".formatted(i)).withNamespace(CONFIGMAP_NAMESPACE).endMetadata()
                .addToData("index", Integer.toString(i))
                .addToData("settings.conf", "level=" + (i % 7) + "\n")
                .build());
        createAll(kube, PODS, RequestBoundTest::pod);
        kubeconfig = Files.createTempFile("k9p-bound", ".kubeconfig");
        api.writeKubeconfig(kubeconfig);
        fileSystem = new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null);
        server = new NinePServer(ServerConfig.defaults(fileSystem));
        endpoint = server.listen(Endpoint.parse("127.0.0.1:0"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (fileSystem != null) {
            fileSystem.close();
        }
        if (api != null) {
            api.close();
        }
        if (kubeconfig != null) {
            Files.deleteIfExists(kubeconfig);
        }
    }

    @Test
    void lsAndGrepOverThousandsOfObjectsMakeAFewRequests() throws Exception {
        String configmaps = "/namespaces/" + CONFIGMAP_NAMESPACE + "/configmaps";
        String pods = "/namespaces/" + POD_NAMESPACE + "/pods";
        // The count sees requests one by one: ten GETs of objects are ten requests.
        long counted = api.requestCount();
        for (int i = 0; i < 10; i++) {
            assertThat(api.client().configMaps().inNamespace(CONFIGMAP_NAMESPACE).withName("config-%05d".formatted(i))
                    .get()).isNotNull();
        }
        assertThat(api.requestCount() - counted).isEqualTo(10);
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            // Warm-up: discovery, and the watches of namespaces, CRDs, configmaps and pods start here.
            Map<String, Long> beforeWarmUp = api.requestCounts();
            assertThat(objects(fs.list(configmaps), "config-")).hasSize(CONFIGMAPS);
            List<String> podNames = objects(fs.list(pods), "pod-");
            assertThat(fs.read(pods + "/" + podNames.get(0) + "/status")).isNotEmpty();
            Map<String, Long> warmUp = delta(beforeWarmUp, api.requestCounts());
            // What one discovery costs; its time-based refresh may fall due while measuring.
            long oneDiscovery = Math.max(warmUp.getOrDefault(DISCOVERY, 0L), 1);

            // ls -l namespaces/many-configmaps/configmaps
            Map<String, Long> before = api.requestCounts();
            Map<String, PathClient.Entry> entries = fs.listWithAttributes(configmaps);
            Map<String, Long> ls = delta(before, api.requestCounts());
            report("ls -l of " + CONFIGMAPS + " configmaps", warmUp, ls);
            assertThat(objects(List.copyOf(entries.keySet()), "config-")).hasSize(CONFIGMAPS)
                    .startsWith("config-00000", "config-00001").endsWith("config-04999");
            assertThat(entries.get("config-00042").directory()).isTrue();
            assertBounded(ls, oneDiscovery);

            // grep -L Running namespaces/many-pods/pods/*/status
            before = api.requestCounts();
            Set<String> withoutRunning = new TreeSet<>();
            Map<String, String> firstWords = new HashMap<>();
            for (String pod : podNames) {
                String status = fs.read(pods + "/" + pod + "/status");
                if (!status.contains("Running")) {
                    withoutRunning.add(pod);
                }
                firstWords.put(pod, status.split(" ", 2)[0]);
            }
            Map<String, Long> grep = delta(before, api.requestCounts());
            report("grep -L Running over " + PODS + " pods' status", warmUp, grep);
            assertThat(podNames).hasSize(PODS);
            assertThat(withoutRunning).isEqualTo(notRunning.keySet()).hasSize(PODS / 2);
            for (String pod : podNames) {
                assertThat(firstWords.get(pod)).as(pod)
                        .isEqualTo(notRunning.getOrDefault(pod, "Running"));
            }
            assertBounded(grep, oneDiscovery);
        }
    }

    /**
     * A user other than the owner reads from the same shared cache, after k9p asked the API
     * server whether it may: with answers kept a few seconds per question, {@code ls -l} of 5,000
     * objects costs a handful of SubjectAccessReviews, not one per object, and no reads.
     */
    @Test
    void lsByAMappedUserCostsAFewAccessReviews() throws Exception {
        String configmaps = "/namespaces/" + CONFIGMAP_NAMESPACE + "/configmaps";
        Path socket = Files.createTempDirectory("k9p-bound").resolve("k9p.sock");
        try (NinePServer mapped = new NinePServer(ServerConfig.defaults(fileSystem)
                .admitting(UserMap.parse("1002 bob viewers", "test user map"), null))) {
            Endpoint unix = mapped.listen(Endpoint.parse("unix:" + socket));
            try (PathClient owner = PathClient.attach(endpoint, "")) {
                assertThat(objects(owner.list(configmaps), "config-")).hasSize(CONFIGMAPS);
            }
            try (PathClient bob = PathClient.attach(unix, "", 1002, null)) {
                Map<String, Long> before = api.requestCounts();
                long reviewsBefore = api.subjectAccessReviews();
                long started = System.nanoTime();
                Map<String, PathClient.Entry> entries = bob.listWithAttributes(configmaps);
                long millis = (System.nanoTime() - started) / 1_000_000;
                long reviews = api.subjectAccessReviews() - reviewsBefore;
                Map<String, Long> ls = delta(before, api.requestCounts());
                System.out.printf("k9p request bound: ls -l of %d configmaps as a mapped user: %d SubjectAccessReviews"
                        + " in %d ms; all API requests %s%n", CONFIGMAPS, reviews, millis, ls);
                assertThat(objects(List.copyOf(entries.keySet()), "config-")).hasSize(CONFIGMAPS);
                assertThat(entries.get("config-00042").attributes().permissions()).as("bob may not change configmaps")
                        .isEqualTo(0555);
                assertThat(reviews).isPositive().isLessThanOrEqualTo(REVIEW_BOUND * (1 + millis / 5_000));
                assertThat(total(ls) - reviews - ls.getOrDefault(DISCOVERY, 0L)).as("requests besides reviews: %s", ls)
                        .isLessThanOrEqualTo(BOUND);
            }
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        }
    }

    /** At most {@link #BOUND} requests for objects, and at most one discovery, which time alone brings. */
    private static void assertBounded(Map<String, Long> requests, long oneDiscovery) {
        long objects = requests.entrySet().stream().filter(e -> !e.getKey().equals(DISCOVERY))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(objects).as("API requests other than discovery: %s", requests).isLessThanOrEqualTo(BOUND);
        assertThat(requests.getOrDefault(DISCOVERY, 0L)).as("discovery requests: %s", requests)
                .isLessThanOrEqualTo(oneDiscovery);
    }

    private static void report(String what, Map<String, Long> warmUp, Map<String, Long> measured) {
        System.out.printf("k9p request bound: %s: %d API requests %s (warm-up made %d: %s)%n", what,
                total(measured), measured, total(warmUp), warmUp);
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new java.util.TreeMap<>();
        after.forEach((kind, count) -> {
            long made = count - before.getOrDefault(kind, 0L);
            if (made != 0) {
                delta.put(kind, made);
            }
        });
        return delta;
    }

    /** The objects' names in a type directory's listing, without its own files (.error, watch). */
    private static List<String> objects(List<String> listing, String prefix) {
        return listing.stream().filter(name -> name.startsWith(prefix)).toList();
    }

    /** Creates the objects through the API, several at a time. */
    private static void createAll(KubernetesClient kube, int count, IntFunction<HasMetadata> object) throws Exception {
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> created = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                HasMetadata resource = object.apply(i);
                created.add(threads.submit(() -> kube.resource(resource).create()));
            }
            for (Future<?> future : created) {
                future.get();
            }
        }
    }

    /**
     * Pod {@code i}: half run; the others wait in CrashLoopBackOff or ContainerCreating, are
     * Pending, or ended as Completed or Error, by {@code i % 10}.
     */
    private static Pod pod(int i) {
        String name = "pod-%04d".formatted(i);
        String phase = "Running";
        String status = "Running";
        ContainerStatusBuilder container = new ContainerStatusBuilder()
                .withName("app").withImage("registry.example/app:1").withRestartCount(0);
        switch (i % 10) {
            case 0 -> {
                status = "CrashLoopBackOff";
                container.withRestartCount(4).withReady(false)
                        .withNewState().withNewWaiting().withReason(status).endWaiting().endState();
            }
            case 1 -> {
                status = "ContainerCreating";
                phase = "Pending";
                container.withReady(false)
                        .withNewState().withNewWaiting().withReason(status).endWaiting().endState();
            }
            case 2 -> {
                status = "Completed";
                phase = "Succeeded";
                container.withReady(false)
                        .withNewState().withNewTerminated().withReason(status).withExitCode(0).endTerminated().endState();
            }
            case 3 -> {
                status = "Error";
                phase = "Failed";
                container.withReady(false)
                        .withNewState().withNewTerminated().withReason(status).withExitCode(1).endTerminated().endState();
            }
            case 4 -> {
                status = "Pending";
                phase = "Pending";
                container = null;
            }
            default -> container.withReady(true).withNewState().withNewRunning().endRunning().endState();
        }
        if (!status.equals("Running")) {
            synchronized (notRunning) {
                notRunning.put(name, status);
            }
        }
        List<ContainerStatus> statuses = container == null ? List.of() : List.of(container.build());
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(POD_NAMESPACE).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example/app:1").endContainer()
                .withNodeName(i % 2 == 0 ? "node-1" : "node-2").endSpec()
                .withNewStatus().withPhase(phase).withContainerStatuses(statuses)
                .withPodIP(container == null ? null : "10.1.%d.%d".formatted(i / 250, i % 250 + 1)).endStatus()
                .build();
    }
}
