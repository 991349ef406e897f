package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.protocol.Errno;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.PathClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An object's document files (data.yaml, data.json) as written by people and tools, their times,
 * and the temporary files editors make in a configmap's {@code data/}; each change checked against
 * the API server.
 */
class ObjectFilesTest {
    private static final String CONFIGMAPS = "/namespaces/default/configmaps";
    private static ClusterServer cluster;
    private static KubernetesClient kube;

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterServer.demo();
        kube = cluster.kube;
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Creates a configmap at the API server and waits until k9p's cache has it. */
    private static ConfigMap configMap(String name, Map<String, String> data) throws Exception {
        ConfigMap created = kube.configMaps().inNamespace("default")
                .resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build())
                .create();
        long deadline = System.nanoTime() + 5_000_000_000L;
        try (PathClient fs = cluster.attach()) {
            while (!fs.list(CONFIGMAPS).contains(name)) {
                assertThat(System.nanoTime()).as(name + " visible within 5 s").isLessThan(deadline);
                Thread.sleep(10);
            }
        }
        return created;
    }

    /** The newest write the API server recorded in the object's managedFields, in epoch seconds. */
    private static long lastWrite(io.fabric8.kubernetes.api.model.HasMetadata object) {
        return object.getMetadata().getManagedFields().stream()
                .mapToLong(entry -> Instant.parse(entry.getTime()).getEpochSecond()).max().orElseThrow();
    }

    private static Map<String, String> data(String name) {
        return kube.configMaps().inNamespace("default").withName(name).get().getData();
    }

    @Test
    void dataJsonIsTheObjectAsJsonWithExactSize() throws Exception {
        configMap("as-json", Map.of("k", "<v&>"));
        try (PathClient fs = cluster.attach()) {
            String path = CONFIGMAPS + "/as-json/data.json";
            String json = fs.read(path);
            assertThat(fs.size(path)).isEqualTo(json.getBytes(StandardCharsets.UTF_8).length);
            assertThat(json).startsWith("{\n    \"apiVersion\": \"v1\",\n").endsWith("}\n")
                    .contains("\"k\": \"\\u003cv\\u0026\\u003e\"").doesNotContain("managedFields");
            JsonNode parsed = new ObjectMapper().readTree(json);
            assertThat(parsed.path("data").path("k").asString()).isEqualTo("<v&>");
            assertThat(parsed.path("kind").asString()).isEqualTo("ConfigMap");
        }
    }

    @Test
    void writesAcceptYamlAndJsonInEitherFile() throws Exception {
        ConfigMap created = configMap("written", Map.of("k", "0"));
        String rv = created.getMetadata().getResourceVersion();
        String dir = CONFIGMAPS + "/written";
        try (PathClient fs = cluster.attach()) {
            fs.write(dir + "/data.json", """
                    {"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "written", "resourceVersion": "%s"}, "data": {"k": "json"}}
                    """.formatted(rv));
            assertThat(data("written")).containsEntry("k", "json");

            rv = kube.configMaps().inNamespace("default").withName("written").get().getMetadata().getResourceVersion();
            fs.write(dir + "/data.json", """
                    ---
                    # YAML written into data.json, with a document marker, comments and quotes
                    apiVersion: "v1"
                    kind: ConfigMap
                    metadata:
                      name: 'written'
                      resourceVersion: "%s"
                    data:
                      k: yaml   # a comment after a value
                    """.formatted(rv));
            assertThat(data("written")).containsEntry("k", "yaml");

            rv = kube.configMaps().inNamespace("default").withName("written").get().getMetadata().getResourceVersion();
            fs.write(dir + "/data.yaml", """
                    {"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "written", "resourceVersion": "%s"}, "data": {"k": "json in yaml"}}
                    """.formatted(rv));
            assertThat(data("written")).containsEntry("k", "json in yaml");
            assertThat(fs.read(dir + "/data.yaml")).contains("\n  k: json in yaml\n");
            assertThat(fs.read(dir + "/data.json")).contains("\"k\": \"json in yaml\"");
        }
    }

    @Test
    void refusedWritesOfDataJsonChangeNothing() throws Exception {
        configMap("refused-json", Map.of("k", "kept"));
        String dir = CONFIGMAPS + "/refused-json";
        try (PathClient fs = cluster.attach()) {
            String stale = fs.read(dir + "/data.json");
            kube.configMaps().inNamespace("default").withName("refused-json").edit(c -> {
                c.getData().put("k", "changed elsewhere");
                return c;
            });
            assertThatThrownBy(() -> fs.write(dir + "/data.json", stale.replace("\"kept\"", "\"mine\"")))
                    .isInstanceOfSatisfying(PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.ESTALE.number()));
            assertThat(fs.read(dir + "/error")).contains("modified");
            assertThatThrownBy(() -> fs.write(dir + "/data.json", "{\"apiVersion\": "))
                    .isInstanceOfSatisfying(PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.EINVAL.number()));
            assertThatThrownBy(() -> fs.write(dir + "/data.json", ""))
                    .isInstanceOfSatisfying(PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.EINVAL.number()));
            assertThat(data("refused-json")).containsExactlyEntriesOf(Map.of("k", "changed elsewhere"));
        }
    }

    @Test
    void filesShowTheObjectsLastChange() throws Exception {
        ConfigMap created = configMap("timed", Map.of("k", "0"));
        Instant creation = Instant.parse(created.getMetadata().getCreationTimestamp());
        String dir = CONFIGMAPS + "/timed";
        try (PathClient fs = cluster.attach()) {
            assertThat(fs.stat(dir + "/data.yaml").modified().getEpochSecond()).isEqualTo(creation.getEpochSecond());
            // managedFields times have whole seconds: wait for the next one so the change shows
            Thread.sleep(1_100);
            fs.write(dir + "/data/k", "1");
            ConfigMap edited = kube.configMaps().inNamespace("default").withName("timed").get();
            long lastWrite = lastWrite(edited);
            assertThat(lastWrite).isGreaterThan(creation.getEpochSecond());
            for (String file : new String[] {"data.yaml", "data.json", "status", "events", "data/k", ""}) {
                assertThat(fs.stat(dir + "/" + file).modified().getEpochSecond()).as(file).isEqualTo(lastWrite);
            }
        }
    }

    @Test
    void scalingIsAChangeToo() throws Exception {
        String dir = "/namespaces/kube-system/deployments/coredns";
        try (PathClient fs = cluster.attach()) {
            long before = fs.stat(dir + "/data.yaml").modified().getEpochSecond();
            Thread.sleep(1_100);
            fs.write(dir + "/scale", "3\n");
            var scaled = kube.apps().deployments().inNamespace("kube-system").withName("coredns").get();
            long lastWrite = lastWrite(scaled);
            assertThat(lastWrite).isGreaterThan(before);
            assertThat(fs.stat(dir + "/data.yaml").modified().getEpochSecond()).isEqualTo(lastWrite);
            assertThat(fs.stat(dir + "/scale").modified().getEpochSecond()).isEqualTo(lastWrite);
        }
    }

    @Test
    void editorFilesInDataStayInMemory() throws Exception {
        configMap("edited", Map.of("key", "one"));
        String data = CONFIGMAPS + "/edited/data";
        long created = writes("edited");
        try (PathClient fs = cluster.attach()) {
            // vim's probes, created and closed unwritten
            for (String probe : new String[] {"4913", "5036", ".key.swpx"}) {
                fs.probe(data, probe);
                assertThat(fs.list(data)).contains(probe);
            }
            // written and closed before they are renamed or removed: vim's swap file (nano's lock file has
            // its name), vim's backup, and the temporary files of sed -i, perl -i, python and kakoune
            for (String scratch : new String[] {".key.swp", "key~", "sedAb12Cd", "XXab12CD", "tmpab_12cd9", ".key.kak.Ab12Cd"}) {
                fs.create(data, scratch, "scratch");
                assertThat(fs.list(data)).contains(scratch);
                assertThat(fs.read(data + "/" + scratch)).isEqualTo("scratch");
            }
            assertThat(data("edited")).containsOnlyKeys("key");
            assertThat(writes("edited")).as("write requests for the editors' files").isEqualTo(created);
            for (String scratch : new String[] {"4913", "5036", ".key.swpx", ".key.swp", "key~", "XXab12CD", "tmpab_12cd9",
                    ".key.kak.Ab12Cd"}) {
                fs.remove(data, scratch);
            }

            // sed -i: the temp file renamed onto the key sets it
            fs.rename(data, "sedAb12Cd", "key");
            assertThat(data("edited")).containsExactlyEntriesOf(Map.of("key", "scratch"));

            // vim with backupcopy=no: the key renamed to its backup stays, the new file replaces it
            fs.rename(data, "key", "key~");
            assertThat(data("edited")).containsExactlyEntriesOf(Map.of("key", "scratch"));
            assertThat(fs.read(data + "/key~")).isEqualTo("scratch");
            fs.write(data + "/key", "two");
            fs.remove(data, "key~");
            assertThat(data("edited")).containsExactlyEntriesOf(Map.of("key", "two"));
            assertThat(fs.list(data)).containsExactly("key");

            // mv of a key to another key's name renames it in one change
            long before = writes("edited");
            fs.rename(data, "key", "renamed");
            assertThat(data("edited")).containsExactlyEntriesOf(Map.of("renamed", "two"));
            assertThat(writes("edited")).isEqualTo(before + 1);

            // a name that is no tool's becomes a key when written and closed, in one change
            fs.create(data, "added", "three");
            assertThat(data("edited")).containsEntry("added", "three");
            assertThat(writes("edited")).isEqualTo(before + 2);
        }
    }

    /** The write requests the API server has had for a configmap of the default namespace. */
    private static long writes(String name) {
        return cluster.api.writesTo("/api/v1/namespaces/default/configmaps/" + name);
    }

    @Test
    void aKeysWriteLandsWhenAnotherKeyOrALabelChangedSinceItWasOpened() throws Exception {
        configMap("two-writers", Map.of("CURRENCY", "EUR", "LOG_LEVEL", "info"));
        String data = CONFIGMAPS + "/two-writers/data";
        try (PathClient fs = cluster.attach()) {
            try (PathClient.Writing currency = fs.openTruncated(data + "/CURRENCY")) {
                kube.configMaps().inNamespace("default").withName("two-writers")
                        .edit(c -> new ConfigMapBuilder(c).addToData("LOG_LEVEL", "debug").build());
                awaitValue(fs, data + "/LOG_LEVEL", "debug");
                currency.write("USD".getBytes(StandardCharsets.UTF_8), 1 << 16);
            }
            assertThat(data("two-writers")).containsExactlyInAnyOrderEntriesOf(Map.of("CURRENCY", "USD", "LOG_LEVEL", "debug"));

            try (PathClient.Writing currency = fs.openTruncated(data + "/CURRENCY")) {
                kube.configMaps().inNamespace("default").withName("two-writers")
                        .edit(c -> new ConfigMapBuilder(c).editMetadata().addToLabels("team", "shop").endMetadata().build());
                currency.write("GBP".getBytes(StandardCharsets.UTF_8), 1 << 16);
            }
            ConfigMap labelled = kube.configMaps().inNamespace("default").withName("two-writers").get();
            assertThat(labelled.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("CURRENCY", "GBP", "LOG_LEVEL", "debug"));
            assertThat(labelled.getMetadata().getLabels()).containsEntry("team", "shop");
        }
    }

    @Test
    void aKeysWriteFailsWithEstaleWhenThatKeyChangedSinceItWasOpened() throws Exception {
        configMap("one-key-two-writers", Map.of("CURRENCY", "EUR", "LOG_LEVEL", "info"));
        String dir = CONFIGMAPS + "/one-key-two-writers";
        try (PathClient fs = cluster.attach()) {
            PathClient.Writing currency = fs.openTruncated(dir + "/data/CURRENCY");
            kube.configMaps().inNamespace("default").withName("one-key-two-writers")
                    .edit(c -> new ConfigMapBuilder(c).addToData("CURRENCY", "CHF").build());
            currency.write("USD".getBytes(StandardCharsets.UTF_8), 1 << 16);
            assertThatThrownBy(currency::close).isInstanceOfSatisfying(PathClient.Failure.class,
                    f -> assertThat(f.errno).isEqualTo(Errno.ESTALE.number()));
            assertThat(data("one-key-two-writers")).containsExactlyInAnyOrderEntriesOf(Map.of("CURRENCY", "CHF", "LOG_LEVEL", "info"));
            assertThat(fs.read(dir + "/error")).contains("key CURRENCY changed since it was opened: re-read it");

            // sed -i's temporary file, made before the key changed elsewhere, renamed onto it
            fs.create(dir + "/data", "sedXy12Zw", "SEK");
            kube.configMaps().inNamespace("default").withName("one-key-two-writers")
                    .edit(c -> new ConfigMapBuilder(c).addToData("CURRENCY", "NOK").build());
            assertThatThrownBy(() -> fs.rename(dir + "/data", "sedXy12Zw", "CURRENCY")).isInstanceOfSatisfying(
                    PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.ESTALE.number()));
            assertThat(data("one-key-two-writers")).containsEntry("CURRENCY", "NOK");

            // a new key being written here while another writer created it at the API server
            fs.probe(dir + "/data", "REGION");
            PathClient.Writing region = fs.openTruncated(dir + "/data/REGION");
            region.write("us".getBytes(StandardCharsets.UTF_8), 1 << 16);
            kube.configMaps().inNamespace("default").withName("one-key-two-writers")
                    .edit(c -> new ConfigMapBuilder(c).addToData("REGION", "eu").build());
            assertThatThrownBy(region::close).isInstanceOfSatisfying(PathClient.Failure.class,
                    f -> assertThat(f.errno).isEqualTo(Errno.ESTALE.number()));
            assertThat(data("one-key-two-writers")).containsEntry("REGION", "eu");
        }
    }

    @Test
    void aValueWrittenInManyRequestsIsOneUpdate() throws Exception {
        configMap("large", Map.of("other", "x"));
        byte[] value = "0123456789abcdef\n".repeat(300 * 1024 / 17).getBytes(StandardCharsets.UTF_8);
        try (PathClient fs = cluster.attach()) {
            fs.create(CONFIGMAPS + "/large/data", "blob", "");
            long before = writes("large");
            try (PathClient.Writing blob = fs.openTruncated(CONFIGMAPS + "/large/data/blob")) {
                blob.write(value, 8192);
            }
            assertThat(writes("large") - before).as("write requests for %d bytes in 8 KiB writes", value.length).isEqualTo(1);
            assertThat(data("large")).containsEntry("blob", new String(value, StandardCharsets.UTF_8)).containsEntry("other", "x");
            assertThat(fs.readBytes(CONFIGMAPS + "/large/data/blob")).isEqualTo(value);
        }
    }

    @Test
    void bytesThatAreNotUtf8GoToBinaryDataAndBack() throws Exception {
        configMap("bytes", Map.of("other", "x"));
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        String data = CONFIGMAPS + "/bytes/data";
        try (PathClient fs = cluster.attach()) {
            fs.create(data, "blob", "text first");
            long before = writes("bytes");
            try (PathClient.Writing blob = fs.openTruncated(data + "/blob")) {
                blob.write(every, 100);
            }
            ConfigMap binary = kube.configMaps().inNamespace("default").withName("bytes").get();
            assertThat(binary.getData()).containsExactlyEntriesOf(Map.of("other", "x"));
            assertThat(binary.getBinaryData()).containsExactlyEntriesOf(Map.of("blob", Base64.getEncoder().encodeToString(every)));
            assertThat(fs.readBytes(data + "/blob")).isEqualTo(every);
            assertThat(fs.list(data)).containsExactlyInAnyOrder("other", "blob");

            fs.write(data + "/blob", "text again <&>\u2028\n");
            ConfigMap text = kube.configMaps().inNamespace("default").withName("bytes").get();
            assertThat(text.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("other", "x", "blob", "text again <&>\u2028\n"));
            assertThat(text.getBinaryData()).isNullOrEmpty();
            assertThat(writes("bytes") - before).as("one update for each move between the maps").isEqualTo(2);

            // A key of binaryData made by someone else is a file like the others
            kube.configMaps().inNamespace("default").withName("bytes")
                    .edit(c -> new ConfigMapBuilder(c).addToBinaryData("made", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0})).build());
            awaitValue(fs, data + "/made", new String(new byte[] {(byte) 0xff, 0}, StandardCharsets.UTF_8));
            assertThat(fs.readBytes(data + "/made")).containsExactly((byte) 0xff, 0);
        }
    }

    @Test
    void aValueTooLargeIsRefusedWithTheApiServersReason() throws Exception {
        ConfigMap created = configMap("too-large", Map.of("blob", "small"));
        String dir = CONFIGMAPS + "/too-large";
        try (PathClient fs = cluster.attach()) {
            PathClient.Writing blob = fs.openTruncated(dir + "/data/blob");
            blob.write("a".repeat(1024 * 1024 + 1).getBytes(StandardCharsets.UTF_8), 1 << 16);
            assertThatThrownBy(blob::close).isInstanceOfSatisfying(PathClient.Failure.class,
                    f -> assertThat(f.errno).isEqualTo(Errno.EINVAL.number()));
            ConfigMap kept = kube.configMaps().inNamespace("default").withName("too-large").get();
            assertThat(kept.getData()).containsExactlyEntriesOf(Map.of("blob", "small"));
            assertThat(kept.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
            assertThat(fs.read(dir + "/error")).contains("ConfigMap \"too-large\" is invalid: []: Too long: may not be more than 1048576 bytes");
        }
    }

    @Test
    void rmAndMvOfKeysAreOneChangeEachWhileOtherKeysChange() throws Exception {
        kube.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("moving")
                .endMetadata().withData(Map.of("a", "1", "b", "2", "c", "3"))
                .withBinaryData(Map.of("x", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xfe}),
                        "y", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff})))
                .build()).create();
        String data = CONFIGMAPS + "/moving/data";
        try (PathClient fs = cluster.attach()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!fs.list(CONFIGMAPS).contains("moving")) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(10);
            }
            long before = writes("moving");
            kube.configMaps().inNamespace("default").withName("moving")
                    .edit(c -> new ConfigMapBuilder(c).addToData("c", "changed").build());
            fs.remove(data, "a");
            kube.configMaps().inNamespace("default").withName("moving")
                    .edit(c -> new ConfigMapBuilder(c).addToData("d", "new").build());
            fs.rename(data, "b", "e");
            assertThat(data("moving")).containsExactlyInAnyOrderEntriesOf(Map.of("c", "changed", "d", "new", "e", "2"));
            // mv onto a key replaces it
            fs.rename(data, "e", "c");
            assertThat(data("moving")).containsExactlyInAnyOrderEntriesOf(Map.of("c", "2", "d", "new"));
            // binaryData's keys, moved and removed the same way, their bytes as they were
            fs.rename(data, "x", "z");
            fs.remove(data, "y");
            ConfigMap moved = kube.configMaps().inNamespace("default").withName("moving").get();
            assertThat(moved.getBinaryData()).containsExactlyEntriesOf(
                    Map.of("z", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xfe})));
            assertThat(fs.readBytes(data + "/z")).containsExactly((byte) 0xfe);
            assertThat(writes("moving") - before).as("two edits elsewhere, two rm, three mv").isEqualTo(7);
        }
    }

    @Test
    void keysAreAddedToAnObjectWithoutDataOrBinaryData() throws Exception {
        kube.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata().withName("empty")
                .endMetadata().build()).create();
        try (PathClient fs = cluster.attach()) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!fs.list(CONFIGMAPS).contains("empty")) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(10);
            }
            fs.probe(CONFIGMAPS + "/empty/data", "bytes");
            try (PathClient.Writing bytes = fs.openTruncated(CONFIGMAPS + "/empty/data/bytes")) {
                bytes.write(new byte[] {(byte) 0xc3, 0x28}, 1 << 16);
            }
            fs.create(CONFIGMAPS + "/empty/data", "text", "1");
            // A shell's ': > key' makes an empty key: truncated, then closed unwritten.
            fs.probe(CONFIGMAPS + "/empty/data", "none");
            fs.openTruncated(CONFIGMAPS + "/empty/data/none").close();
            ConfigMap filled = kube.configMaps().inNamespace("default").withName("empty").get();
            assertThat(filled.getData()).containsExactlyInAnyOrderEntriesOf(Map.of("text", "1", "none", ""));
            assertThat(filled.getBinaryData()).containsExactlyEntriesOf(
                    Map.of("bytes", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xc3, 0x28})));
        }
    }

    /** Waits until the mount reads the value, as a program that read the file after another's change. */
    private static void awaitValue(PathClient fs, String path, String value) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                if (fs.read(path).equals(value)) {
                    return;
                }
            } catch (PathClient.Failure e) {
                // not there yet
            }
            assertThat(System.nanoTime()).as(path + " reads " + value + " within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void documentRenamedAwayLeavesTheObjectAndACopy() throws Exception {
        configMap("backed-up", Map.of("k", "v"));
        String dir = CONFIGMAPS + "/backed-up";
        try (PathClient fs = cluster.attach()) {
            String json = fs.read(dir + "/data.json");
            fs.rename(dir, "data.json", "data.json~");
            assertThat(fs.read(dir + "/data.json~")).isEqualTo(json);
            assertThat(fs.read(dir + "/data.json")).isEqualTo(json);
            fs.write(dir + "/data.json", json.replace("\"k\": \"v\"", "\"k\": \"w\""));
            fs.remove(dir, "data.json~");
            assertThat(data("backed-up")).containsExactlyEntriesOf(Map.of("k", "w"));
            assertThat(fs.list(dir)).containsExactly("data.yaml", "data.json", "status", "events", "error", "data", "ctl");
        }
    }
}
