package io.k9p.fuse;

import io.k9p.testing.ClusterServer;
import io.k9p.testing.FaultConvergence;
import io.k9p.testing.OrdinaryUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of API-server fault ({@link FaultConvergence}) through both FUSE front ends at once, as
 * an ordinary user: {@code k9p mount} with the tree in the mount process (its own cache), and
 * {@code k9p mount --server} through a k9p serve (the test's own 9P server). Each must show the API
 * server's state within {@link FaultConvergence#BOUND} after each fault ends; the times are printed.
 * {@code -Dk9p.faults.rounds=N} runs the faults N times, for the medians.
 */
class FuseFaultsTest {
    private FuseWork work;
    private ClusterServer cluster;
    private final List<MountProcess> mounts = new ArrayList<>();

    @Test
    void bothFuseMountsConvergeAfterEveryKindOfFault() throws Exception {
        work = FuseWork.prepare("k9p-fuse-faults");
        OrdinaryUser user = work.user();
        cluster = ClusterServer.demo();
        Path kubeconfig = user.writeFile(user.createDirectory(work.directory().resolve("config")).resolve("kubeconfig"),
                Files.readString(cluster.kubeconfig));
        MountProcess inProcess = MountProcess.start(user, work.k9p(), List.of("--kubeconfig", kubeconfig.toString()),
                user.createDirectory(work.directory().resolve("fuse")));
        mounts.add(inProcess);
        MountProcess served = MountProcess.start(user, work.k9p(),
                List.of("--server", "tcp:127.0.0.1:" + cluster.port()),
                user.createDirectory(work.directory().resolve("served")));
        mounts.add(served);
        inProcess.awaitMounted();
        served.awaitMounted();

        FaultConvergence faults = new FaultConvergence(cluster.api, List.of(
                new FaultConvergence.Mount("fuse", script -> user.shell(inProcess.mountPoint(), script)),
                new FaultConvergence.Mount("served", script -> user.shell(served.mountPoint(), script))));
        SoftAssertions softly = new SoftAssertions();
        List<FaultConvergence.Convergence> times = new ArrayList<>();
        int rounds = Integer.getInteger("k9p.faults.rounds", 1);
        for (int round = 0; round < rounds; round++) {
            faults.seed(round);
        }
        for (int round = 0; round < rounds; round++) {
            times.addAll(faults.run(softly, round));
        }
        System.out.println("FUSE: milliseconds from each fault's end until the mount showed the API server's state\n"
                + FaultConvergence.report(times));
        softly.assertAll();
    }

    @AfterEach
    void stop() throws Exception {
        for (MountProcess mount : mounts) {
            mount.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (work != null) {
            work.remove();
        }
    }
}
