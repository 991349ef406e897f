package io.k9p.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl against the demo cluster; skipped, saying so, where kubectl is not on the PATH. */
class KubectlTest {
    private static final String KUBECTL = kubectl();
    private static ApiServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        if (KUBECTL == null) {
            System.err.println("KubectlTest: kubectl is not on the PATH; skipping the kubectl checks");
            return;
        }
        server = DemoCluster.start(0);
    }

    @BeforeEach
    void needKubectl() {
        Assumptions.assumeTrue(KUBECTL != null, "kubectl is not on the PATH");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void getPodsInAllNamespaces() throws Exception {
        Result result = run("--server", server.url(), "get", "pods", "-A");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("kube-system", DemoCluster.CRASHING_POD, DemoCluster.HEALTHY_POD, "web-0");
    }

    @Test
    void getDeploymentsAsYaml() throws Exception {
        Result result = run("--server", server.url(), "get", "deployments", "-n", "kube-system", "-o", "yaml");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("kind: Deployment", "name: coredns", "image: registry.k8s.io/coredns:1.6.4",
                "readyReplicas: 1");
    }

    @Test
    void kubeconfigLogsScaleAndCustomResources() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        server.writeKubeconfig(kubeconfig);
        String config = "--kubeconfig=" + kubeconfig;

        Result previous = run(config, "logs", "-n", "kube-system", DemoCluster.CRASHING_POD, "--previous");
        assertThat(previous.exit()).as(previous.err()).isZero();
        assertThat(previous.out()).contains("[FATAL] plugin/loop");

        Result missing = run(config, "logs", "-n", "shop", "web-0", "-c", "nope");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("container nope is not valid for pod web-0");

        Result scaled = run(config, "scale", "-n", "shop", "statefulset/web", "--replicas=2");
        assertThat(scaled.exit()).as(scaled.err()).isZero();
        assertThat(server.client().apps().statefulSets().inNamespace("shop").withName("web").get().getSpec()
                .getReplicas()).isEqualTo(2);

        Result cronTabs = run(config, "get", "crontabs", "-n", "shop", "-o", "name");
        assertThat(cronTabs.exit()).as(cronTabs.err()).isZero();
        assertThat(cronTabs.out().strip()).isEqualTo("crontab.stable.example.com/nightly");

        Result events = run(config, "get", "events", "-n", "kube-system",
                "--field-selector", "reason=BackOff", "-o", "name");
        assertThat(events.exit()).as(events.err()).isZero();
        assertThat(events.out().strip().lines()).hasSize(1);
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
        Result created = run("--server", server.url(), "apply", "-f", manifest.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("configmap/applied created");
        Files.writeString(manifest, yaml.formatted("red"));
        Result configured = run("--server", server.url(), "apply", "-f", manifest.toString());
        assertThat(configured.exit()).as(configured.err()).isZero();
        assertThat(server.client().configMaps().inNamespace("shop").withName("applied").get().getData())
                .containsEntry("color", "red");
    }

    private record Result(int exit, String out, String err) {
    }

    private static String kubectl() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(KUBECTL);
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
