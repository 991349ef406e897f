package io.k9p.testing;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.ApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;

/**
 * The editor matrix, shared by the front ends' tests (the kernel mount, FUSE in-process and
 * {@code --server}): {@code editor-matrix.sh} beside this class saves one edit with each editor and
 * tool, on a configmap key and on a data.yaml, each on a configmap of its own, and writes values of
 * the sizes that split into many write requests, one too large, and bytes that are not UTF-8. This
 * class seeds the configmaps, gives the script, and checks each step at the API server: the value
 * saved, no other key, and exactly one write request for the object, the figure a controller
 * watching it would see as updates.
 */
public final class EditorMatrix {
    public static final String NAMESPACE = "matrix";
    /** The editors and tools, as the script names its steps: each saves on {@code NAME-key} and {@code NAME-yaml}. */
    public static final List<String> TOOLS = List.of("vim", "vim-backupcopy-yes", "vim-backupcopy-no", "nano",
            "ed", "sed", "perl", "python", "cp", "kak");
    /** The sizes written whole: just over a FUSE write (128 KiB), over several, and the API server's limit (1 MiB). */
    public static final List<Integer> SIZES = List.of(128 * 1024 + 1, 512 * 1024 + 1, 1024 * 1024);
    public static final List<String> WRITERS = List.of("cp", "dd", "python", "vim");

    private static final Map<String, String> CONFIG = Map.of("app.conf", "level=info\nport=8080\n", "other", "x\n");
    private static final Map<String, String> EDITED = Map.of("app.conf", "level=debug\nport=8080\n", "other", "x\n");
    private static final String LINE = "color: teal 0123456789abcdefghijklmnopqrstuvwxyz\n";
    private static final String SAVED = "status 0\nno leftovers\n";

    private EditorMatrix() {
    }

    /** What one step did to its object at the API server, for the tables of updates per save. */
    public record Outcome(String frontEnd, String step, long writes, boolean valueSaved, Set<String> extraKeys) {
        @Override
        public String toString() {
            return "matrix | %s | %s | writes %d | value %s | extra keys %s".formatted(frontEnd, step, writes,
                    valueSaved ? "saved" : "NOT SAVED", extraKeys.isEmpty() ? "none" : extraKeys);
        }
    }

    /** The script, to run with /bin/sh in the mount's root; it needs {@code NS} and {@code WORK} set. */
    public static String script() {
        try (InputStream in = EditorMatrix.class.getResourceAsStream("editor-matrix.sh")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The namespace and its configmaps, one per step. */
    public static void seed(KubernetesClient kube) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        for (String tool : TOOLS) {
            configMap(kube, tool + "-key", CONFIG);
            configMap(kube, tool + "-yaml", CONFIG);
        }
        for (int size : SIZES) {
            for (String writer : WRITERS) {
                String initial = writer.equals("vim") ? source(size).replaceFirst("teal", "blue") : "old\n";
                configMap(kube, sizeStep(writer, size), Map.of("blob", initial));
            }
        }
        configMap(kube, "too-large", Map.of("blob", "small\n"));
        configMap(kube, "binary", Map.of("other", "x\n"));
    }

    /**
     * Checks each step of a run (the script's output split by {@code ScriptSteps}) at the API server,
     * softly, and returns what each did.
     */
    public static List<Outcome> check(SoftAssertions softly, String frontEnd, Map<String, String> steps,
            KubernetesClient kube, ApiServer api) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String tool : TOOLS) {
            for (String target : List.of("key", "yaml")) {
                String step = tool + "-" + target;
                softly.assertThat(steps.get(step)).as("%s %s: its status and the files it left", frontEnd, step)
                        .isEqualTo(SAVED);
                outcomes.add(expect(softly, frontEnd, step, kube, api, EDITED, Map.of()));
            }
        }
        softly.assertThat(steps.get("vim-new-object")).as("%s vim-new-object: its status and the objects it made",
                frontEnd).isEqualTo("status 0\nnew: made-by-vim \n");
        outcomes.add(expect(softly, frontEnd, "made-by-vim", kube, api, Map.of("made", "by vim"), Map.of(), false));
        for (int size : SIZES) {
            for (String writer : WRITERS) {
                String step = sizeStep(writer, size);
                softly.assertThat(steps.get(step)).as("%s %s: its status", frontEnd, step).isEqualTo("status 0\n");
                outcomes.add(expect(softly, frontEnd, step, kube, api, Map.of("blob", source(size)), Map.of()));
            }
        }
        String tooLarge = String.valueOf(steps.get("too-large"));
        softly.assertThat(tooLarge.contains("status 0") && tooLarge.contains("error: \n"))
                .as("%s too-large: refused, by cp's status or the error file:%n%s", frontEnd, tooLarge).isFalse();
        softly.assertThat(tooLarge).as("%s too-large: the API server's reason in the error file", frontEnd)
                .contains("may not be more than 1048576 bytes");
        outcomes.add(expect(softly, frontEnd, "too-large", kube, api, Map.of("blob", "small\n"), Map.of()));
        softly.assertThat(steps.get("binary")).as("%s binary: cp's status and cmp of what reads back", frontEnd)
                .isEqualTo("status 0\nread back identical\n");
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        outcomes.add(expect(softly, frontEnd, "binary", kube, api, Map.of("other", "x\n"),
                Map.of("bytes", Base64.getEncoder().encodeToString(bytes))));
        softly.assertThat(kube.configMaps().inNamespace(NAMESPACE).list().getItems().stream()
                        .map(object -> object.getMetadata().getName()))
                .as("%s: the configmaps at the API server (no editor's file became one)", frontEnd)
                .containsExactlyInAnyOrderElementsOf(outcomes.stream().map(Outcome::step).toList());
        outcomes.forEach(System.out::println);
        return outcomes;
    }

    /** The object's data and binaryData must be these, after the seed's creation and exactly one write request. */
    private static Outcome expect(SoftAssertions softly, String frontEnd, String step, KubernetesClient kube,
            ApiServer api, Map<String, String> data, Map<String, String> binaryData) {
        return expect(softly, frontEnd, step, kube, api, data, binaryData, true);
    }

    /** @param seeded whether {@link #seed} created the object, which is one write request of its own */
    private static Outcome expect(SoftAssertions softly, String frontEnd, String step, KubernetesClient kube,
            ApiServer api, Map<String, String> data, Map<String, String> binaryData, boolean seeded) {
        ConfigMap object = kube.configMaps().inNamespace(NAMESPACE).withName(step).get();
        Map<String, String> hasData = object.getData() == null ? Map.of() : object.getData();
        Map<String, String> hasBinary = object.getBinaryData() == null ? Map.of() : object.getBinaryData();
        long writes = api.writesTo("/api/v1/namespaces/" + NAMESPACE + "/configmaps/" + step) - (seeded ? 1 : 0);
        Set<String> extra = new TreeSet<>(hasData.keySet());
        extra.addAll(hasBinary.keySet());
        extra.removeAll(data.keySet());
        extra.removeAll(binaryData.keySet());
        boolean saved = new LinkedHashMap<>(hasData).equals(data) && hasBinary.equals(binaryData);
        softly.assertThat(extra).as("%s %s: keys at the API server that no one saved", frontEnd, step).isEmpty();
        softly.assertThat(saved).as("%s %s: the values at the API server (data %s, binaryData keys %s)", frontEnd,
                step, abbreviated(hasData), hasBinary.keySet()).isTrue();
        softly.assertThat(writes).as("%s %s: write requests the API server received for the object", frontEnd, step)
                .isEqualTo(1);
        return new Outcome(frontEnd, step, writes, saved, extra);
    }

    private static Map<String, String> abbreviated(Map<String, String> data) {
        Map<String, String> shown = new LinkedHashMap<>();
        data.forEach((key, value) -> shown.put(key, value.length() > 40
                ? value.substring(0, 20) + "...(" + value.length() + " chars)" : value));
        return shown;
    }

    private static String sizeStep(String writer, int size) {
        return "size-" + writer + "-" + size;
    }

    /** The script's source of a size: lines of {@link #LINE} cut to one byte less, and a newline. */
    static String source(int size) {
        return LINE.repeat(size / LINE.length() + 1).substring(0, size - 1) + "\n";
    }

    private static void configMap(KubernetesClient kube, String name, Map<String, String> data) {
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withData(data).build()).create();
    }
}
