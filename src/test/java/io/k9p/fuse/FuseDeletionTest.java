package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.kube.cluster.DeletionGuard;
import io.k9p.testing.ClusterScoped;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code rm -rf} of a whole {@code k9p mount} deletes, and the deletions that must keep working:
 * the mount and GNU rm, mkdir and bash run as an ordinary user, each outcome checked at the demo API
 * server. Each test has a demo cluster and a mount of its own, as it deletes; the burst window is
 * five minutes (the options the mount or the server are given), so that the burst is one however
 * slow the machine.
 *
 * <p>Every scenario runs once for each way of mounting in {@link FuseMountTest#mountSources}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.k9p.fuse.FuseMountTest#mountSources")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuseDeletionTest {
    private static final DeletionGuard.Limit LIMIT = new DeletionGuard.Limit(DeletionGuard.Limit.DEFAULT_BURST,
            Duration.ofMinutes(5));
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);

    @Parameter
    FuseMountTest.MountSource source;

    private FuseWork work;
    private OrdinaryUser user;
    private K9pCommand k9p;
    private ClusterServer cluster;
    private KubernetesClient kube;
    private MountProcess mount;
    private Path root;
    /** Whether the mount is a k9p serve's tree (the test's own server), not one in the mount process. */
    private boolean served;

    @BeforeAll
    void prepare() throws Exception {
        work = FuseWork.prepare("k9p-fuse-deletion-test");
        user = work.user();
        k9p = work.k9p();
    }

    @BeforeEach
    void mount() throws Exception {
        cluster = ClusterServer.demo(LIMIT);
        kube = cluster.kube;
        Path invocation = user.createDirectory(Files.createTempDirectory(work.directory(), "mount"));
        Path kubeconfig = user.writeFile(invocation.resolve("kubeconfig"), Files.readString(cluster.kubeconfig));
        List<String> arguments = new ArrayList<>(source.arguments(cluster, kubeconfig));
        served = arguments.contains("--server");
        if (!served) {
            arguments.addAll(List.of("--deletion-burst", "" + LIMIT.burst(),
                    "--deletion-window", "" + LIMIT.window().toSeconds()));
        }
        mount = MountProcess.start(user, k9p, arguments, user.createDirectory(invocation.resolve("k8s")));
        mount.awaitMounted();
        root = mount.mountPoint();
    }

    /** The mount goes first, then the cluster it showed (resources close in reverse order). */
    @AfterEach
    void unmount() throws Exception {
        try (ClusterServer shown = cluster; MountProcess mounted = mount) {
            // closing them is all
        }
    }

    @AfterAll
    void removeWorkDirectory() throws Exception {
        if (work != null) {
            work.remove();
        }
    }

    @Test
    void rmRfOfTheWholeMountDeletesAtMostABurstAndNothingClusterScoped() throws Exception {
        ClusterScoped before = ClusterScoped.of(kube);
        long changesBefore = cluster.deletingRequests();

        ProcessRun rm = user.shell(user.home(), "rm -rf " + root + "/*");

        long deletions = cluster.deletingRequests() - changesBefore;
        assertThat(rm.exit()).as("rm's status: %s", rm.err()).isNotZero();
        // GNU rm tries no rmdir of a directory it could not empty: the namespaces' directories of
        // types refuse (EACCES), so no namespace is even asked.
        assertThat(rm.err()).as("rm's errors").contains("cluster/nodes/node-1': Operation not permitted")
                .contains("cluster/namespaces/shop': Operation not permitted");
        assertThat(ClusterScoped.of(kube)).as("nodes, namespaces and CRDs at the API server").isEqualTo(before);
        assertThat(deletions).as("deletions and key removals the API server received (the demo holds more than a burst)")
                .isEqualTo(LIMIT.burst());
        if (!served) {
            assertThat(mount.errors().lines().filter(line -> line.contains("deletions through the tree stopped")))
                    .as("the mount's log: %s", mount.errors()).hasSize(1);
        }

        // Stopped: one deletion more is refused, with the reason; allow-deletions resumes.
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName("after").withNamespace("shop").endMetadata()
                .withData(Map.of("k", "v")).build()).create();
        String after = "namespaces/shop/configmaps/after";
        awaitShown(after);
        ProcessRun refused = user.run(root, "rm", "-r", after);
        assertThat(refused.err()).as("%s", refused).contains("Operation not permitted");
        // rm -r removes the key first: its refusal is in the object's error file.
        assertThat(user.run(root, "cat", after + "/error").out()).contains("key k of after not deleted")
                .contains("deletions through the tree stopped").contains("echo allow-deletions > MOUNTPOINT/ctl");
        ProcessRun resume = bash("echo allow-deletions > ctl");
        assertThat(resume.exit()).as("%s", resume).isZero();
        ProcessRun resumed = user.run(root, "rm", "-r", after);
        assertThat(resumed.exit()).as("%s", resumed).isZero();
        assertThat(kube.configMaps().inNamespace("shop").withName("after").get()).as("after at the API server").isNull();
    }

    @Test
    void deletingOnPurposeKeepsWorking() throws Exception {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("work").endMetadata().build())
                .create();
        for (String name : List.of("old", "keep")) {
            kube.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("work").endMetadata()
                    .withData(Map.of("a", "1", "b", "2")).build()).create();
        }
        awaitShown("namespaces/work/configmaps/keep");

        ProcessRun object = user.run(root, "rm", "-r", "namespaces/work/configmaps/old");
        assertThat(object.exit()).as("rm -r of one configmap: %s", object).isZero();
        assertThat(kube.configMaps().inNamespace("work").withName("old").get()).as("old at the API server").isNull();

        ProcessRun key = user.run(root, "rm", "namespaces/work/configmaps/keep/data/a");
        assertThat(key.exit()).as("rm of one key: %s", key).isZero();
        assertThat(kube.configMaps().inNamespace("work").withName("keep").get()).as("keep's keys")
                .extracting(ConfigMap::getData).isEqualTo(Map.of("b", "2"));

        ProcessRun made = user.run(root, "mkdir", "namespaces/empty");
        assertThat(made.exit()).as("%s", made).isZero();
        assertThat(kube.namespaces().withName("empty").get()).as("namespace empty after mkdir").isNotNull();
        ProcessRun removed = user.run(root, "rmdir", "namespaces/empty");
        assertThat(removed.exit()).as("rmdir of an empty namespace: %s", removed).isZero();
        assertThat(kube.namespaces().withName("empty").get()).as("namespace empty after rmdir").isNull();

        ProcessRun notEmpty = user.run(root, "rmdir", "namespaces/work");
        assertThat(notEmpty.err()).as("%s", notEmpty).contains("Directory not empty");
        assertThat(user.run(root, "cat", "namespaces/.error").out()).contains("configmaps/keep")
                .contains("echo 'delete work' > cluster/namespaces/work/ctl");
        assertThat(kube.namespaces().withName("work").get()).as("namespace work after rmdir").isNotNull();

        ProcessRun node = user.run(root, "rmdir", "cluster/nodes/node-2");
        assertThat(node.err()).as("%s", node).contains("Operation not permitted");
        assertThat(user.run(root, "cat", "cluster/nodes/node-2/ctl").out()).isEqualTo("delete NAME\n");
        ProcessRun copiedBack = bash("echo 'delete NAME' > cluster/nodes/node-2/ctl");
        assertThat(copiedBack.err()).as("%s", copiedBack).contains("Invalid argument");
        assertThat(kube.nodes().withName("node-2").get()).as("node-2 after the refusals").isNotNull();
        ProcessRun onPurpose = bash("echo 'delete node-2' > cluster/nodes/node-2/ctl");
        assertThat(onPurpose.exit()).as("%s", onPurpose).isZero();
        assertThat(kube.nodes().withName("node-2").get()).as("node-2 after its ctl delete").isNull();
        assertThat(kube.nodes().withName("node-1").get()).as("node-1").isNotNull();

        ProcessRun namespace = bash("echo 'delete work' > cluster/namespaces/work/ctl");
        assertThat(namespace.exit()).as("%s", namespace).isZero();
        assertThat(kube.namespaces().withName("work").get()).as("namespace work after its ctl delete").isNull();
        assertThat(kube.configMaps().inNamespace("work").list().getItems()).as("its configmaps").isEmpty();
    }

    /** A command line of bash's in the mount's root: its echo reports a failed write with the errno's text (dash's says "I/O error"). */
    private ProcessRun bash(String script) throws Exception {
        return user.run(root, "bash", "-c", script);
    }



    /** Waits until a path made at the API server shows through the mount. */
    private void awaitShown(String path) throws Exception {
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (user.run(root, "test", "-d", path).exit() != 0) {
            assertThat(System.nanoTime()).as("%s shown through the mount within %s", path, VISIBLE_WITHIN).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
