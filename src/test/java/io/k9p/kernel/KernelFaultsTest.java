package io.k9p.kernel;

import io.k9p.testing.ClusterServer;
import io.k9p.testing.FaultConvergence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of API-server fault ({@link FaultConvergence}) through the Linux kernel's 9P client: one
 * boot of the Debian guest mounts the test's k9p server and then runs, through a {@link GuestShell},
 * the scripts the faults call for, each with GNU tools on the mount. The mount must show the API
 * server's state within {@link FaultConvergence#BOUND} after each fault ends; the times are printed.
 * {@code -Dk9p.faults.rounds=N} runs the faults N times in the one boot, for the medians.
 */
class KernelFaultsTest {
    private static GuestVm guest;
    private ClusterServer cluster;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.requireDebian();
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theKernelMountConvergesAfterEveryKindOfFault() throws Exception {
        cluster = ClusterServer.demo();
        int rounds = Integer.getInteger("k9p.faults.rounds", 1);
        SoftAssertions softly = new SoftAssertions();
        List<FaultConvergence.Convergence> times = new ArrayList<>();
        GuestVm.Result result;
        try (GuestShell shell = new GuestShell()) {
            FaultConvergence faults = new FaultConvergence(cluster.api,
                    List.of(new FaultConvergence.Mount("kernel", shell::run)));
            for (int round = 0; round < rounds; round++) {
                faults.seed(round);
            }
            String script = """
                    step() { echo "== $1"; }
                    mkdir -p /mnt/k8s
                    mount -t 9p -o trans=tcp,port=%d 10.0.2.2 /mnt/k8s || exit 90
                    cd /mnt/k8s
                    step shell
                    python3 -c '%s' http://10.0.2.2:%d; echo "status $?"
                    step umount; cd / && umount /mnt/k8s && echo unmounted
                    """.formatted(cluster.port(), GuestShell.GUEST_PROGRAM, shell.port());
            // A thread of its own: the common pool serves the demo API server's requests.
            CompletableFuture<GuestVm.Result> boot = new CompletableFuture<>();
            Thread.ofPlatform().name("guest").daemon().start(() -> {
                try {
                    boot.complete(guest.runScript(script, Duration.ofMinutes(10 + 5L * rounds)));
                } catch (RuntimeException e) {
                    boot.completeExceptionally(e);
                }
            });
            if (!shell.awaitReady(boot, Duration.ofMinutes(5))) {
                throw new AssertionError("the guest's shell did not start: " + (boot.isDone()
                        ? boot.join().consoleLog() : "no request within 5 minutes"));
            }
            for (int round = 0; round < rounds; round++) {
                times.addAll(faults.run(softly, round));
            }
            shell.close();
            result = boot.join();
        }
        System.out.println("kernel 9P mount: milliseconds from each fault's end until the mount showed the API"
                + " server's state\n" + FaultConvergence.report(times));
        Map<String, String> steps = ScriptSteps.split(result.output());
        softly.assertThat(steps.get("shell")).as("the guest's shell; console:%n%s", result.consoleLog())
                .isEqualTo("status 0\n");
        softly.assertThat(steps.get("umount")).as("umount").isEqualTo("unmounted\n");
        softly.assertThat(result.exitStatus()).as("script status").isZero();
        softly.assertAll();
    }
}
