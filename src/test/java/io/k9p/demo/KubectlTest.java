package io.k9p.demo;

import static io.k9p.demo.AccessPolicy.ALICE;
import static io.k9p.demo.AccessPolicy.AUTHENTICATED;
import static io.k9p.demo.AccessPolicy.BOB;
import static io.k9p.demo.AccessPolicy.DEVELOPERS;
import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void impersonatedUsersGetWhatTheAccessPolicyAllowsThem() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        server.writeKubeconfig(kubeconfig);
        String config = "--kubeconfig=" + kubeconfig;

        Kubectl.Result configMaps = kubectl.run(config, "--as", ALICE, "-n", "shop", "get", "configmaps", "-o", "name");
        assertThat(configMaps.exit()).as(configMaps.err()).isZero();
        assertThat(configMaps.text()).contains("configmap/settings");

        Kubectl.Result secrets = kubectl.run(config, "--as", ALICE, "-n", "shop", "get", "secrets");
        assertThat(secrets.exit()).isNotZero();
        assertThat(secrets.err()).contains("Error from server (Forbidden): secrets is forbidden: User \"alice\" cannot"
                + " list resource \"secrets\" in API group \"\" in the namespace \"shop\"");

        Kubectl.Result shop = kubectl.run(config, "--as", ALICE, "get", "namespace", "shop", "-o", "name");
        assertThat(shop.exit()).as(shop.err()).isZero();
        assertThat(shop.text().strip()).isEqualTo("namespace/shop");
        Kubectl.Result namespaces = kubectl.run(config, "--as", ALICE, "get", "namespaces");
        assertThat(namespaces.exit()).isNotZero();
        assertThat(namespaces.err()).contains("Error from server (Forbidden): namespaces is forbidden: User \"alice\""
                + " cannot list resource \"namespaces\" in API group \"\" at the cluster scope");

        Kubectl.Result patched = kubectl.run(config, "--as", ALICE, "-n", "shop", "patch", "configmap", "settings",
                "--type=merge", "-p", "{\"data\":{\"theme\":\"dark\"}}");
        assertThat(patched.exit()).as(patched.err()).isZero();
        assertThat(server.client().configMaps().inNamespace("shop").withName("settings").get().getData())
                .containsEntry("theme", "dark");

        int replicas = webReplicas();
        Kubectl.Result scaled = kubectl.run(config, "--as", BOB, "-n", "shop", "scale", "statefulset/web",
                "--replicas=" + (replicas + 1));
        assertThat(scaled.exit()).isNotZero();
        assertThat(scaled.err()).contains("Error from server (Forbidden): statefulsets.apps \"web\" is forbidden: User"
                + " \"bob\" cannot patch resource \"statefulsets/scale\" in API group \"apps\" in the namespace"
                + " \"shop\"");
        assertThat(webReplicas()).isEqualTo(replicas);

        int before = server.subjectRequests().size();
        Kubectl.Result grouped = kubectl.run(config, "--as", ALICE, "--as-group", DEVELOPERS, "-n", "shop", "get",
                "configmap", "settings", "-o", "name");
        assertThat(grouped.exit()).as(grouped.err()).isZero();
        List<SubjectRequest> made = server.subjectRequests();
        assertThat(made.subList(before, made.size())).contains(new SubjectRequest("GET",
                "/api/v1/namespaces/shop/configmaps/settings", ALICE, List.of(DEVELOPERS, AUTHENTICATED), true, 200));
    }

    /**
     * kubectl (client-go) sends a kubeconfig's or {@code --token}'s credentials only to an HTTPS
     * server: over this server's plain HTTP, {@code --token} leaves a request the admin's.
     */
    @Test
    void kubectlSendsNoTokenOverPlainHttp() throws Exception {
        int before = server.subjectRequests().size();
        Kubectl.Result result = kubectl.run("--server", server.url(), "--token", "nope", "get", "secrets", "-n", "shop",
                "-o", "name");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.text()).contains("secret/db-credentials");
        assertThat(server.subjectRequests()).hasSize(before);
    }

    private static int webReplicas() {
        return server.client().apps().statefulSets().inNamespace("shop").withName("web").get().getSpec().getReplicas();
    }

    @Test
    void httpsWithTheServersOwnCertificateAndTheTokensSent() throws Exception {
        try (ApiServer https = ApiServer.startHttps()) {
            Path kubeconfig = dir.resolve("https-kubeconfig");
            https.writeKubeconfig(kubeconfig);
            assertThat(Files.readString(kubeconfig))
                    .contains("server: " + https.url(), "certificate-authority: " + https.caCertificate().orElseThrow());
            assertThat(Files.readString(https.caCertificate().orElseThrow())).startsWith("-----BEGIN CERTIFICATE-----\n");

            Kubectl.Result version = kubectl.run("--kubeconfig=" + kubeconfig, "--token=" + AccessPolicy.ALICE_TOKEN,
                    "get", "--raw", "/version");
            assertThat(version.exit()).as(version.err()).isZero();
            assertThat(version.text()).contains(ApiServer.KUBERNETES_VERSION);
            assertThat(https.bearerTokensSeen()).containsExactly(AccessPolicy.ALICE_TOKEN);

            // Over HTTPS kubectl sends tokens, and the policy decides what each may do.
            Kubectl.Result secrets = kubectl.run("--kubeconfig=" + kubeconfig, "--token=" + AccessPolicy.ALICE_TOKEN,
                    "get", "secrets", "-n", "shop");
            assertThat(secrets.exit()).isNotZero();
            assertThat(secrets.err()).contains("Error from server (Forbidden): secrets is forbidden: User \"alice\"");
            Kubectl.Result stranger = kubectl.run("--kubeconfig=" + kubeconfig, "--token=nope", "get", "pods");
            assertThat(stranger.exit()).isNotZero();
            assertThat(stranger.err()).contains("Unauthorized");

            // A token, else kubectl asks for a user name.
            Kubectl.Result untrusted = kubectl.run("--server", https.url(), "--token=" + AccessPolicy.ALICE_TOKEN,
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
