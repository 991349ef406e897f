package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.auth.UserMap;
import io.k9p.kube.cluster.DeletionGuard;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Errno;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.PathClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What rmdir, rm and the ctl files delete, over 9P against the demo API server, each outcome checked
 * there: a namespace that holds objects stays (ENOTEMPTY), a cluster-scoped object stays (EPERM),
 * an object's ctl deletes it when told its name, and a burst of deletions stops until the root's
 * ctl resumes it. Each test has a demo cluster of its own, as deletions change it and the stop is
 * per identity; the window is long, so that the burst a test makes is one on a slow machine too.
 */
@Timeout(120)
class DeletionTest {
    private static final Duration LONG_WINDOW = Duration.ofMinutes(5);
    private static final int ALICE_UID = 1001;

    @TempDir
    Path work;
    private ClusterServer cluster;
    private KubernetesClient kube;

    private void start(DeletionGuard.Limit limit) throws Exception {
        cluster = ClusterServer.demo(limit);
        kube = cluster.kube;
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void rmdirOfANamespaceThatHoldsObjectsIsEnotemptyAndDeletesNothing() throws Exception {
        start(new DeletionGuard.Limit(20, LONG_WINDOW));
        try (PathClient fs = cluster.attach()) {
            assertErrno(() -> fs.remove("/namespaces", "shop"), Errno.ENOTEMPTY);
            assertThat(fs.read("/namespaces/.error")).contains("namespace shop not deleted: it holds objects (")
                    .contains("configmaps/settings")
                    .contains("echo 'delete shop' > cluster/namespaces/shop/ctl");
            assertThat(fs.list("/namespaces")).contains("shop", ".error");
        }
        assertThat(kube.namespaces().withName("shop").get()).as("namespace shop at the API server").isNotNull();
        assertThat(kube.configMaps().inNamespace("shop").withName("settings").get()).as("its configmap").isNotNull();
    }

    @Test
    void rmdirOfANamespaceWithOnlyWhatKubernetesPutsThereDeletesIt() throws Exception {
        start(new DeletionGuard.Limit(20, LONG_WINDOW));
        try (PathClient fs = cluster.attach()) {
            fs.mkdir("/namespaces", "made-by-mkdir");
            assertThat(kube.namespaces().withName("made-by-mkdir").get()).as("after mkdir").isNotNull();
            fs.remove("/namespaces", "made-by-mkdir");
            assertThat(kube.namespaces().withName("made-by-mkdir").get()).as("after rmdir").isNull();

            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("fresh").endMetadata().build())
                    .create();
            kube.resource(new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace("fresh")
                    .endMetadata().build()).create();
            kube.resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").withNamespace("fresh")
                    .endMetadata().addToData("ca.crt", "---").build()).create();
            kube.resource(new EventBuilder().withNewMetadata().withName("fresh.1").withNamespace("fresh").endMetadata()
                    .withReason("Created").withMessage("namespace fresh").build()).create();
            kube.resource(new ConfigMapBuilder().withNewMetadata().withName("mine").withNamespace("fresh")
                    .endMetadata().build()).create();
            await(() -> fs.list("/namespaces").contains("fresh"));
            assertErrno(() -> fs.remove("/namespaces", "fresh"), Errno.ENOTEMPTY);
            assertThat(fs.read("/namespaces/.error")).contains("configmaps/mine").doesNotContain("kube-root-ca.crt")
                    .doesNotContain("serviceaccounts").doesNotContain("events");
            // Asked of the API server, not of the cache: a deletion counts at once.
            kube.configMaps().inNamespace("fresh").withName("mine").delete();
            fs.remove("/namespaces", "fresh");
        }
        assertThat(kube.namespaces().withName("fresh").get()).as("namespace fresh at the API server").isNull();
    }

    @Test
    void aNamespaceEmptiedByRmRIsNotDeletedWithIt() throws Exception {
        start(new DeletionGuard.Limit(20, LONG_WINDOW));
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("small").endMetadata().build())
                .create();
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName("only").withNamespace("small").endMetadata()
                .build()).create();
        try (PathClient fs = cluster.attach()) {
            // What rm -r namespaces/small does, depth first: the object, then the namespace.
            fs.remove("/namespaces/small/configmaps", "only");
            assertErrno(() -> fs.remove("/namespaces", "small"), Errno.EPERM);
            assertThat(fs.read("/namespaces/.error")).contains("namespace small not deleted")
                    .contains("echo 'delete small' > cluster/namespaces/small/ctl");
        }
        assertThat(kube.configMaps().inNamespace("small").withName("only").get()).as("the object rm -r reached").isNull();
        assertThat(kube.namespaces().withName("small").get()).as("namespace small at the API server").isNotNull();
    }

    @Test
    void rmdirOfAClusterScopedObjectIsEpermWithTheExplicitWayInError() throws Exception {
        start(new DeletionGuard.Limit(20, LONG_WINDOW));
        try (PathClient fs = cluster.attach()) {
            assertErrno(() -> fs.remove("/cluster/nodes", "node-1"), Errno.EPERM);
            assertThat(fs.read("/cluster/nodes/.error")).contains("Node node-1 not deleted")
                    .contains("echo 'delete node-1' > cluster/nodes/node-1/ctl");
            assertErrno(() -> fs.remove("/cluster/namespaces", "shop"), Errno.EPERM);
            assertThat(fs.read("/cluster/namespaces/.error")).contains("echo 'delete shop' > cluster/namespaces/shop/ctl")
                    .contains("rmdir namespaces/shop");
            String crd = "crontabs.stable.example.com";
            assertErrno(() -> fs.remove("/cluster/customresourcedefinitions", crd), Errno.EPERM);
            // Removing an object's files deletes nothing, as before: rm -r reaches the rmdir.
            fs.remove("/cluster/nodes/node-1", "data.yaml");
            fs.remove("/cluster/nodes/node-1", "ctl");
        }
        assertThat(kube.nodes().withName("node-1").get()).as("node-1 at the API server").isNotNull();
        assertThat(kube.namespaces().withName("shop").get()).as("namespace shop").isNotNull();
        assertThat(kube.apiextensions().v1().customResourceDefinitions().withName("crontabs.stable.example.com").get())
                .as("the CRD").isNotNull();
    }

    @Test
    void ctlListsItsCommandsAndDeletesOnlyWhenToldTheObjectsName() throws Exception {
        start(new DeletionGuard.Limit(20, LONG_WINDOW));
        String settings = "/namespaces/shop/configmaps/settings";
        try (PathClient fs = cluster.attach()) {
            assertThat(fs.list(settings)).contains("ctl");
            assertThat(fs.read(settings + "/ctl")).isEqualTo("delete NAME\n");
            assertThat(fs.stat(settings + "/ctl").permissions()).isEqualTo(0644);
            // What a copy of the tree written back would write.
            assertErrno(() -> fs.write(settings + "/ctl", "delete NAME\n"), Errno.EINVAL);
            assertThat(fs.read(settings + "/error")).contains("'NAME' is not the name of this ConfigMap")
                    .contains("delete settings");
            assertErrno(() -> fs.write(settings + "/ctl", "delete web\n"), Errno.EINVAL);
            assertErrno(() -> fs.write(settings + "/ctl", "delete settings\ndelete settings\n"), Errno.EINVAL);
            assertThat(fs.read(settings + "/error")).contains("one command per write");
            assertErrno(() -> fs.write(settings + "/ctl", "restart\n"), Errno.EINVAL);
            assertThat(fs.read(settings + "/error")).contains("unknown command 'restart'").contains("delete NAME");
            assertErrno(() -> fs.write(settings + "/ctl", "delete\n"), Errno.EINVAL);
            assertErrno(() -> fs.write(settings + "/ctl", "delete settings settings\n"), Errno.EINVAL);
            assertThat(kube.configMaps().inNamespace("shop").withName("settings").get())
                    .as("settings after the refused commands").isNotNull();

            fs.write(settings + "/ctl", "delete settings\n");
            assertThat(kube.configMaps().inNamespace("shop").withName("settings").get()).as("after delete settings").isNull();
            assertThat(fs.list("/namespaces/shop/configmaps")).doesNotContain("settings");
        }
    }

    @Test
    void aNamespaceGoesWithItsContentsAndANodeThroughTheirCtl() throws Exception {
        start(new DeletionGuard.Limit(20, LONG_WINDOW));
        try (PathClient fs = cluster.attach()) {
            assertThat(fs.read("/cluster/namespaces/shop/ctl")).isEqualTo("delete NAME\n");
            fs.write("/cluster/namespaces/shop/ctl", "delete shop\n");
            fs.write("/cluster/nodes/node-2/ctl", "delete node-2");
            assertThat(fs.list("/cluster/nodes")).doesNotContain("node-2").contains("node-1");
        }
        assertThat(kube.namespaces().withName("shop").get()).as("namespace shop at the API server").isNull();
        assertThat(kube.configMaps().inNamespace("shop").list().getItems()).as("its configmaps").isEmpty();
        assertThat(kube.nodes().withName("node-2").get()).as("node-2").isNull();
        assertThat(kube.nodes().withName("node-1").get()).as("node-1").isNotNull();
    }

    @Test
    void theDeletionAfterTwentyIsRefusedUntilAllowDeletions() throws Exception {
        start(new DeletionGuard.Limit(DeletionGuard.Limit.DEFAULT_BURST, LONG_WINDOW));
        createConfigMaps("burst", 22);
        String configmaps = "/namespaces/burst/configmaps";
        try (PathClient fs = cluster.attach()) {
            for (int i = 1; i <= 20; i++) {
                fs.remove(configmaps, "c" + i);
            }
            assertErrno(() -> fs.remove(configmaps, "c21"), Errno.EPERM);
            assertThat(fs.read(configmaps + "/.error")).contains("ConfigMap c21 not deleted")
                    .contains("deletions through the tree stopped at").contains("after 20 within 300 s")
                    .contains("echo allow-deletions > MOUNTPOINT/ctl");
            // Every deletion through the tree is stopped: a key, an empty namespace.
            assertErrno(() -> fs.remove("/namespaces/shop/configmaps/settings/data", "color"), Errno.EPERM);
            assertThat(fs.read("/namespaces/shop/configmaps/settings/error")).contains("key color of settings not deleted");
            fs.mkdir("/namespaces", "empty");
            assertErrno(() -> fs.remove("/namespaces", "empty"), Errno.EPERM);
            // A ctl delete names its object: it is not stopped.
            fs.write(configmaps + "/c22/ctl", "delete c22\n");

            assertThat(fs.list("/")).containsExactly("cluster", "ctl", "namespaces");
            assertThat(fs.read("/ctl")).isEqualTo("allow-deletions [N]\n");
            assertErrno(() -> fs.write("/ctl", "allow-deletions many\n"), Errno.EINVAL);
            assertErrno(() -> fs.remove(configmaps, "c21"), Errno.EPERM);
            fs.write("/ctl", "allow-deletions\n");
            fs.remove(configmaps, "c21");
            fs.remove("/namespaces/shop/configmaps/settings/data", "color");
        }
        assertThat(kube.configMaps().inNamespace("burst").list().getItems()).as("configmaps left in burst").isEmpty();
        assertThat(kube.configMaps().inNamespace("shop").withName("settings").get()).extracting(ConfigMap::getData)
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).doesNotContainKey("color");
        assertThat(kube.namespaces().withName("empty").get()).as("the namespace whose rmdir was stopped").isNotNull();
    }

    @Test
    void allowDeletionsNLetsABatchOfNThroughThenCountsAfresh() throws Exception {
        start(new DeletionGuard.Limit(2, LONG_WINDOW));
        createConfigMaps("batch", 9);
        String configmaps = "/namespaces/batch/configmaps";
        try (PathClient fs = cluster.attach()) {
            fs.remove(configmaps, "c1");
            fs.remove(configmaps, "c2");
            assertErrno(() -> fs.remove(configmaps, "c3"), Errno.EPERM);
            fs.write("/ctl", "allow-deletions 4\n");
            for (int i = 3; i <= 8; i++) {
                fs.remove(configmaps, "c" + i);
            }
            assertErrno(() -> fs.remove(configmaps, "c9"), Errno.EPERM);
        }
        assertThat(kube.configMaps().inNamespace("batch").list().getItems())
                .as("configmaps left: 2, then the batch of 4, then 2 counted afresh were deleted")
                .extracting(configMap -> configMap.getMetadata().getName()).containsExactly("c9");
    }

    @Test
    void deletionsFartherApartThanTheWindowAreNoBurst() throws Exception {
        Duration window = Duration.ofSeconds(2);
        start(new DeletionGuard.Limit(1, window));
        createConfigMaps("slow", 4);
        String configmaps = "/namespaces/slow/configmaps";
        try (PathClient fs = cluster.attach()) {
            fs.remove(configmaps, "c1");
            Thread.sleep(window.plusMillis(200).toMillis());
            fs.remove(configmaps, "c2");
            // At once: the second within the window stops them.
            assertErrno(() -> fs.remove(configmaps, "c3"), Errno.EPERM);
            Thread.sleep(window.plusMillis(200).toMillis());
            // A stop lasts until the user says otherwise, however long ago the burst was.
            assertErrno(() -> fs.remove(configmaps, "c3"), Errno.EPERM);
        }
        assertThat(kube.configMaps().inNamespace("slow").list().getItems())
                .extracting(configMap -> configMap.getMetadata().getName()).containsExactly("c3", "c4");
    }

    @Test
    void aUserWhomRbacForbidsToDeleteGetsEaccesFromCtlAndRmdir() throws Exception {
        start(new DeletionGuard.Limit(20, LONG_WINDOW));
        UserMap users = UserMap.parse(ALICE_UID + " alice developers\n", "test user map");
        Endpoint unix = cluster.listen(Endpoint.parse("unix:" + work.resolve("k9p.sock")), users, false);
        String settings = "namespaces/shop/configmaps/settings";
        try (PathClient alice = PathClient.attach(unix, "", ALICE_UID, null)) {
            assertThat(alice.stat(settings + "/ctl").permissions()).as("alice may not delete configmaps").isEqualTo(0444);
            assertErrno(() -> alice.write(settings + "/ctl", "delete settings\n"), Errno.EACCES);
            assertThat(alice.read(settings + "/error")).contains("forbidden").contains("User \"alice\"");
            // She may list nothing in namespace empty: k9p cannot tell that it is empty, and refuses.
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("empty").endMetadata().build())
                    .create();
            try (PathClient owner = cluster.attach()) {
                await(() -> owner.list("/namespaces").contains("empty"));
            }
            assertErrno(() -> alice.remove("namespaces", "empty"), Errno.EACCES);
            assertThat(alice.read("namespaces/.error")).contains("namespace empty not deleted: cannot tell whether it"
                    + " holds objects").contains("forbidden");
        }
        assertThat(kube.configMaps().inNamespace("shop").withName("settings").get()).as("settings at the API server").isNotNull();
        assertThat(kube.namespaces().withName("empty").get()).as("namespace empty").isNotNull();
    }

    private void createConfigMaps(String namespace, int count) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
        for (int i = 1; i <= count; i++) {
            kube.resource(new ConfigMapBuilder().withNewMetadata().withName("c" + i).withNamespace(namespace).endMetadata()
                    .withData(Map.of("k", "v")).build()).create();
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits for a change made at the API server to reach the tree through its watch. */
    private static void await(Condition condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the tree did not show the change within 10 s");
            }
            Thread.sleep(10);
        }
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static void assertErrno(Attempt attempt, Errno errno) {
        assertThatThrownBy(attempt::run)
                .isInstanceOfSatisfying(PathClient.Failure.class, failure -> assertThat(failure.errno)
                        .as("errno of %s", failure.getMessage()).isEqualTo(errno.number()));
    }
}
