package io.k9p.testing;

import io.k9p.kernel.GuestVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordinary user that FUSE tests mount and run tools as. FUSE's rules are about ordinary users
 * (fusermount3 mounts for them; the kernel lets no one else into their mounts, root included), and a
 * test run as root would pass where a user fails. When the test JVM runs as root (CI), this is a
 * system user of its own, created on first use, and each command switches to it with setpriv, which
 * execs the command itself: runuser would stay in between as a parent that catches the signals meant
 * for the command and kills it two seconds later. Otherwise it is the JVM's own user.
 *
 * <p>Commands get a fixed environment either way: the system's tools, English messages (tests match
 * them) and, as HOME, a directory of the user's own.
 */
public final class OrdinaryUser {
    /** The system user that commands run as when the test JVM is root. */
    public static final String SYSTEM_USER = "k9p-fuse-test";
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final String name;
    private final int uid;
    private final int gid;
    /** setpriv, when commands switch to the user; empty when they run as the JVM's user. */
    private final Optional<Path> setpriv;
    private final Path home;

    private OrdinaryUser(String name, int uid, int gid, Optional<Path> setpriv, Path home) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.setpriv = setpriv;
        this.home = home;
    }

    /**
     * The user, with {@code home} created as its HOME: {@value #SYSTEM_USER} when the JVM is root (or the
     * calling test is skipped, failed in CI, when setpriv and useradd are missing), else the JVM's user.
     */
    public static OrdinaryUser require(Path home) throws IOException, InterruptedException {
        Path self = Path.of("/proc/self");
        int jvmUid = (Integer) Files.getAttribute(self, "unix:uid");
        OrdinaryUser user;
        if (jvmUid != 0) {
            user = new OrdinaryUser(System.getProperty("user.name"), jvmUid, (Integer) Files.getAttribute(self, "unix:gid"),
                    Optional.empty(), home);
        } else {
            Optional<Path> setpriv = GuestVm.onPath("setpriv");
            Optional<Path> useradd = GuestVm.onPath("useradd");
            GuestVm.requirePrerequisite(setpriv.isPresent() && useradd.isPresent(), "the tests run as root and switch to"
                    + " the user " + SYSTEM_USER + " with setpriv, created with useradd: apt-get install util-linux passwd");
            if (id("-u").exit() != 0) {
                // A concurrent run may create it first (useradd then exits 9); id decides below.
                asTestJvm(useradd.get().toString(), "--system", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", "--comment", "k9p FUSE tests", SYSTEM_USER);
            }
            ProcessRun uidRun = id("-u");
            if (uidRun.exit() != 0) {
                throw new IllegalStateException("could not create the user " + SYSTEM_USER + ": " + uidRun);
            }
            user = new OrdinaryUser(SYSTEM_USER, Integer.parseInt(uidRun.out().trim()),
                    Integer.parseInt(id("-g").out().trim()), setpriv, home);
        }
        user.createDirectory(home);
        return user;
    }

    private static ProcessRun id(String what) throws IOException, InterruptedException {
        return asTestJvm("id", what, SYSTEM_USER);
    }

    public String name() {
        return name;
    }

    public Path home() {
        return home;
    }

    /** Whether commands run as another user than the test JVM, which is then root. */
    public boolean isSwitchedFromRoot() {
        return setpriv.isPresent();
    }

    /** Creates a directory (and its parents) that the user owns and everyone may enter. */
    public Path createDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        own(directory);
        return directory;
    }

    /** Writes a file that the user owns and everyone may read. */
    public Path writeFile(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        own(file);
        return file;
    }

    private void own(Path path) throws IOException {
        if (isSwitchedFromRoot()) {
            Files.setAttribute(path, "unix:uid", uid);
            Files.setAttribute(path, "unix:gid", gid);
        }
    }

    /** A process builder for the command as the user, in {@code directory}, with the fixed environment. */
    public ProcessBuilder processBuilder(Path directory, List<String> command) {
        List<String> line = new ArrayList<>();
        setpriv.ifPresent(path -> line.addAll(List.of(path.toString(),
                "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--")));
        // The directory is entered as the user: root may not enter the user's FUSE mount.
        line.addAll(List.of("/usr/bin/env", "--chdir=" + directory));
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line);
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString(),
                "USER", name, "LOGNAME", name, "LC_ALL", "C.UTF-8"));
        return builder;
    }

    /** Runs a command as the user in {@code directory} and waits for it (killing it after a minute). */
    public ProcessRun run(Path directory, String... command) throws IOException, InterruptedException {
        return ProcessRun.of(processBuilder(directory, List.of(command)), LIMIT);
    }

    /** Runs a script with /bin/sh as the user, for what needs the shell: redirections, globs. */
    public ProcessRun shell(Path directory, String script) throws IOException, InterruptedException {
        return run(directory, "/bin/sh", "-c", script);
    }

    private static ProcessRun asTestJvm(String... command) throws IOException, InterruptedException {
        return ProcessRun.of(new ProcessBuilder(command), LIMIT);
    }
}
