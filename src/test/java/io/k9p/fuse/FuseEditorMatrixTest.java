package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.demo.ApiServer;
import io.k9p.kernel.GuestVm;
import io.k9p.kernel.ScriptSteps;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.EditorMatrix;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The editor matrix ({@link EditorMatrix}) through {@code k9p mount}, both ways of mounting, the
 * mount and the editors run as the ordinary user, with the host's Debian packages. The work
 * directory is under /var/tmp, as a user's files are: vim makes no backup of a file under /tmp
 * (its 'backupskip'), and the matrix is to see what it does with its defaults.
 */
class FuseEditorMatrixTest {
    private static final Duration MATRIX_LIMIT = Duration.ofMinutes(15);
    private static final List<String> EDITORS = List.of("vim", "nano", "tmux", "ed", "sed", "perl", "python3", "kak");

    private static Path work;
    private static OrdinaryUser user;
    private static K9pCommand k9p;

    @BeforeAll
    static void prepare() throws Exception {
        work = Files.createTempDirectory(Path.of("/var/tmp"), "k9p-editor-matrix");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        user = OrdinaryUser.require(work.resolve("home"));
        MountProcess.requireFuse(user);
        for (String editor : EDITORS) {
            GuestVm.requirePrerequisite(user.shell(user.home(), "command -v " + editor).exit() == 0,
                    editor + " is not installed: apt-get install vim nano tmux ed kakoune python3");
        }
        k9p = K9pCommand.copiedTo(work.resolve("k9p"), user);
    }

    @AfterAll
    static void removeWorkDirectory() throws Exception {
        if (work != null) {
            // Never into a mount that failed to go (-xdev, --one-file-system).
            ProcessRun removed = ProcessRun.of(new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()),
                    Duration.ofMinutes(1));
            assertThat(removed.exit()).as("removing %s: %s", work, removed).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.k9p.fuse.FuseMountTest#mountSources")
    void everyEditorSavesOneUpdateAndNothingElse(FuseMountTest.MountSource source) throws Exception {
        try (ClusterServer cluster = ClusterServer.of(ApiServer.start())) {
            EditorMatrix.seed(cluster.kube);
            Path invocation = user.createDirectory(Files.createTempDirectory(work, "mount"));
            Path kubeconfig = user.writeFile(invocation.resolve("kubeconfig"), Files.readString(cluster.kubeconfig));
            List<String> arguments = new ArrayList<>(source.arguments(cluster, kubeconfig));
            try (MountProcess mount = MountProcess.start(user, k9p, arguments,
                    user.createDirectory(invocation.resolve("mnt")))) {
                mount.awaitMounted();
                ProcessBuilder script = user.processBuilder(mount.mountPoint(),
                        List.of("/bin/sh", "-c", EditorMatrix.script()));
                script.environment().putAll(Map.of("NS", EditorMatrix.NAMESPACE,
                        "WORK", user.createDirectory(invocation.resolve("work")).toString()));
                ProcessRun run = ProcessRun.of(script, MATRIX_LIMIT);

                SoftAssertions softly = new SoftAssertions();
                softly.assertThat(run.exit()).as("the matrix script: %s", run).isZero();
                String frontEnd = arguments.contains("--server") ? "FUSE --server" : "FUSE in-process";
                EditorMatrix.check(softly, frontEnd, ScriptSteps.split(run.out()), cluster.kube, cluster.api);
                softly.assertAll();
            }
        }
    }
}
