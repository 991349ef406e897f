package io.k9p.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.k9p.demo.ApiServer;
import io.k9p.testing.PathClient;
import io.k9p.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
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

    @Test
    void serveReachesTheApiServerWithThePodsServiceAccount() throws Exception {
        try (ApiServer api = ApiServer.startHttps()) {
            assertThat(api.url()).startsWith("https://127.0.0.1:");
            api.client().namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName("default").endMetadata().build()).create();
            api.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("in-cluster").endMetadata()
                    .addToData("greeting", "hello from the API server\n")
                    .build()).create();

            Path account = Files.createDirectories(dir.resolve("serviceaccount"));
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            String token = "k9p-test-" + HexFormat.of().formatHex(secret);
            Path tokenFile = Files.writeString(account.resolve("token"), token); // as the kubelet writes it: no newline
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
                    }, dir.resolve("serve.log"));
                 PathClient client = PathClient.attach(serve.endpoint(), "")) {
                assertThat(client.list("namespaces/default/configmaps")).contains("in-cluster");
                assertThat(client.read("namespaces/default/configmaps/in-cluster/data/greeting"))
                        .as(serve.logTail(20))
                        .isEqualTo("hello from the API server\n");
            }
            // The server's own client, which seeded it, sends no token.
            assertThat(api.bearerTokensSeen()).containsExactly(token);
        }
    }

    /** {@code k9p serve} on the test's own classpath, as the k9p launcher runs it. */
    private static List<String> command(List<String> properties, int port) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(properties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.k9p.cli.Main",
                "serve", "--listen", "127.0.0.1:" + port));
        return command;
    }
}
