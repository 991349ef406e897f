package io.k9p.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k9p.demo.ApiServer;
import io.k9p.demo.DemoCluster;
import io.k9p.kube.render.KubectlJson;
import io.k9p.kube.render.KubectlYaml;
import io.k9p.testing.FormatSeed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What rendering an object costs: kubectl's YAML and JSON as k9p writes them (kube.render), against
 * fabric8's own YAML and JSON serializers (what data.yaml was before), on the same objects in the
 * same run: every object of the demo cluster and of the format seed, as the API server returns them.
 * Each case is timed in rounds, interleaved with the others, after a warm-up.
 */
public final class RenderBenchmark {
    private static final String USAGE = """
            usage: scripts/bench render [--seconds S] [--rounds N]
              --seconds S   length of one timed round per case (default 3)
              --rounds N    timed rounds per case, after one warm-up round (default 3)
            """;

    private record Settings(double seconds, int rounds) {
        static Settings parse(String[] args) {
            double seconds = 3;
            int rounds = 3;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seconds" -> seconds = Double.parseDouble(value(args, ++i));
                    case "--rounds" -> rounds = Integer.parseInt(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            return new Settings(seconds, rounds);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }

    private record Case(String name, Function<GenericKubernetesResource, byte[]> render) {}

    public static void main(String[] args) throws Exception {
        Settings settings = BenchmarkArguments.parse("render", args, USAGE, Settings::parse);
        List<GenericKubernetesResource> objects = new ArrayList<>();
        KubernetesSerialization serialization;
        try (ApiServer api = DemoCluster.start(0)) {
            KubernetesClient kube = api.client();
            FormatSeed.seed(kube);
            serialization = kube.getKubernetesSerialization();
            for (var list : List.of(kube.genericKubernetesResources("v1", "ConfigMap").inAnyNamespace().list(),
                    kube.genericKubernetesResources("v1", "Pod").inAnyNamespace().list(),
                    kube.genericKubernetesResources("apps/v1", "Deployment").inAnyNamespace().list(),
                    kube.genericKubernetesResources("v1", "Secret").inAnyNamespace().list())) {
                objects.addAll(list.getItems());
            }
        }
        // Objects kubectl cannot print as YAML (the seed has some) would time an exception.
        KubernetesSerialization renderable = serialization;
        objects.removeIf(object -> !printsAsYaml(tree(renderable, object)));
        KubernetesSerialization fabric8 = serialization;
        List<Case> cases = List.of(
                new Case("kubectl yaml (k9p)", object -> KubectlYaml.render(tree(fabric8, object))),
                new Case("kubectl json (k9p)", object -> KubectlJson.render(tree(fabric8, object))),
                new Case("fabric8 asYaml", object -> fabric8.asYaml(object).getBytes(StandardCharsets.UTF_8)),
                new Case("fabric8 asJson", object -> fabric8.asJson(object).getBytes(StandardCharsets.UTF_8)));
        long bytes = objects.stream().mapToLong(object -> KubectlYaml.render(tree(fabric8, object)).length).sum();
        System.out.printf("rendering %d objects (configmaps, pods, deployments, secrets of the demo cluster and the"
                + " format seed; %d bytes of kubectl YAML); %d rounds of %.1f s per case after a warm-up; Java %s%n%n",
                objects.size(), bytes, settings.rounds(), settings.seconds(), Runtime.version());
        Map<String, List<Double>> perObject = new LinkedHashMap<>();
        for (int round = 0; round <= settings.rounds(); round++) {
            for (Case c : cases) {
                double micros = round(c, objects, settings.seconds());
                if (round > 0) {
                    perObject.computeIfAbsent(c.name(), name -> new ArrayList<>()).add(micros);
                }
            }
        }
        double peer = median(perObject.get("fabric8 asYaml"));
        System.out.printf("%-22s %16s %16s%n", "case", "µs per object", "÷ fabric8 asYaml");
        perObject.forEach((name, micros) -> {
            System.out.printf("%-22s %16.2f %16.2f%n", name, median(micros), median(micros) / peer);
            System.out.printf("RESULT {\"case\":\"%s\",\"us_per_object\":%.3f,\"ratio_to_fabric8_yaml\":%.3f}%n",
                    name, median(micros), median(micros) / peer);
        });
    }

    private static boolean printsAsYaml(Map<String, Object> tree) {
        try {
            KubectlYaml.render(tree);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(KubernetesSerialization serialization, GenericKubernetesResource object) {
        Map<String, Object> tree = serialization.convertValue(object, Map.class);
        if (tree.get("metadata") instanceof Map<?, ?> metadata) {
            metadata.remove("managedFields");
        }
        return tree;
    }

    /** µs per object in one round of about {@code seconds}. */
    private static double round(Case c, List<GenericKubernetesResource> objects, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long rendered = 0;
        long sink = 0;
        long start = System.nanoTime();
        while (System.nanoTime() < deadline) {
            for (GenericKubernetesResource object : objects) {
                sink += c.render().apply(object).length;
            }
            rendered += objects.size();
        }
        long elapsed = System.nanoTime() - start;
        if (sink == 0) {
            throw new IllegalStateException("nothing rendered");
        }
        return elapsed / 1e3 / rendered;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
