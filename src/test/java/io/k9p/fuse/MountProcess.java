package io.k9p.fuse;

import io.k9p.kernel.GuestVm;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code k9p mount} process, run in the foreground as the ordinary user, its output kept in files
 * beside the mount point. {@link #close} ends the process and removes the mount it made however the
 * test went, so that no stale mount outlives the test run.
 */
final class MountProcess implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(60);
    private static final Duration EXIT_LIMIT = Duration.ofSeconds(15);
    private static final String MOUNTED = "k9p: mounted ";

    private final OrdinaryUser user;
    private final Path mountPoint;
    private final Process process;
    private final Path out;
    private final Path err;
    /** The process said it mounted: the mount there is this process's to remove. */
    private boolean announced;

    private MountProcess(OrdinaryUser user, Path mountPoint, Process process, Path out, Path err) {
        this.user = user;
        this.mountPoint = mountPoint;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * Skips the calling test (fails it in CI) unless the user can mount with FUSE: fusermount3 on its
     * PATH and /dev/fuse open to it for reading and writing.
     */
    static void requireFuse(OrdinaryUser user) throws IOException, InterruptedException {
        GuestVm.requirePrerequisite(user.shell(user.home(), "command -v fusermount3").exit() == 0,
                "fusermount3 is not installed: apt-get install fuse3");
        Path device = Path.of("/dev/fuse");
        GuestVm.requirePrerequisite(Files.exists(device),
                "there is no /dev/fuse: load the fuse module (modprobe fuse), or give the container the device");
        GuestVm.requirePrerequisite(user.shell(user.home(), "test -r /dev/fuse && test -w /dev/fuse").exit() == 0,
                user.name() + " cannot open /dev/fuse (mode " + PosixFilePermissions.toString(Files.getPosixFilePermissions(device))
                        + "): chmod 666 /dev/fuse, Debian's default, so that ordinary users can mount with FUSE");
    }

    /** Starts {@code k9p mount ARGUMENTS... MOUNTPOINT}; {@link #awaitMounted} waits until it serves. */
    static MountProcess start(OrdinaryUser user, K9pCommand k9p, List<String> arguments, Path mountPoint)
            throws IOException {
        List<String> mount = new ArrayList<>(List.of("mount"));
        mount.addAll(arguments);
        mount.add(mountPoint.toString());
        Path out = mountPoint.resolveSibling(mountPoint.getFileName() + ".out");
        Path err = mountPoint.resolveSibling(mountPoint.getFileName() + ".err");
        Process process = user.processBuilder(user.home(), k9p.line(mount))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        return new MountProcess(user, mountPoint, process, out, err);
    }

    Path mountPoint() {
        return mountPoint;
    }

    /** Waits for the line saying the mount is in place; fails if the process ends or takes a minute. */
    void awaitMounted() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (!output().contains(MOUNTED)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("k9p mount did not mount " + mountPoint + " (" + describe() + ")");
            }
            Thread.sleep(20);
        }
        announced = true;
    }

    /** The exit status, once the process has ended; fails if it has not within 15 seconds. */
    int awaitExit() throws IOException, InterruptedException {
        if (!process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("k9p mount on " + mountPoint + " did not end within " + EXIT_LIMIT + " ("
                    + describe() + ")");
        }
        return process.exitValue();
    }

    /** SIGTERM, as a service manager stops it. */
    void terminate() {
        process.destroy();
    }

    /** Sends the signal named (INT, TERM, HUP...) to the process, with the shell's kill (procps may be missing). */
    void signal(String name) throws IOException, InterruptedException {
        ProcessRun kill = ProcessRun.of(new ProcessBuilder("sh", "-c", "kill -s \"$1\" \"$2\"", "sh", name,
                Long.toString(process.pid())), EXIT_LIMIT);
        if (kill.exit() != 0) {
            throw new IllegalStateException("kill -s " + name + " " + process.pid() + ": " + kill);
        }
    }

    /** Whether the process ended within {@code limit}. */
    boolean waitFor(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** SIGKILL: a crash, which leaves the mount behind with no one serving it. */
    void kill() {
        process.destroyForcibly();
    }

    /** {@code fusermount3 -u MOUNTPOINT} as the user, as its owner unmounts it. */
    ProcessRun unmount() throws IOException, InterruptedException {
        return user.run(user.home(), "fusermount3", "-u", mountPoint.toString());
    }

    /** Whether the mount table has a mount on the mount point, served or stale. */
    boolean mounted() throws IOException {
        // /proc/self/mountinfo: the fifth field is the mount point (paths here have no spaces to escape).
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" "))
                .anyMatch(fields -> fields.length > 4 && fields[4].equals(mountPoint.toString()));
    }

    String output() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    String errors() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** The process's state and output, for failure messages. */
    String describe() throws IOException {
        return (process.isAlive() ? "running" : "exit " + process.exitValue()) + "; stdout:\n" + output()
                + "stderr:\n" + errors();
    }

    /**
     * Unmounts and ends the process if it still runs (killing it if unmounting does not end it), then
     * lazily unmounts what it left behind: a killed process's stale mount. A process that had ended
     * without saying it mounted leaves the mount point alone: a mount there is another's.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        boolean running = process.isAlive();
        if (running) {
            if (mounted()) {
                unmount();
            }
            if (!process.waitFor(EXIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        if ((running || announced) && mounted()) {
            user.run(user.home(), "fusermount3", "-u", "-z", mountPoint.toString());
        }
    }
}
