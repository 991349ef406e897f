package io.k9p.client;

import io.k9p.auth.Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.FileContents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster tree of a k9p server elsewhere, through RemoteFileSystem, checked against the API server. */
class RemoteClusterTest {
    private static final OpenFlags TRUNCATE = new OpenFlags(false, true, true, false);
    private static final String COREDNS = "namespaces/kube-system/deployments/coredns";
    private static ClusterServer cluster;
    private RemoteFileSystem remote;
    private Directory root;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = ClusterServer.demo();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void connect() throws Exception {
        remote = new RemoteFileSystem(NinePClient.connect(cluster.endpoint));
        root = remote.attach(Identity.OWNER, "");
    }

    @AfterEach
    void disconnect() {
        remote.close();
    }

    @Test
    void filesReadAsTheServersOwnTreeHasThem() throws Exception {
        Directory local = cluster.fileSystem.attach(Identity.OWNER, "");
        for (String file : new String[] {"data.yaml", "data.json", "status", "scale"}) {
            String path = COREDNS + "/" + file;
            byte[] remotely = FileContents.read((File) node(root, path));
            assertThat(remotely).as(path).isNotEmpty().isEqualTo(FileContents.read((File) node(local, path)));
            assertThat(node(root, path).attributes().size()).as(path).isEqualTo(remotely.length);
        }
        assertThat(((Directory) node(root, COREDNS)).list()).extracting(Node::name)
                .containsExactly("data.yaml", "data.json", "status", "events", "error", "scale", "ctl");
    }

    @Test
    void aStaleEditFailsAtFsyncWithEstale() throws Exception {
        String seen = configMap("stale-at-sync");
        File dataYaml = (File) node(root, "namespaces/shop/configmaps/stale-at-sync/data.yaml");
        changeElsewhere("stale-at-sync");
        OpenFile open = dataYaml.open(TRUNCATE);
        try {
            open.write(0, seen.replace("blue", "green").getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(open::sync)
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESTALE));
        } finally {
            closeQuietly(open);
        }
        assertThat(data("stale-at-sync")).containsEntry("color", "blue").containsEntry("size", "changed elsewhere");
    }

    @Test
    void aStaleEditFailsAtFlushWithEstale() throws Exception {
        String seen = configMap("stale-at-flush");
        changeElsewhere("stale-at-flush");
        OpenFile open = ((File) node(root, "namespaces/shop/configmaps/stale-at-flush/data.yaml")).open(TRUNCATE);
        try {
            open.flush();
            open.write(0, seen.replace("blue", "green").getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(open::flush)
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESTALE));
        } finally {
            closeQuietly(open);
        }
        assertThat(data("stale-at-flush")).containsEntry("color", "blue");
    }

    @Test
    void aStaleEditFailsAtCloseWithEstale() throws Exception {
        String seen = configMap("stale-at-close");
        changeElsewhere("stale-at-close");
        OpenFile open = ((File) node(root, "namespaces/shop/configmaps/stale-at-close/data.yaml")).open(TRUNCATE);
        open.write(0, seen.replace("blue", "green").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(open::close)
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESTALE));
        assertThat(data("stale-at-close")).containsEntry("color", "blue");
    }

    @Test
    void aFileWrittenIntoATypeDirectoryCreatesTheObjectAtClose() throws Exception {
        Directory configmaps = (Directory) node(root, "namespaces/shop/configmaps");
        File created = configmaps.createFile("made-remotely.yaml", 0644);
        assertThat(cluster.kube.configMaps().inNamespace("shop").withName("made-remotely").get())
                .as("nothing is created before the content is written").isNull();
        OpenFile open = created.open(TRUNCATE);
        open.write(0, """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: made-remotely
                data:
                  greeting: hello
                """.getBytes(StandardCharsets.UTF_8));
        open.close();
        assertThat(data("made-remotely")).containsEntry("greeting", "hello");
        configmaps.remove("made-remotely");
        assertThat(cluster.kube.configMaps().inNamespace("shop").withName("made-remotely").get()).isNull();
    }

    @Test
    void aWatchReadWaitsForTheChangeAndAnInterruptEndsIt() throws Exception {
        OpenFile watch = ((File) node(root, "namespaces/kube-system/deployments/watch")).open(OpenFlags.READ);
        assertThat(watch.blocking()).isTrue();
        CompletableFuture<Object> first = readInBackground(watch, 0);
        Thread.sleep(200);
        assertThat(first).as("a watch read waits for a change").isNotDone();
        cluster.kube.apps().deployments().inNamespace("kube-system").withName("coredns")
                .edit(d -> { d.getSpec().setReplicas(3); return d; });
        String line = (String) first.get(10, TimeUnit.SECONDS);
        String rv = cluster.kube.apps().deployments().inNamespace("kube-system").withName("coredns").get()
                .getMetadata().getResourceVersion();
        assertThat(line).isEqualTo("MODIFIED deployments coredns " + rv + "\n");

        // Ctrl-C on a cat of the watch: the read ends at once, the connection goes on.
        CompletableFuture<Object> second = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                second.complete(new String(watch.read(line.length(), 8192), StandardCharsets.UTF_8));
            } catch (Throwable e) {
                second.complete(e);
            }
        });
        Thread.sleep(300);
        assertThat(second).isNotDone();
        long interrupted = System.nanoTime();
        reader.interrupt();
        assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(2));
        // The flush ended the server's read too: the next change goes to the next read, not to it.
        CompletableFuture<Object> third = readInBackground(watch, line.length());
        Thread.sleep(200);
        cluster.kube.apps().deployments().inNamespace("kube-system").withName("coredns")
                .edit(d -> { d.getSpec().setReplicas(4); return d; });
        assertThat((String) third.get(10, TimeUnit.SECONDS)).startsWith("MODIFIED deployments coredns ");
        watch.close();
        assertThat(cluster.fileSystem.openWatches()).as("upstream watches once the reader closed").isZero();
        assertThat(new String(FileContents.read((File) node(root, COREDNS + "/scale")), StandardCharsets.UTF_8)).isEqualTo("4\n");
    }

    @Test
    void aReadOnlyServerRefusesChangesWithErofs() throws Exception {
        try (RemoteFileSystem readOnly = new RemoteFileSystem(NinePClient.connect(cluster.listen(true)))) {
            File scale = (File) node(readOnly.attach(Identity.OWNER, ""), COREDNS + "/scale");
            assertThatThrownBy(() -> scale.open(OpenFlags.WRITE))
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EROFS));
            assertThat(FileContents.read(scale)).isNotEmpty();
        }
    }

    private static CompletableFuture<Object> readInBackground(OpenFile open, long offset) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(new String(open.read(offset, 8192), StandardCharsets.UTF_8));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        return outcome;
    }

    /** A configmap of the test's own, and its data.yaml as read once the tree has it. */
    private String configMap(String name) throws Exception {
        cluster.kube.configMaps().inNamespace("shop").resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .addToData("color", "blue").build()).create();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return new String(FileContents.read((File) node(root, "namespaces/shop/configmaps/" + name + "/data.yaml")),
                        StandardCharsets.UTF_8);
            } catch (FsException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(20);
            }
        }
    }

    /** Someone else's change to the configmap, and the watch bringing it to the tree. */
    private void changeElsewhere(String name) throws Exception {
        cluster.kube.configMaps().inNamespace("shop").withName(name)
                .edit(cm -> { cm.getData().put("size", "changed elsewhere"); return cm; });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String path = "namespaces/shop/configmaps/" + name + "/data.yaml";
        while (!new String(FileContents.read((File) node(root, path)), StandardCharsets.UTF_8).contains("changed elsewhere")) {
            assertThat(System.nanoTime()).as("the change reached the tree").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Map<String, String> data(String name) {
        return cluster.kube.configMaps().inNamespace("shop").withName(name).get().getData();
    }

    private static Node node(Directory root, String path) throws FsException {
        Node node = root;
        for (String name : path.split("/")) {
            node = ((Directory) node).lookup(name);
        }
        return node;
    }

    private static void closeQuietly(OpenFile open) {
        try {
            open.close();
        } catch (FsException alreadyReported) {
            // The failure this test is about was reported before.
        }
    }
}
