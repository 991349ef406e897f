package io.k9p.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code k9p demo}, the real command in a process of its own, as a new user first runs it. */
class DemoCommandTest {

    /**
     * The hints fit whatever directory the user mounts on: their paths are relative to the mount,
     * and the only absolute mount points are those of the printed mount commands. Nothing is on
     * stderr: the demo's API server and its clients say nothing of their own.
     */
    @Test
    void theHintsFitAnyMountPointAndStderrIsQuiet() throws Exception {
        Path out = Files.createTempFile("k9p-demo", ".out");
        Path err = Files.createTempFile("k9p-demo", ".err");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.k9p.cli.Main", "demo", "--listen", "127.0.0.1:0")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(out).contains("k9p: or, without root")) {
                assertThat(demo.isAlive()).as("k9p demo: %s%s", Files.readString(out), Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("k9p demo did not start: %s", Files.readString(err)).isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            demo.destroy();
            demo.waitFor(15, TimeUnit.SECONDS);
            demo.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).as("the hint").anySatisfy(line -> assertThat(line)
                .contains("try in the mount's directory: ls namespaces/kube-system/pods"));
        assertThat(lines.stream().filter(line -> line.contains("/mnt/k8s")))
                .as("the lines that name /mnt/k8s: the kernel's mount command, whose mount point is the user's to change")
                .allSatisfy(line -> assertThat(line).startsWith("k9p: mount with: mount -t 9p "));
        assertThat(Files.readString(err)).as("stderr").isEmpty();
        Files.delete(out);
        Files.delete(err);
    }
}
