package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.kernel.ScriptSteps;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.FailedCommits;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which programs tell of a change refused at close through {@code k9p mount} (in-process and
 * {@code --server}), as the ordinary user: FUSE sends a flush at close and k9p commits there, so
 * every program that checks close(2) says so (cat, cp, tee, dd, python's with, vim, sed -i), and
 * only the shell's own redirections and a later sync cannot.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("io.k9p.fuse.FuseMountTest#mountSources")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuseFailedCommitTest {
    @Parameter
    FuseMountTest.MountSource source;

    private Path work;
    private OrdinaryUser user;
    private K9pCommand k9p;

    @BeforeAll
    void prepare() throws Exception {
        work = Files.createTempDirectory("k9p-fuse-commit");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        user = OrdinaryUser.require(work.resolve("home"));
        MountProcess.requireFuse(user);
        k9p = K9pCommand.copiedTo(work.resolve("k9p"), user);
    }

    @AfterAll
    void removeWorkDirectory() throws Exception {
        ProcessRun removed = ProcessRun.of(new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()),
                Duration.ofMinutes(1));
        assertThat(removed.exit()).as("removing %s: %s", work, removed).isZero();
    }

    @Test
    void everyProgramThatChecksCloseReportsARefusedCommit() throws Exception {
        try (ClusterServer cluster = ClusterServer.demo()) {
            Path invocation = user.createDirectory(Files.createTempDirectory(work, "mount"));
            Path kubeconfig = user.writeFile(invocation.resolve("kubeconfig"), Files.readString(cluster.kubeconfig));
            try (MountProcess mount = MountProcess.start(user, k9p, source.arguments(cluster, kubeconfig),
                    user.createDirectory(invocation.resolve("k8s")))) {
                mount.awaitMounted();
                ProcessRun run = user.shell(mount.mountPoint(), FailedCommits.script("namespaces/shop/configmaps/settings"));

                SoftAssertions softly = new SoftAssertions();
                softly.assertThat(run.exit()).as("%s", run).isZero();
                FailedCommits.check(softly, ScriptSteps.split(run.out()),
                        Set.of("cat", "cp", "tee", "dd", "dd-fsync", "python", "vim", "sed"));
                softly.assertAll();
            }
        }
    }
}
