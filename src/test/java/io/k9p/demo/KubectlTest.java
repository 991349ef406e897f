package io.k9p.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl against the demo cluster; skipped, saying so, where kubectl is not on the PATH (failed in CI). */
class KubectlTest {
    @TempDir
    static Path dir;
    private static Kubectl kubectl;
    private static ApiServer server;

    @BeforeAll
    static void start() {
        kubectl = Kubectl.require(dir);
        server = DemoCluster.start(0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void getPodsInAllNamespaces() throws Exception {
        Kubectl.Result result = kubectl.run("--server", server.url(), "get", "pods", "-A");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.text()).contains("kube-system", DemoCluster.CRASHING_POD, DemoCluster.HEALTHY_POD, "web-0");
    }

    @Test
    void getDeploymentsAsYaml() throws Exception {
        Kubectl.Result result = kubectl.run("--server", server.url(), "get", "deployments", "-n", "kube-system", "-o", "yaml");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.text()).contains("kind: Deployment", "name: coredns", "image: registry.k8s.io/coredns:1.6.4",
                "readyReplicas: 1");
    }

    @Test
    void kubeconfigLogsScaleAndCustomResources() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        server.writeKubeconfig(kubeconfig);
        String config = "--kubeconfig=" + kubeconfig;

        Kubectl.Result previous = kubectl.run(config, "logs", "-n", "kube-system", DemoCluster.CRASHING_POD, "--previous");
        assertThat(previous.exit()).as(previous.err()).isZero();
        assertThat(previous.text()).contains("[FATAL] plugin/loop");

        Kubectl.Result missing = kubectl.run(config, "logs", "-n", "shop", "web-0", "-c", "nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("container nope is not valid for pod web-0");

        Kubectl.Result scaled = kubectl.run(config, "scale", "-n", "shop", "statefulset/web", "--replicas=2");
        assertThat(scaled.exit()).as(scaled.err()).isZero();
        assertThat(server.client().apps().statefulSets().inNamespace("shop").withName("web").get().getSpec()
                .getReplicas()).isEqualTo(2);

        Kubectl.Result cronTabs = kubectl.run(config, "get", "crontabs", "-n", "shop", "-o", "name");
        assertThat(cronTabs.exit()).as(cronTabs.err()).isZero();
        assertThat(cronTabs.text().strip()).isEqualTo("crontab.stable.example.com/nightly");

        Kubectl.Result events = kubectl.run(config, "get", "events", "-n", "kube-system",
                "--field-selector", "reason=BackOff", "-o", "name");
        assertThat(events.exit()).as(events.err()).isZero();
        assertThat(events.text().strip().lines()).hasSize(1);
    }

    @Test
    void httpsWithTheServersOwnCertificateAndTheTokensSent() throws Exception {
        try (ApiServer https = ApiServer.startHttps()) {
            Path kubeconfig = dir.resolve("https-kubeconfig");
            https.writeKubeconfig(kubeconfig);
            assertThat(Files.readString(kubeconfig))
                    .contains("server: " + https.url(), "certificate-authority: " + https.caCertificate().orElseThrow());
            assertThat(Files.readString(https.caCertificate().orElseThrow())).startsWith("-----BEGIN CERTIFICATE-----\n");

            Kubectl.Result version = kubectl.run("--kubeconfig=" + kubeconfig, "--token=kubectl-token",
                    "get", "--raw", "/version");
            assertThat(version.exit()).as(version.err()).isZero();
            assertThat(version.text()).contains(ApiServer.KUBERNETES_VERSION);
            assertThat(https.bearerTokensSeen()).containsExactly("kubectl-token");

            // A token, else kubectl asks for a user name.
            Kubectl.Result untrusted = kubectl.run("--server", https.url(), "--token=kubectl-token",
                    "get", "--raw", "/version");
            assertThat(untrusted.exit()).isNotZero();
            assertThat(untrusted.err()).contains("certificate signed by unknown authority");
        }
    }

    @Test
    void applyCreatesThenUpdates() throws Exception {
        Path manifest = dir.resolve("cm.yaml");
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: applied
                  namespace: shop
                data:
                  color: %s
                """;
        Files.writeString(manifest, yaml.formatted("green"));
        Kubectl.Result created = kubectl.run("--server", server.url(), "apply", "-f", manifest.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.text()).contains("configmap/applied created");
        Files.writeString(manifest, yaml.formatted("red"));
        Kubectl.Result configured = kubectl.run("--server", server.url(), "apply", "-f", manifest.toString());
        assertThat(configured.exit()).as(configured.err()).isZero();
        assertThat(server.client().configMaps().inNamespace("shop").withName("applied").get().getData())
                .containsEntry("color", "red");
    }
}
