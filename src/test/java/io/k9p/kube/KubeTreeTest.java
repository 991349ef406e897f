package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.ApiServer;
import io.k9p.demo.DemoCluster;
import io.k9p.kube.render.Fields;
import io.k9p.protocol.Errno;
import io.k9p.net.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.PathClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes tree over 9P against a real HTTP API server (fabric8's mock in CRUD mode, seeded
 * with the demo cluster), each change checked against the API server afterwards.
 */
class KubeTreeTest {
    private static final String COREDNS = "/namespaces/kube-system/deployments/coredns";
    private static ClusterServer cluster;
    private static ApiServer api;
    private static KubernetesClient kube;
    private static KubeFileSystem fileSystem;
    private static Endpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        cluster = ClusterServer.demo();
        api = cluster.api;
        kube = cluster.kube;
        fileSystem = cluster.fileSystem;
        endpoint = cluster.endpoint;
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void layoutFollowsDiscovery() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            assertThat(fs.list("/")).containsExactly("cluster", "ctl", "namespaces");
            assertThat(fs.list("/namespaces")).contains("default", "kube-system", "shop");
            assertThat(fs.list("/cluster")).contains("nodes", "namespaces", "customresourcedefinitions");
            assertThat(fs.list("/namespaces/shop")).contains("pods", "deployments", "configmaps", "secrets", "crontabs")
                    .as("files that never end are not listed").doesNotContain("watch", "events.follow");
            assertThat(fs.list("/namespaces/shop/configmaps")).doesNotContain("watch");
            assertThat(fs.list("/namespaces/kube-system/pods/" + DemoCluster.HEALTHY_POD)).doesNotContain("follow");
            assertThat(fs.list("/namespaces/kube-system/pods/" + DemoCluster.HEALTHY_POD + "/follow")).containsExactly("coredns");
            assertThat(fs.list(COREDNS)).containsExactly("data.yaml", "data.json", "status", "events", "error", "scale", "ctl");
            assertThat(fs.list("/cluster/nodes")).contains("node-1", "node-2");
        }
    }

    @Test
    void dataYamlIsTheObjectWithExactSize() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String yaml = fs.read(COREDNS + "/data.yaml");
            assertThat(yaml).startsWith("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n")
                    .contains("\n  name: coredns\n").doesNotContain("managedFields");
            assertThat(fs.size(COREDNS + "/data.yaml")).isEqualTo(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void scaleReadsAndWritesReplicas() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            fs.write(COREDNS + "/scale", "5\n");
            assertThat(deployment().getSpec().getReplicas()).isEqualTo(5);
            assertThat(fs.read(COREDNS + "/scale")).isEqualTo("5\n");
            assertThatThrownBy(() -> fs.write(COREDNS + "/scale", "five\n"))
                    .isInstanceOfSatisfying(PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.EINVAL.number()));
            assertThat(deployment().getSpec().getReplicas()).isEqualTo(5);
            assertThat(fs.read(COREDNS + "/error")).contains("not a replica count");
        }
    }

    @Test
    void podStatusStartsWithKubectlsStatus() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String pods = "/namespaces/kube-system/pods/";
            assertThat(fs.read(pods + DemoCluster.HEALTHY_POD + "/status")).startsWith("Running ");
            assertThat(fs.read(pods + DemoCluster.CRASHING_POD + "/status")).startsWith("CrashLoopBackOff ");
        }
    }

    @Test
    void logsOfEveryContainerAndThePreviousInstance() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String logs = "/namespaces/kube-system/pods/" + DemoCluster.CRASHING_POD + "/logs";
            assertThat(fs.list(logs)).containsExactly("coredns", "coredns.previous");
            String log = fs.read(logs + "/coredns");
            assertThat(log).isNotEmpty();
            assertThat(fs.size(logs + "/coredns")).isEqualTo(log.length());
            // While it waits to be restarted, the container's log is its last run's, as the kubelet serves it.
            assertThat(fs.read(logs + "/coredns.previous")).isEqualTo(log);
        }
    }

    @Test
    void staleEditIsRefusedAsAConflictAndChangesNothing() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String path = "/namespaces/shop/configmaps/settings/data.yaml";
            String seen = fs.read(path);
            fs.write("/namespaces/shop/configmaps/settings/data/size", "4");
            assertThatThrownBy(() -> fs.write(path, seen.replace("blue", "green")))
                    .isInstanceOfSatisfying(PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.ESTALE.number()));
            var settings = kube.configMaps().inNamespace("shop").withName("settings").get();
            assertThat(settings.getData()).containsEntry("color", "blue").containsEntry("size", "4");
            assertThat(fs.read("/namespaces/shop/configmaps/settings/error")).isNotEmpty();
        }
    }

    @Test
    void invalidYamlIsEinvalAndChangesNothing() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String before = kube.configMaps().inNamespace("shop").withName("settings").get().getMetadata().getResourceVersion();
            assertThatThrownBy(() -> fs.write("/namespaces/shop/configmaps/settings/data.yaml", "data: [unclosed\n"))
                    .isInstanceOfSatisfying(PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.EINVAL.number()));
            assertThat(kube.configMaps().inNamespace("shop").withName("settings").get().getMetadata().getResourceVersion())
                    .isEqualTo(before);
        }
    }

    @Test
    void sedStyleRenameOntoDataYamlReplacesTheObject() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String dir = COREDNS;
            String edited = fs.read(dir + "/data.yaml").replace("coredns:1.6.4", "coredns:1.6.5");
            fs.create(dir, "sedX1y2Z3", edited);
            assertThat(fs.list(dir)).contains("sedX1y2Z3");
            fs.rename(dir, "sedX1y2Z3", "data.yaml");
            assertThat(deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("registry.k8s.io/coredns:1.6.5");
            assertThat(fs.list(dir)).doesNotContain("sedX1y2Z3");
            assertThat(fs.read(dir + "/data.yaml")).contains("coredns:1.6.5");
        }
    }

    @Test
    void createWriteKeysAndDelete() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String configmaps = "/namespaces/shop/configmaps";
            fs.create(configmaps, "extra.yaml", """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: extra
                    data:
                      greeting: hello
                    """);
            assertThat(kube.configMaps().inNamespace("shop").withName("extra").get().getData())
                    .containsEntry("greeting", "hello");
            assertThat(fs.list(configmaps)).contains("extra").doesNotContain("extra.yaml");
            assertThat(fs.read(configmaps + "/extra/data/greeting")).isEqualTo("hello");
            fs.write(configmaps + "/extra/data/greeting", "bonjour");
            assertThat(kube.configMaps().inNamespace("shop").withName("extra").get().getData())
                    .containsEntry("greeting", "bonjour");
            // Removing a file inside deletes nothing; removing the directory deletes the object.
            fs.remove(configmaps + "/extra", "data.yaml");
            assertThat(kube.configMaps().inNamespace("shop").withName("extra").get()).isNotNull();
            fs.remove(configmaps, "extra");
            assertThat(kube.configMaps().inNamespace("shop").withName("extra").get()).isNull();
            assertThat(fs.list(configmaps)).doesNotContain("extra");
        }
    }

    @Test
    void secretValuesAreDecodedAndEncoded() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String secret = "/namespaces/shop/secrets/db-credentials/data/";
            assertThat(fs.read(secret + "username")).isEqualTo("admin");
            fs.write(secret + "password", "n3w-s3cret");
            var data = kube.secrets().inNamespace("shop").withName("db-credentials").get().getData();
            assertThat(new String(Base64.getDecoder().decode(data.get("password")))).isEqualTo("n3w-s3cret");
        }
    }

    @Test
    void customResourcesAndMkdirOfANamespace() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            assertThat(fs.list("/namespaces/shop/crontabs")).contains("nightly");
            assertThat(fs.read("/namespaces/shop/crontabs/nightly/data.yaml")).contains("0 3 * * *");
            fs.write("/namespaces/shop/crontabs/nightly/scale", "3");
            GenericKubernetesResource nightly = kube.genericKubernetesResources("stable.example.com/v1", "CronTab")
                    .inNamespace("shop").withName("nightly").get();
            assertThat(Fields.number(nightly, "spec.replicas", -1)).isEqualTo(3);
            fs.mkdir("/namespaces", "made-by-mkdir");
            assertThat(kube.namespaces().withName("made-by-mkdir").get()).isNotNull();
            assertThat(fs.list("/namespaces")).contains("made-by-mkdir");
        }
    }

    @Test
    void changesMadeElsewhereShowWithinASecond() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            fs.read(COREDNS + "/scale");
            kube.apps().deployments().inNamespace("kube-system").withName("coredns")
                    .edit(d -> { d.getSpec().setReplicas(7); return d; });
            awaitTrue(() -> read(fs, COREDNS + "/scale").equals("7\n"), Duration.ofSeconds(1));
        }
    }

    @Test
    void readOnlyRefusesChangesWithErofs() throws Exception {
        try (PathClient fs = PathClient.attach(cluster.listen(true), "")) {
            assertThat(fs.read(COREDNS + "/scale")).isNotEmpty();
            assertThatThrownBy(() -> fs.write(COREDNS + "/scale", "1"))
                    .isInstanceOfSatisfying(PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.EROFS.number()));
            assertThatThrownBy(() -> fs.mkdir("/namespaces", "nope"))
                    .isInstanceOfSatisfying(PathClient.Failure.class, f -> assertThat(f.errno).isEqualTo(Errno.EROFS.number()));
        }
    }

    @Test
    void crdCreatedWhileMountedAppearsAtOnce() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            assertThat(fs.list("/namespaces/shop")).doesNotContain("widgets");
            kube.apiextensions().v1().customResourceDefinitions().resource(
                    new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                            .withNewMetadata().withName("widgets.toys.example.com").endMetadata()
                            .withNewSpec().withGroup("toys.example.com").withScope("Namespaced")
                            .withNewNames().withPlural("widgets").withSingular("widget").withKind("Widget").endNames()
                            .addNewVersion().withName("v1").withServed(true).withStorage(true)
                            .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                            .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                            .endVersion().endSpec().build()).create();
            awaitTrue(() -> list(fs, "/namespaces/shop").contains("widgets"), Duration.ofSeconds(2));
            fs.create("/namespaces/shop/widgets", "spinner.yaml", """
                    apiVersion: toys.example.com/v1
                    kind: Widget
                    metadata:
                      name: spinner
                    spec:
                      speed: 3
                    """);
            assertThat(fs.read("/namespaces/shop/widgets/spinner/data.yaml")).contains("speed: 3");
        }
    }

    @Test
    void anameChoosesTheKubeconfigContext() throws Exception {
        Path kubeconfig = Files.createTempFile("k9p-contexts", ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: demo
                  cluster:
                    server: %s
                users:
                - name: demo
                  user: {}
                contexts:
                - name: alpha
                  context: {cluster: demo, user: demo}
                - name: beta
                  context: {cluster: demo, user: demo}
                current-context: alpha
                """.formatted(api.url()));
        try (KubeFileSystem contexts = new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null);
             NinePServer served = new NinePServer(ServerConfig.defaults(contexts))) {
            Endpoint at = served.listen(Endpoint.parse("127.0.0.1:0"));
            try (PathClient beta = PathClient.attach(at, "beta")) {
                assertThat(beta.list("/namespaces")).contains("kube-system");
            }
            try (var client = io.k9p.testing.RawClient.connect(at, io.k9p.protocol.Dialect.P9P2000_L, 65536)) {
                assertThat(client.call(new io.k9p.protocol.Tmessage.Attach(0, io.k9p.protocol.Tmessage.NOFID, "me", "gamma", 0)))
                        .isEqualTo(new io.k9p.protocol.Rmessage.Lerror(Errno.ENOENT.number()));
            }
        }
    }

    @Test
    void eventsOfAnObjectOldestFirst() throws Exception {
        try (PathClient fs = PathClient.attach(endpoint, "")) {
            String events = fs.read("/namespaces/kube-system/pods/" + DemoCluster.CRASHING_POD + "/events");
            assertThat(events.lines()).isNotEmpty().allMatch(line -> line.split(" ").length >= 4);
            assertThat(events).contains("BackOff");
            assertThat(events.lines().map(line -> line.substring(0, line.indexOf(' '))).toList()).isSorted();
        }
    }

    private static java.util.List<String> list(PathClient fs, String path) {
        try {
            return fs.list(path);
        } catch (Exception e) {
            return java.util.List.of();
        }
    }

    private static Deployment deployment() {
        return kube.apps().deployments().inNamespace("kube-system").withName("coredns").get();
    }

    private static String read(PathClient fs, String path) {
        try {
            return fs.read(path);
        } catch (Exception e) {
            return "";
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + within);
            }
            Thread.sleep(10);
        }
    }
}
