package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.demo.DemoCluster;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.Kubectl;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pods that are not running, as every cluster has them, through {@code k9p mount} as the ordinary
 * user (in-process and {@code --server}): the demo's shop namespace holds a pod whose container is
 * still being created and one whose sidecar crash-loops with its previous run gone, whose logs the
 * API server refuses with 400, and a completed pod with its log. Every file that is listed stats and
 * reads, so the recursive tools get through the namespace; the logs that are not there read empty,
 * and the pod's {@code error} says why.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.k9p.fuse.FuseMountTest#mountSources")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuseUnreadyPodsTest {
    private static final String SHOP = "namespaces/shop";
    private static final String CHECKOUT = SHOP + "/pods/" + DemoCluster.CHECKOUT_POD;
    private static final String PAYMENTS = SHOP + "/pods/" + DemoCluster.PAYMENTS_POD;

    @Parameter
    FuseMountTest.MountSource source;

    private Path work;
    private OrdinaryUser user;
    private Kubectl kubectl;
    private K9pCommand k9p;
    private ClusterServer cluster;
    private MountProcess mount;
    private Path root;

    @BeforeAll
    void prepare() throws Exception {
        work = Files.createTempDirectory("k9p-fuse-unready");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        user = OrdinaryUser.require(work.resolve("home"));
        MountProcess.requireFuse(user);
        kubectl = Kubectl.require(work);
        k9p = K9pCommand.copiedTo(work.resolve("k9p"), user);
    }

    @BeforeParameterizedClassInvocation
    void mount() throws Exception {
        cluster = ClusterServer.demo();
        Path invocation = user.createDirectory(Files.createTempDirectory(work, "mount"));
        Path kubeconfig = user.writeFile(invocation.resolve("kubeconfig"), Files.readString(cluster.kubeconfig));
        mount = MountProcess.start(user, k9p, source.arguments(cluster, kubeconfig),
                user.createDirectory(invocation.resolve("k8s")));
        mount.awaitMounted();
        root = mount.mountPoint();
    }

    @AfterParameterizedClassInvocation
    void unmount() throws Exception {
        try {
            if (mount != null) {
                mount.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            mount = null;
            cluster = null;
        }
    }

    @AfterAll
    void removeWorkDirectory() throws Exception {
        if (work != null) {
            // Copies of the tree's read-only directories are made writable first, and no mount is entered.
            ProcessRun removed = ProcessRun.of(new ProcessBuilder("sh", "-c",
                    "find \"$1\" -xdev -type d -exec chmod u+w {} + ; rm -rf --one-file-system \"$1\"",
                    "sh", work.toString()), Duration.ofMinutes(1));
            assertThat(removed.exit()).as("removing %s: %s", work, removed).isZero();
        }
    }

    @Test
    void recursiveToolsGetThroughANamespaceWithPodsThatAreNotRunning() throws Exception {
        Path copy = user.home().resolve("shop-" + System.nanoTime());
        for (String tool : List.of(
                "cp -r " + SHOP + " " + copy,
                "grep -r -l ContainerCreating " + SHOP,
                "tar cf /dev/null " + SHOP,
                "find " + SHOP + " -type f -exec cat {} + > /dev/null",
                "du -s " + SHOP)) {
            ProcessRun run = user.shell(root, tool);
            assertThat(run.exit()).as("%s: %s", tool, run).isZero();
            assertThat(run.err()).as("%s: stderr", tool).isEmpty();
        }
        assertThat(copy.resolve("pods/" + DemoCluster.CHECKOUT_POD + "/logs/checkout")).as("the copied log").isEmptyFile();
        assertThat(copy.resolve("pods/db-migrate-8m2kq/logs/migrate")).as("the completed pod's copied log")
                .hasContent(kubectl.run("--kubeconfig", cluster.kubeconfig.toString(), "logs", "-n", "shop",
                        "db-migrate-8m2kq").text());
    }

    @Test
    void aContainerThatHasNotStartedHasAnEmptyLogAndThePodSaysWhy() throws Exception {
        ProcessRun stat = user.run(root, "stat", "-c", "%s", CHECKOUT + "/logs/checkout");
        assertThat(stat.out()).as("%s", stat).isEqualTo("0\n");
        ProcessRun cat = user.run(root, "cat", CHECKOUT + "/logs/checkout");
        assertThat(cat.exit()).as("%s", cat).isZero();
        assertThat(cat.out()).as("the log of a container that waits").isEmpty();
        assertThat(user.run(root, "cat", CHECKOUT + "/error").out()).as("the pod's error file")
                .contains("logs/checkout").contains("container \"checkout\" in pod \"" + DemoCluster.CHECKOUT_POD
                        + "\" is waiting to start: ContainerCreating");
    }

    @Test
    void aPreviousRunThatIsGoneHasAnEmptyLogAndThePodSaysWhy() throws Exception {
        ProcessRun ls = user.run(root, "ls", PAYMENTS + "/logs");
        assertThat(ls.lines()).as("%s", ls).containsExactly("payments", "sidecar", "sidecar.previous");
        ProcessRun stat = user.run(root, "stat", "-c", "%s", PAYMENTS + "/logs/sidecar", PAYMENTS + "/logs/sidecar.previous");
        assertThat(stat.out()).as("%s", stat).isEqualTo("0\n0\n");
        String error = user.run(root, "cat", PAYMENTS + "/error").out();
        assertThat(error.lines()).as("the pod's error file, a line for each log that reads empty")
                .satisfiesExactly(
                        line -> assertThat(line).contains("logs/sidecar is empty: container \"sidecar\" in pod \""
                                + DemoCluster.PAYMENTS_POD + "\" is waiting to start: CrashLoopBackOff"),
                        line -> assertThat(line).contains("logs/sidecar.previous is empty: previous terminated"
                                + " container \"sidecar\" in pod \"" + DemoCluster.PAYMENTS_POD + "\" not found"));
        user.run(root, "cat", PAYMENTS + "/logs/sidecar", PAYMENTS + "/logs/sidecar.previous");
        assertThat(user.run(root, "cat", PAYMENTS + "/error").out()).as("the error file after the logs are read again")
                .isEqualTo(error);
        ProcessRun running = user.run(root, "cat", PAYMENTS + "/logs/payments");
        assertThat(running.out()).as("the running container's log, beside them").contains("listening on :8080");
    }
}
