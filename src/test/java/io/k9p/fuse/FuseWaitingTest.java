package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.fs.OpenFlags;
import io.k9p.kernel.GuestVm;
import io.k9p.memfs.MemFileSystem;
import io.k9p.testing.WaitingDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FuseMount in this JVM, on a tree whose directories' lookups wait (as a first listing waits for
 * the API server): more of them than there are threads reading /dev/fuse wait at once, and the
 * mount still answers everything else.
 */
class FuseWaitingTest {
    @TempDir
    Path work;

    @Test
    void lookupsThatWaitHoldUpNoThreadThatReadsTheDevice() throws Exception {
        GuestVm.requirePrerequisite(Files.exists(Path.of("/dev/fuse")), "there is no /dev/fuse");
        GuestVm.requirePrerequisite("root".equals(System.getProperty("user.name")),
                "mounting with FUSE in the test's own JVM takes root");
        // One directory each: the kernel lets one lookup at a time into a directory.
        int count = FuseMount.RECEIVERS + 2;
        MemFileSystem files = new MemFileSystem();
        List<WaitingDirectory> slow = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            slow.add(files.root().add(new WaitingDirectory("slow" + i)));
        }
        files.root().createFile("plain", 0644).open(OpenFlags.WRITE).write(0, "here\n".getBytes(StandardCharsets.UTF_8));
        Path mountPoint = Files.createDirectory(work.resolve("mnt"));
        List<Process> stats = new ArrayList<>();
        try (FuseMount mount = FuseMount.mount(files.root(), mountPoint, new FuseMount.Options(false, false, "test"))) {
            for (int i = 0; i < count; i++) {
                stats.add(new ProcessBuilder("stat", mountPoint.resolve("slow" + i + "/x").toString()).start());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (waiting(slow) < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(waiting(slow)).as("lookups waiting at once").isEqualTo(count);
            assertThat(Files.readString(mountPoint.resolve("plain"))).isEqualTo("here\n");
            assertThat(stats).allMatch(Process::isAlive);

            slow.forEach(WaitingDirectory::release);
            for (Process stat : stats) {
                assertThat(stat.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(stat.exitValue()).as("stat of a name the directory does not have").isEqualTo(1);
            }
        } finally {
            stats.forEach(Process::destroyForcibly);
        }
    }

    private static int waiting(List<WaitingDirectory> directories) {
        return directories.stream().mapToInt(WaitingDirectory::waiting).sum();
    }
}
