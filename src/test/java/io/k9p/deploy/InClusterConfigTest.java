package io.k9p.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.k9p.demo.AccessPolicy;
import io.k9p.demo.ApiServer;
import io.k9p.testing.SubjectRequests;
import io.k9p.testing.PathClient;
import io.k9p.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k9p serve} as deploy/'s pods run it: no kubeconfig anywhere, the API server's address in
 * KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT, the service account's token and CA in files.
 * fabric8's {@code Config.autoConfigure} (behind {@code KubeFileSystem.kubeconfig(null)}) reads
 * them from /var/run/secrets/kubernetes.io/serviceaccount; here its system properties
 * {@code kubernetes.auth.serviceAccount.token} and {@code kubernetes.certs.ca.file} point at files
 * of the test's instead, which is all that differs from a pod. It makes the address https://, so
 * the API server speaks HTTPS with a certificate of its own.
 */
class InClusterConfigTest {
    @TempDir
    Path dir;

    /**
     * As deploy/ runs it, with {@code --auth token}: k9p reaches the API server as its service
     * account, checks a user's token with a TokenReview, and acts as that user by impersonation.
     */
    @Test
    void serveReachesTheApiServerWithThePodsServiceAccountAndActsForTokenUsers() throws Exception {
        try (ApiServer api = ApiServer.startHttps()) {
            assertThat(api.url()).startsWith("https://127.0.0.1:");
            api.client().namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName("shop").endMetadata().build()).create();
            api.client().configMaps().inNamespace("shop").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("in-cluster").endMetadata()
                    .addToData("greeting", "hello from the API server\n")
                    .build()).create();

            Path account = Files.createDirectories(dir.resolve("serviceaccount"));
            // As the kubelet writes it: no newline.
            Path tokenFile = Files.writeString(account.resolve("token"), AccessPolicy.SERVICE_ACCOUNT_TOKEN);
            Path caFile = Files.copy(api.caCertificate().orElseThrow(), account.resolve("ca.crt"));
            Path home = Files.createDirectories(dir.resolve("home"));

            List<String> properties = List.of(
                    "-Dkubernetes.auth.serviceAccount.token=" + tokenFile,
                    "-Dkubernetes.certs.ca.file=" + caFile);
            try (ServerProcess serve = ServerProcess.start("k9p serve", port -> command(properties, port),
                    environment -> {
                        // Only what a pod's container has: nothing of this machine's kubeconfig.
                        environment.clear();
                        environment.put("PATH", "/usr/bin:/bin");
                        environment.put("HOME", home.toString());
                        environment.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
                        environment.put("KUBERNETES_SERVICE_PORT", Integer.toString(api.port()));
                    }, dir.resolve("serve.log"))) {
                try (PathClient alice = PathClient.attach(serve.endpoint(), "", null, AccessPolicy.ALICE_TOKEN)) {
                    assertThat(alice.list("namespaces/shop/configmaps")).as(serve.logTail(20)).contains("in-cluster");
                    assertThat(alice.read("namespaces/shop/configmaps/in-cluster/data/greeting"))
                            .isEqualTo("hello from the API server\n");
                    alice.write("namespaces/shop/configmaps/in-cluster/data/greeting", "hello from alice\n");
                }
                assertThatThrownBy(() -> PathClient.attach(serve.endpoint(), "", null, null).close())
                        .as("an attach without a token").isInstanceOf(PathClient.Failure.class);
            }
            assertThat(api.client().configMaps().inNamespace("shop").withName("in-cluster").get().getData())
                    .containsEntry("greeting", "hello from alice\n");
            // The server's own client, which seeded it, sends no token; k9p sends its service account's.
            assertThat(api.bearerTokensSeen()).containsExactly(AccessPolicy.SERVICE_ACCOUNT_TOKEN);
            assertThat(api.tokenReviews()).isPositive();
            SubjectRequests.assertImpersonatedPatch(api, "/api/v1/namespaces/shop/configmaps/in-cluster",
                    AccessPolicy.ALICE, AccessPolicy.DEVELOPERS, 200);
        }
    }

    /** {@code k9p serve} on the test's own classpath, as the k9p launcher runs it. */
    private static List<String> command(List<String> properties, int port) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.k9p.cli.Main",
                "serve", "--auth", "token", "--listen", "127.0.0.1:" + port));
        return command;
    }
}
