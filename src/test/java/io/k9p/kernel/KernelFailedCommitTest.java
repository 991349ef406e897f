package io.k9p.kernel;

import io.k9p.testing.ClusterServer;
import io.k9p.testing.FailedCommits;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which programs tell of a change refused at close through the kernel's 9P mount (9P2000.L,
 * default options), Debian's userland in the guest: Linux drops close(2)'s errors, so only those
 * that meet the refusal earlier say so, at fsync (dd conv=fsync, vim) or rename (sed -i); every
 * failure is in the object's error file, and a good write empties it.
 */
class KernelFailedCommitTest {
    private static GuestVm guest;
    private ClusterServer cluster;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.requireDebian();
    }

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterServer.demo();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void onlyWhatFailsBeforeCloseReportsARefusedCommit() {
        String script = """
                mkdir -p /mnt/k8s
                mount -t 9p -o trans=tcp,port=%d 10.0.2.2 /mnt/k8s || exit 90
                cd /mnt/k8s
                """.formatted(cluster.port()) + FailedCommits.script("namespaces/shop/configmaps/settings");
        GuestVm.Result result = guest.runScript(script, Duration.ofMinutes(10));
        Map<String, String> steps = ScriptSteps.split(result.output());

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();
        FailedCommits.check(softly, steps, Set.of("dd-fsync", "vim", "sed"));
        softly.assertAll();
    }
}
