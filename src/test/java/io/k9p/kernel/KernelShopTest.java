package io.k9p.kernel;

import io.k9p.demo.DemoCluster;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.FailedCommits;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Debian's tools over the demo's shop namespace through the kernel's 9P mount (9P2000.L, default
 * options), where things are not as they should be. Pods that are not running: shop holds a pod
 * still being created and one whose sidecar crash-loops with its previous run gone, whose logs the
 * API server refuses with 400; GNU cp, grep, tar, find and du get through the namespace, those logs
 * stat as 0 bytes and read empty, and the pod's error file says why. A change refused at close:
 * Linux drops close(2)'s errors, so only the programs that meet the refusal earlier tell of it, at
 * fsync (dd conv=fsync, vim) or rename (sed -i); every refusal is in the object's error file, and a
 * good write empties it. One boot runs every step.
 */
class KernelShopTest {
    @Test
    void podsThatAreNotRunningAndAChangeRefusedAtClose() throws Exception {
        GuestVm guest = GuestVm.requireDebian();
        try (ClusterServer cluster = ClusterServer.demo()) {
            run(guest, cluster);
        }
    }

    private static void run(GuestVm guest, ClusterServer cluster) {
        String script = """
                step() { echo "== $1"; }
                limit() { timeout -k 5 60 "$@"; }
                mkdir -p /mnt/k8s
                mount -t 9p -o trans=tcp,port=%d 10.0.2.2 /mnt/k8s || exit 90
                cd /mnt/k8s
                S=namespaces/shop
                C=$S/pods/%s
                P=$S/pods/%s
                step cp; limit cp -r $S /tmp/shop 2>&1; echo "status $?"
                step grep; limit grep -r -l ContainerCreating $S 2>&1 >/dev/null; echo "status $?"
                step tar; limit tar cf /tmp/shop.tar $S 2>&1; echo "status $?"
                step find; limit find $S -type f -exec cat {} + 2>&1 >/dev/null; echo "status $?"
                step du; limit du -s $S 2>&1 >/dev/null; echo "status $?"
                step waiting; limit stat -c %%s $C/logs/checkout; limit cat $C/logs/checkout | wc -c
                limit cat $C/error
                step previous; limit stat -c %%s $P/logs/sidecar.previous; limit cat $P/error
                step completed; limit cat $S/pods/db-migrate-8m2kq/logs/migrate
                """.formatted(cluster.port(), DemoCluster.CHECKOUT_POD, DemoCluster.PAYMENTS_POD)
                + FailedCommits.script("namespaces/shop/configmaps/settings")
                + "echo '== umount'; cd / && timeout -k 5 60 umount /mnt/k8s && echo unmounted\n";
        GuestVm.Result result = guest.runScript(script, Duration.ofMinutes(10));
        Map<String, String> steps = ScriptSteps.split(result.output());

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();
        for (String tool : new String[] {"cp", "grep", "tar", "find", "du"}) {
            softly.assertThat(steps.get(tool)).as("%s over the namespace: no error, status 0", tool)
                    .isEqualTo("status 0\n");
        }
        softly.assertThat(steps.get("waiting")).as("the waiting container's log: size, bytes read, the pod's error")
                .startsWith("0\n0\n")
                .contains("container \"checkout\" in pod \"" + DemoCluster.CHECKOUT_POD
                        + "\" is waiting to start: ContainerCreating");
        softly.assertThat(steps.get("previous")).as("the previous run that is gone: size, the pod's error")
                .startsWith("0\n")
                .contains("previous terminated container \"sidecar\" in pod \"" + DemoCluster.PAYMENTS_POD
                        + "\" not found");
        softly.assertThat(steps.get("completed")).as("the completed pod's log")
                .isEqualTo(cluster.api.logs().current("shop", "db-migrate-8m2kq", "migrate").orElseThrow());
        FailedCommits.check(softly, steps, Set.of("dd-fsync", "vim", "sed"));
        softly.assertThat(steps.get("umount")).as("umount").isEqualTo("unmounted\n");
        softly.assertAll();
    }
}
