package io.k9p.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.kube.cluster.DeletionGuard;
import io.k9p.testing.ClusterScoped;
import io.k9p.testing.ClusterServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code rm -rf} of a whole kernel 9P mount deletes, and the deletions that must keep working,
 * run by Debian's userland (GNU rm, bash) in a QEMU guest: one boot, two demo clusters, one for the
 * slip and one for the workflows, so that each one's API server holds what its steps alone did. The
 * burst window is five minutes, so that the burst is one however slow the guest.
 */
class KernelDeletionTest {
    private static final DeletionGuard.Limit LIMIT = new DeletionGuard.Limit(DeletionGuard.Limit.DEFAULT_BURST,
            Duration.ofMinutes(5));

    private static GuestVm guest;
    /** The cluster the guest runs rm -rf on. */
    private ClusterServer slipped;
    /** The cluster the guest deletes things from on purpose. */
    private ClusterServer meant;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.requireDebian();
    }

    @BeforeEach
    void start() throws Exception {
        slipped = ClusterServer.demo(LIMIT);
        meant = ClusterServer.demo(LIMIT);
        KubernetesClient kube = meant.kube;
        for (String namespace : List.of("work", "gone")) {
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                    .create();
        }
        for (String name : List.of("old", "keep")) {
            kube.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("work").endMetadata()
                    .withData(Map.of("a", "1", "b", "2")).build()).create();
        }
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName("inside").withNamespace("gone").endMetadata()
                .withData(Map.of("a", "1")).build()).create();
    }

    @AfterEach
    void stop() {
        if (meant != null) {
            meant.close();
        }
        if (slipped != null) {
            slipped.close();
        }
    }

    @Test
    void rmRfOfTheWholeMountAndTheDeletionsThatMustKeepWorking() throws Exception {
        KubernetesClient kube = slipped.kube;
        ClusterScoped before = ClusterScoped.of(kube);
        long changesBefore = slipped.deletingRequests();
        String script = """
                step() { echo "== $1"; }
                mkdir -p /mnt/slipped /mnt/meant
                mount -t 9p -o trans=tcp,port=%d,version=9p2000.L 10.0.2.2 /mnt/slipped || exit 90
                mount -t 9p -o trans=tcp,port=%d,version=9p2000.L 10.0.2.2 /mnt/meant || exit 91
                step rm-rf; rm -rf /mnt/slipped/* 2> /tmp/rm.err; echo "status $?"
                grep -c 'Operation not permitted' /tmp/rm.err; grep -e "nodes/node-1'" -e "cluster/namespaces/shop'" /tmp/rm.err
                step stopped; grep -l -s 'deletions through the tree stopped' /mnt/slipped/namespaces/*/*/.error \\
                    /mnt/slipped/namespaces/*/*/*/error | head -n 1
                step resume; cat /mnt/slipped/ctl; bash -c 'echo allow-deletions > /mnt/slipped/ctl'; echo "status $?"
                cd /mnt/meant
                step rm-object; rm -r namespaces/work/configmaps/old; echo "status $?"
                step rm-key; rm namespaces/work/configmaps/keep/data/a; echo "status $?"; ls namespaces/work/configmaps/keep/data
                step mkdir; mkdir namespaces/empty; echo "status $?"; ls -d namespaces/empty
                step rmdir-empty; rmdir namespaces/empty; echo "status $?"; ls namespaces
                step rmdir-full; rmdir namespaces/work; echo "status $?"; cat namespaces/.error
                step rmdir-node; rmdir cluster/nodes/node-2; echo "status $?"; cat cluster/nodes/.error
                step ctl-read; cat cluster/nodes/node-2/ctl
                step ctl-copied-back; bash -c "echo 'delete NAME' > cluster/nodes/node-2/ctl"; echo "status $?"
                step ctl-node; bash -c "echo 'delete node-2' > cluster/nodes/node-2/ctl"; echo "status $?"; ls cluster/nodes
                step ctl-namespace; bash -c "echo 'delete gone' > cluster/namespaces/gone/ctl"; echo "status $?"
                step umount; cd / && umount /mnt/slipped && umount /mnt/meant && echo unmounted
                """.formatted(slipped.port(), meant.port());
        GuestVm.Result result = guest.runScript(script, Duration.ofMinutes(6));
        Map<String, String> steps = ScriptSteps.split(result.output());
        assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(steps.get("rm-rf")).as("rm -rf").startsWith("status 1\n")
                .contains("cannot remove '/mnt/slipped/cluster/nodes/node-1': Operation not permitted")
                .contains("cannot remove '/mnt/slipped/cluster/namespaces/shop': Operation not permitted");
        soft.assertThat(ClusterScoped.of(kube)).as("nodes, namespaces and CRDs after rm -rf").isEqualTo(before);
        soft.assertThat(slipped.deletingRequests() - changesBefore)
                .as("deletions and key removals the API server received (the demo holds more than a burst)")
                .isEqualTo(LIMIT.burst());
        soft.assertThat(steps.get("stopped")).as("an error file with the stop's reason").startsWith("/mnt/slipped/namespaces/");
        soft.assertThat(steps.get("resume")).isEqualTo("allow-deletions [N]\nstatus 0\n");

        KubernetesClient work = meant.kube;
        soft.assertThat(steps.get("rm-object")).isEqualTo("status 0\n");
        soft.assertThat(work.configMaps().inNamespace("work").withName("old").get()).as("old").isNull();
        soft.assertThat(steps.get("rm-key")).isEqualTo("status 0\nb\n");
        soft.assertThat(work.configMaps().inNamespace("work").withName("keep").get()).as("keep's keys")
                .extracting(ConfigMap::getData).isEqualTo(Map.of("b", "2"));
        soft.assertThat(steps.get("mkdir")).isEqualTo("status 0\nnamespaces/empty\n");
        soft.assertThat(steps.get("rmdir-empty")).startsWith("status 0\n").doesNotContain("empty");
        soft.assertThat(work.namespaces().withName("empty").get()).as("namespace empty").isNull();
        soft.assertThat(steps.get("rmdir-full")).contains("Directory not empty").contains("status 1")
                .contains("namespace work not deleted: it holds objects (configmaps/keep)")
                .contains("echo 'delete work' > cluster/namespaces/work/ctl");
        soft.assertThat(work.namespaces().withName("work").get()).as("namespace work").isNotNull();
        soft.assertThat(steps.get("rmdir-node")).contains("Operation not permitted").contains("status 1")
                .contains("echo 'delete node-2' > cluster/nodes/node-2/ctl");
        soft.assertThat(steps.get("ctl-read")).isEqualTo("delete NAME\n");
        soft.assertThat(steps.get("ctl-copied-back")).contains("Invalid argument").contains("status 1");
        soft.assertThat(steps.get("ctl-node")).isEqualTo("status 0\nnode-1\n");
        soft.assertThat(work.nodes().withName("node-2").get()).as("node-2").isNull();
        soft.assertThat(work.nodes().withName("node-1").get()).as("node-1").isNotNull();
        soft.assertThat(steps.get("ctl-namespace")).isEqualTo("status 0\n");
        soft.assertThat(work.namespaces().withName("gone").get()).as("namespace gone").isNull();
        soft.assertThat(work.configMaps().inNamespace("gone").list().getItems()).as("its configmaps").isEmpty();
        soft.assertThat(steps.get("umount")).isEqualTo("unmounted\n");
        soft.assertAll();
    }


}
