package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.testing.Diod;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import io.k9p.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A third-party 9P2000.L server mounted through FUSE: diod exporting a directory, reached with
 * {@code k9p mount --server} by an ordinary user, with the host's own tools. Each step is checked
 * in the exported directory itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuseDiodTest {
    private Path work;
    private OrdinaryUser user;
    private Path export;
    private ServerProcess diod;
    private MountProcess mount;

    @BeforeAll
    void mount() throws Exception {
        work = Files.createTempDirectory("k9p-fuse-diod");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        user = OrdinaryUser.require(work.resolve("home"));
        MountProcess.requireFuse(user);
        K9pCommand k9p = K9pCommand.copiedTo(work.resolve("k9p"), user);
        // diod acts as the attaching user on the files, so the export is that user's.
        export = user.createDirectory(work.resolve("export"));
        diod = Diod.export(export, work.resolve("diod.log"));
        mount = MountProcess.start(user, k9p, List.of("--server", diod.endpoint().toString(), "--context",
                export.toString()), user.createDirectory(work.resolve("mnt")));
        mount.awaitMounted();
    }

    @AfterAll
    void unmount() throws Exception {
        try {
            if (mount != null) {
                mount.close();
            }
        } finally {
            if (diod != null) {
                // diod can crash on SIGTERM while it ends the connection just closed; its shutdown is not under test.
                diod.kill();
            }
        }
    }

    @Test
    void aMebibyteCopiedInReadsBackWithTheSameChecksum() throws Exception {
        byte[] content = new byte[1 << 20];
        new Random(9).nextBytes(content);
        Path local = work.resolve("home/random.bin");
        Files.write(local, content);
        Files.setPosixFilePermissions(local, PosixFilePermissions.fromString("rw-r--r--"));
        ok(shell("cp " + local + " random.bin && sha256sum random.bin"));
        assertThat(Files.readAllBytes(export.resolve("random.bin"))).isEqualTo(content);
        assertThat(shell("sha256sum random.bin").out()).startsWith(sha256(content));
    }

    @Test
    void sedInPlaceMvRmAndMkdirRmdirChangeTheExportedDirectory() throws Exception {
        ok(shell("printf 'replicas: 1\\nname: web\\n' > app.conf && sed -i 's/replicas: 1/replicas: 3/' app.conf"));
        assertThat(Files.readString(export.resolve("app.conf"), StandardCharsets.UTF_8))
                .isEqualTo("replicas: 3\nname: web\n");

        ok(shell("mv app.conf moved.conf"));
        assertThat(export.resolve("app.conf")).doesNotExist();
        assertThat(export.resolve("moved.conf")).hasContent("replicas: 3\nname: web");

        ok(shell("rm moved.conf"));
        assertThat(export.resolve("moved.conf")).doesNotExist();

        ok(shell("mkdir -p d/e && ls -d d/e"));
        assertThat(export.resolve("d/e")).isDirectory();
        ok(shell("rmdir d/e d"));
        assertThat(export.resolve("d")).doesNotExist();

        ProcessRun notEmpty = shell("mkdir f && touch f/x && rmdir f");
        assertThat(notEmpty.exit()).isNotZero();
        assertThat(notEmpty.err()).contains("Directory not empty");
        assertThat(export.resolve("f/x")).exists();
    }

    private ProcessRun shell(String script) throws Exception {
        return user.shell(mount.mountPoint(), script);
    }

    private static void ok(ProcessRun run) {
        assertThat(run.exit()).as("%s", run).isZero();
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
