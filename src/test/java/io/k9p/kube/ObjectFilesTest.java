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
        try (PathClient fs = cluster.attach()) {
            // vim's probe, swap file and backup; sed's temp file
            for (String scratch : new String[] {"4913", "5036", ".key.swp", ".key.swx", "key~", "sedAb12Cd"}) {
                fs.create(data, scratch, "scratch");
                assertThat(fs.list(data)).contains(scratch);
                assertThat(fs.read(data + "/" + scratch)).isEqualTo("scratch");
            }
            assertThat(data("edited")).containsOnlyKeys("key");
            for (String scratch : new String[] {"4913", "5036", ".key.swp", ".key.swx", "key~"}) {
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
            String before = kube.configMaps().inNamespace("default").withName("edited").get().getMetadata().getResourceVersion();
            fs.rename(data, "key", "renamed");
            ConfigMap renamed = kube.configMaps().inNamespace("default").withName("edited").get();
            assertThat(renamed.getData()).containsExactlyEntriesOf(Map.of("renamed", "two"));
            assertThat(Long.parseLong(renamed.getMetadata().getResourceVersion())).isEqualTo(Long.parseLong(before) + 1);

            // a name that is no tool's creates a key
            fs.create(data, "added", "three");
            assertThat(data("edited")).containsEntry("added", "three");
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
