package io.k9p.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.k9p.testing.Kubectl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo API server's JSON patches (application/json-patch+json) and its limits on configmaps and
 * secrets, each against what kube-apiserver 1.32 answers: the status, reason and message its source
 * gives (handlers/patch.go with gopkg.in/evanphx/json-patch.v4; core validation), and kubectl patch
 * --type=json as the client that shows them.
 */
class JsonPatchTest {
    /** What kube-apiserver answers for a JSON patch that does not apply, whatever the reason. */
    private static final String NOT_APPLIED = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"the server rejected our request due to an error in our request\","
            + "\"reason\":\"Invalid\",\"details\":{},\"code\":422}";

    @TempDir
    static Path dir;
    private static ApiServer server;
    private static KubernetesClient client;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = ApiServer.start();
        client = server.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build())
                .create();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ConfigMap configMap(String name, Map<String, String> data) {
        return client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata()
                .withData(data).build()).create();
    }

    private static HttpResponse<String> patch(String name, String patch) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/namespaces/default/configmaps/" + name))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch))
                .header("Content-Type", "application/json-patch+json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> data(String name) {
        return client.configMaps().withName(name).get().getData();
    }

    @Test
    void aTestOfAnAbsentMemberAgainstNullPassesAndAMissingParentFails() throws Exception {
        ConfigMap created = configMap("absent", Map.of("a", "1"));
        HttpResponse<String> added = patch("absent",
                "[{\"op\":\"test\",\"path\":\"/data/b\",\"value\":null},{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"2\"}]");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(data("absent")).isEqualTo(Map.of("a", "1", "b", "2"));

        // No parent is made: the configmap has no binaryData.
        HttpResponse<String> orphan = patch("absent", "[{\"op\":\"add\",\"path\":\"/binaryData/c\",\"value\":\"AA==\"}]");
        assertThat(orphan.statusCode()).isEqualTo(422);
        assertThat(orphan.body()).isEqualTo(NOT_APPLIED);
        HttpResponse<String> missingParentTest = patch("absent", "[{\"op\":\"test\",\"path\":\"/binaryData/c\",\"value\":null}]");
        assertThat(missingParentTest.body()).isEqualTo(NOT_APPLIED);
        HttpResponse<String> made = patch("absent", "[{\"op\":\"test\",\"path\":\"/binaryData\",\"value\":null},"
                + "{\"op\":\"add\",\"path\":\"/binaryData\",\"value\":{\"c\":\"AA==\"}}]");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        assertThat(client.configMaps().withName("absent").get().getBinaryData()).isEqualTo(Map.of("c", "AA=="));
        assertThat(client.configMaps().withName("absent").get().getMetadata().getResourceVersion())
                .isNotEqualTo(created.getMetadata().getResourceVersion());
    }

    @Test
    void aFailedTestChangesNothingAndIsTheApiServersGeneric422() throws Exception {
        ConfigMap created = configMap("tested", Map.of("k", "v"));
        HttpResponse<String> failed = patch("tested",
                "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"other\"},{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"w\"}]");
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(failed.body()).isEqualTo(NOT_APPLIED);
        ConfigMap kept = client.configMaps().withName("tested").get();
        assertThat(kept.getData()).isEqualTo(Map.of("k", "v"));
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
    }

    /** The library compares the JSON texts: Go writes {@code <&>} as \\u escapes, which a test must send. */
    @Test
    void aTestComparesTheValueAsGoWritesIt() throws Exception {
        configMap("escaped", Map.of("k", "<a&b>\n"));
        assertThat(patch("escaped", "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"<a&b>\\n\"}]").body())
                .isEqualTo(NOT_APPLIED);
        HttpResponse<String> passed = patch("escaped",
                "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\": \"\\u003ca\\u0026b\\u003e\\n\"}]");
        assertThat(passed.statusCode()).as(passed.body()).isEqualTo(200);
    }

    @Test
    void aPatchNamingAStaleResourceVersionConflicts() throws Exception {
        configMap("versioned", Map.of("k", "v"));
        HttpResponse<String> stale = patch("versioned",
                "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"1\"},{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"w\"}]");
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(data("versioned")).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void valuesOverOneMebibyteAreRefusedAsTheApiServerRefusesThem() throws Exception {
        assertInvalid(() -> configMap("big", Map.of("a", "x".repeat(600_000), "b", "y".repeat(600_000))),
                "ConfigMap \"big\" is invalid: []: Too long: may not be more than 1048576 bytes");
        // Keys do not count: exactly 1 MiB of values is taken.
        configMap("limit", Map.of("a-long-key-name", "x".repeat(1024 * 1024)));
        configMap("grows", Map.of("a", "x".repeat(1024 * 1024 - 1)));
        assertThat(patch("grows", "[{\"op\":\"add\",\"path\":\"/data/b\",\"value\":\"yy\"}]").body())
                .contains("ConfigMap \\\"grows\\\" is invalid: []: Too long: may not be more than 1048576 bytes");
        // binaryData counts its decoded bytes.
        assertInvalid(() -> client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("binary")
                        .endMetadata().addToData("a", "x".repeat(524_288))
                        .addToBinaryData("b", Base64.getEncoder().encodeToString(new byte[524_289])).build()).create(),
                "ConfigMap \"binary\" is invalid: []: Too long: may not be more than 1048576 bytes");
        assertInvalid(() -> client.secrets().resource(new SecretBuilder().withNewMetadata().withName("big").endMetadata()
                        .addToData("a", Base64.getEncoder().encodeToString(new byte[1024 * 1024 + 1])).build()).create(),
                "Secret \"big\" is invalid: data: Too long: may not be more than 1048576 bytes");
        assertInvalid(() -> client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("twice")
                        .endMetadata().addToData("k", "v").addToBinaryData("k", "AA==").build()).create(),
                "ConfigMap \"twice\" is invalid: data[k]: Invalid value: \"k\": duplicate of key present in binaryData");
    }

    private static void assertInvalid(ThrowableAssert.ThrowingCallable call, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
            assertThat(e.getStatus().getMessage()).isEqualTo(message);
        });
    }

    @Test
    void aBodyOverThreeMebibytesIs413() throws Exception {
        configMap("body", Map.of("k", "v"));
        HttpResponse<String> large = patch("body",
                "[{\"op\":\"add\",\"path\":\"/data/k\",\"value\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}]");
        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(large.body()).contains("\"reason\":\"RequestEntityTooLarge\"",
                "\"message\":\"Request entity too large: limit is 3145728\"");
    }

    @Test
    void kubectlPatchTypeJsonSeesWhatItSeesFromARealServer() throws Exception {
        Kubectl kubectl = Kubectl.require(Files.createDirectories(dir.resolve("kubectl")));
        configMap("by-kubectl", Map.of("k", "v"));
        Kubectl.Result refused = kubectl.run("--server", server.url(), "-n", "default", "patch", "configmap", "by-kubectl",
                "--type=json", "-p", "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"other\"}]");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("The request is invalid: the server rejected our request due to an error in our request");
        Kubectl.Result patched = kubectl.run("--server", server.url(), "-n", "default", "patch", "configmap", "by-kubectl",
                "--type=json", "-p", "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"v\"},"
                        + "{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"w\"}]");
        assertThat(patched.exit()).as(patched.err()).isZero();
        assertThat(patched.text()).contains("configmap/by-kubectl patched");
        assertThat(data("by-kubectl")).isEqualTo(Map.of("k", "w"));
    }
}
