package io.k9p.bench;

import io.k9p.testing.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code k9p mount --server tcp:127.0.0.1:PORT}: FUSE on top of k9p's 9P client, talking over
 * loopback to a {@code k9p serve} of its own; both run as child processes, as a user runs them.
 */
record ServedMount(Path kubeconfig, Path logs) implements Mounter.Mounting {
    private static final Duration MOUNT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UNMOUNT_TIMEOUT = Duration.ofSeconds(10);

    @Override
    public AutoCloseable mount(Path mountPoint) throws Exception {
        String name = mountPoint.getFileName().toString();
        ServerProcess server = ServerProcess.start("k9p serve", port -> K9pJar.command("serve",
                "--kubeconfig", kubeconfig.toString(), "--listen", "127.0.0.1:" + port), logs.resolve(name + "-serve.log"));
        Path mountLog = logs.resolve(name + "-mount.log");
        Process mount = new ProcessBuilder(K9pJar.command("mount", "--server",
                "tcp:127.0.0.1:" + server.endpoint().port(), mountPoint.toString()))
                .redirectErrorStream(true).redirectOutput(mountLog.toFile()).start();
        try {
            awaitMounted(mountPoint, mount, mountLog);
        } catch (IOException | InterruptedException | RuntimeException e) {
            mount.destroyForcibly().waitFor();
            server.close();
            throw e;
        }
        return () -> {
            unmount(mountPoint, mount);
            server.close();
        };
    }

    /** Waits until the mount table shows the mount, failing with the mount's words if it ends first. */
    private static void awaitMounted(Path mountPoint, Process mount, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + MOUNT_TIMEOUT.toNanos();
        while (!MountTable.contains(mountPoint)) {
            if (!mount.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("k9p mount --server did not mount " + mountPoint + ":\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
    }

    /** SIGTERM, on which k9p mount unmounts and exits; a mount left behind is detached. */
    private static void unmount(Path mountPoint, Process mount) throws IOException, InterruptedException {
        mount.destroy();
        if (!mount.waitFor(UNMOUNT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            mount.destroyForcibly().waitFor();
        }
        if (MountTable.contains(mountPoint)) {
            ChildProcess.run(List.of("fusermount3", "-u", "-z", mountPoint.toString()), null,
                    ProcessBuilder.Redirect.DISCARD);
        }
    }
}
