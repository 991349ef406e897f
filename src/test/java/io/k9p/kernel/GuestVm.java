package io.k9p.kernel;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway Linux guest, booted in QEMU, that runs one shell script per boot. Tests use it to mount a
 * 9P server with the kernel's own 9P client, which is the client that matters and the strictest one.
 *
 * <p>The guest is Debian's kernel, prepared on the host by {@code scripts/guest-kernel.sh}, with one of two
 * userlands: a static busybox alone ({@link #require()}, the quicker boot), or Debian's own, GNU tools, vim,
 * python3 and jq, prepared by {@code scripts/guest-userland.sh} ({@link #requireDebian()}). Each run boots
 * from an initramfs built here, appended to Debian's userland archive in the second case (the kernel unpacks
 * concatenated archives in turn); its {@code /init} loads the 9P and e1000 modules, configures QEMU's
 * user-mode network (the host's 127.0.0.1 is 10.0.2.2 to the guest), runs the script and powers off. Typical
 * script: {@code mount -t 9p -o trans=tcp,port=5640 10.0.2.2 /mnt && ls /mnt}.
 *
 * <p>Use {@link #require()} or {@link #requireDebian()} in a {@code @BeforeAll}: when the guest or QEMU is
 * missing the tests are skipped, or fail if the system property {@code k9p.kernel.required=true} is set (CI
 * sets it, so that a broken install cannot pass as a skip).
 */
public final class GuestVm {

    /** Where the test JVM learns that a missing guest is a failure, not a reason to skip. */
    public static final String REQUIRED_PROPERTY = "k9p.kernel.required";

    private static final String QEMU = "qemu-system-x86_64";
    private static final String BEGIN = "<<k9p-guest: script begins>>";
    private static final String END = "<<k9p-guest: script ended, status ";
    private static final int LOG_TAIL_LINES = 60;
    /**
     * Where the run's archive puts busybox, whose applets /init uses in both userlands (Debian's minbase has
     * no insmod, ip or arping), and the modules: a directory of its own, since the Debian archive's /bin and
     * /lib are symlinks into /usr that an entry of another type, such as a directory, would replace.
     */
    private static final String OWN_DIR = "k9p";
    private static final String BUSYBOX = OWN_DIR + "/busybox";
    /**
     * Guest memory. Debian's userland (~145 MB) is unpacked into the rootfs, a tmpfs that may fill half of
     * RAM, while the archive itself stays in RAM until unpacked; busybox alone needs little.
     */
    private static final int BUSYBOX_MEMORY_MIB = 512;
    private static final int DEBIAN_MEMORY_MIB = 1024;

    /**
     * What one run gave.
     *
     * @param output     what the script printed (stdout and stderr), without the CRs the serial line adds
     * @param exitStatus the script's exit status
     * @param consoleLog the guest's whole console (CRs stripped too): firmware, kernel and /init messages and
     *                   the script's output; for diagnostics
     */
    public record Result(String output, int exitStatus, String consoleLog) {}

    private final Path guestDir;
    private final Path qemu;
    private final List<String> modules;
    /** Debian's userland archive, which the run's own is appended to; null when busybox is the userland. */
    private final Path userland;
    /** A host Unix socket the guest reaches as {@link #FORWARDED}:564, or null for none. */
    private final Path forwarded;

    /**
     * Where the guest reaches {@link #forwardingTo}'s Unix socket, over TCP port 564: QEMU connects
     * to the socket itself, as the user running the tests, so the server sees that user's
     * credentials on a Unix socket, as it would see a local kernel mount's.
     */
    public static final String FORWARDED = "10.0.2.100";

    private GuestVm(Path guestDir, Path qemu, List<String> modules, Path userland, Path forwarded) {
        this.guestDir = guestDir;
        this.qemu = qemu;
        this.modules = modules;
        this.userland = userland;
        this.forwarded = forwarded;
    }

    /**
     * This guest, with TCP connections to {@link #FORWARDED}:564 forwarded to a Unix socket that is
     * listening before the boot: one connection per boot, as QEMU's chardev connects once.
     */
    public GuestVm forwardingTo(Path unixSocket) {
        if (unixSocket.toString().contains(",")) {
            throw new IllegalArgumentException("QEMU's option syntax cannot name a path with a comma: " + unixSocket);
        }
        return new GuestVm(guestDir, qemu, modules, userland, unixSocket);
    }

    /**
     * The busybox guest, or the test is skipped (failed when {@value #REQUIRED_PROPERTY}) with how to get one.
     */
    public static GuestVm require() {
        return prepared(null);
    }

    /**
     * The guest with Debian 12's userland (GNU coreutils, grep, sed, findutils, diffutils, vim, python3, jq;
     * the script runs with its /bin/sh, dash), or the test is skipped or failed as by {@link #require()}.
     */
    public static GuestVm requireDebian() {
        Path dir = guestDir();
        Path userland = dir.resolve("userland.cpio");
        requirePrerequisite(Files.isRegularFile(dir.resolve("userland-release")) && Files.isRegularFile(userland),
                "no Debian userland in " + dir + ": run scripts/guest-userland.sh (as root, on Debian 12, after"
                        + " apt-get update and apt-get install debootstrap debian-archive-keyring cpio)");
        return prepared(userland);
    }

    private static GuestVm prepared(Path userland) {
        Path dir = guestDir();
        Path loadOrder = dir.resolve("modules/load-order");
        boolean prepared = Files.isRegularFile(dir.resolve("kernel-release"))
                && Files.isRegularFile(dir.resolve("vmlinuz"))
                && Files.isExecutable(dir.resolve("busybox"))
                && Files.isRegularFile(loadOrder);
        requirePrerequisite(prepared, "no prepared Linux guest in " + dir
                + ": run scripts/guest-kernel.sh (on Debian 12, after apt-get update and"
                + " apt-get install busybox-static qemu-system-x86), or point -Dk9p.guest.dir or K9P_GUEST_DIR at one");
        Optional<Path> qemu = onPath(QEMU);
        requirePrerequisite(qemu.isPresent(), QEMU + " is not on PATH: apt-get install qemu-system-x86");
        List<String> modules = readLines(loadOrder);
        for (String module : modules) {
            requirePrerequisite(Files.isRegularFile(dir.resolve("modules/" + module + ".ko")),
                    "the guest in " + dir + " lacks modules/" + module + ".ko: delete " + dir
                            + " and rerun scripts/guest-kernel.sh");
        }
        return new GuestVm(dir, qemu.get(), modules, userland, null);
    }

    /**
     * Skips the calling test when {@code present} is false, with {@code message} saying what is missing and
     * how to get it; fails it instead when {@value #REQUIRED_PROPERTY} is set. For the guest's prerequisites
     * and for those of a test that uses the guest (a server binary, say).
     */
    public static void requirePrerequisite(boolean present, String message) {
        if (present) {
            return;
        }
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            Assertions.fail(message + " (and -D" + REQUIRED_PROPERTY + "=true, so this fails instead of skipping)");
        }
        // Surefire's console shows neither the reason of a skip nor, when it happens in @BeforeAll, the skip.
        System.err.println("k9p: skipping tests: " + message);
        Assumptions.abort(message);
    }

    /** An executable of that name in a directory on PATH: for QEMU, and for the tools a guest test needs. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** -Dk9p.guest.dir, else $K9P_GUEST_DIR, else .cache/guest under the Maven basedir (or working dir). */
    private static Path guestDir() {
        String configured = System.getProperty("k9p.guest.dir");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("K9P_GUEST_DIR");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        // Surefire sets basedir; the working directory is the fallback for runs from an IDE.
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(base, ".cache", "guest").toAbsolutePath();
    }

    /**
     * Boots the guest, runs {@code script} with /bin/sh in it (stdin /dev/null, working directory /, an empty
     * /mnt ready for mounts) and powers it off.
     *
     * @throws IllegalStateException if the guest did not boot, did not finish the script within
     *     {@code timeout} (boot included; a boot takes about 5 s with busybox, 8 s with Debian's userland),
     *     or QEMU failed; the message carries the tail
     *     of the console log
     */
    public Result runScript(String script, Duration timeout) {
        Path work = null;
        Process process = null;
        try {
            work = Files.createTempDirectory("k9p-guest-");
            Path initramfs = work.resolve("initramfs.cpio");
            Path console = work.resolve("console.log");
            writeInitramfs(initramfs, script);
            process = new ProcessBuilder(qemu.toString(),
                    "-accel", "tcg", // the guest hangs under KVM on the machines this runs on
                    "-m", Integer.toString(userland == null ? BUSYBOX_MEMORY_MIB : DEBIAN_MEMORY_MIB),
                    "-nographic", "-no-reboot",
                    "-kernel", kernel().toString(),
                    "-initrd", initramfs.toString(),
                    // No IPv6: its multicast joins rewrite e1000's receive control register after link-up,
                    // each time stalling reception for 1 s (see init()). 10.0.2.2 is IPv4 anyway.
                    "-append", "console=ttyS0 quiet panic=-1 ipv6.disable=1",
                    // QEMU's user-mode network. Autonegotiation off brings e1000's link up at once, not ~2 s
                    // later (the driver would notice only at its next 2-second watchdog round); no option ROM,
                    // as nothing boots from the network (iPXE would only print its banner).
                    "-netdev", "user,id=net0" + (forwarded == null ? ""
                            : ",guestfwd=tcp:" + FORWARDED + ":564-unix:" + forwarded),
                    "-device", "e1000,netdev=net0,autonegotiation=off,romfile=")
                    // To a file rather than a pipe: nothing has to drain it, and a hung guest's log is there too.
                    .redirectErrorStream(true)
                    .redirectOutput(console.toFile())
                    .start();
            process.getOutputStream().close();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor();
            }
            String log = new String(Files.readAllBytes(console), StandardCharsets.UTF_8).replace("\r", "");
            if (!exited) {
                throw failure("the guest did not finish within " + timeout, log);
            }
            return parse(log, process.exitValue());
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + QEMU, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the guest ran", e);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            if (work != null) {
                deleteTree(work);
            }
        }
    }

    /**
     * The decompressed vmlinux when guest-kernel.sh could extract it: QEMU boots that ELF through the kernel's
     * PVH entry point, which skips the bzImage's self-decompression, ~4 s under TCG. Else the bzImage.
     */
    private Path kernel() {
        Path vmlinux = guestDir.resolve("vmlinux");
        return Files.isRegularFile(vmlinux) ? vmlinux : guestDir.resolve("vmlinuz");
    }

    private static Result parse(String log, int qemuStatus) {
        List<String> lines = List.of(log.split("\n", -1));
        int begin = lines.indexOf(BEGIN);
        if (begin < 0) {
            throw failure("the guest did not get as far as the script (QEMU exited with " + qemuStatus + ")", log);
        }
        for (int i = begin + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            // /init prints a newline before the end marker, so that the marker starts a line even after output
            // without a final newline; the lines before the marker, joined, are then exactly that output.
            if (line.startsWith(END) && line.endsWith(">>")) {
                int status = Integer.parseInt(line.substring(END.length(), line.length() - 2));
                return new Result(String.join("\n", lines.subList(begin + 1, i)), status, log);
            }
        }
        throw failure("the guest stopped before the script ended (QEMU exited with " + qemuStatus + ")", log);
    }

    private static IllegalStateException failure(String what, String log) {
        List<String> lines = List.of(log.split("\n"));
        List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        return new IllegalStateException(what + "; last lines of its console:\n" + String.join("\n", tail));
    }

    /**
     * The guest's /init. Before the script it waits for an ARP reply from the host: QEMU's e1000 holds back
     * received packets for 1 s after each write of its receive control register, which the driver does when
     * the interface comes up, and a script's first connection would otherwise stall for that second or time
     * out. Each marker gets a line of its own (the firmware leaves escape sequences without a newline on the
     * console). Kernel messages go quiet on the console while the script runs, so they cannot interleave
     * with its output; the ones it caused are printed after the end marker, for diagnostics.
     */
    private String init() {
        return """
                #!/bin/sh
                # The kernel starts init without PATH, which the script's programs would inherit.
                export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                bb=/%s
                fail() { echo "k9p-guest: $*"; $bb poweroff -f; }
                $bb mount -t proc proc /proc || fail "could not mount /proc"
                $bb mount -t sysfs sysfs /sys || fail "could not mount /sys"
                $bb mount -t devtmpfs devtmpfs /dev || fail "could not mount /dev"
                for m in %s; do $bb insmod /%s/modules/$m.ko || fail "insmod $m failed"; done
                $bb ip link set lo up || fail "could not bring lo up"
                $bb ip addr add 10.0.2.15/24 dev eth0 && $bb ip link set eth0 up || fail "could not configure eth0"
                $bb ip route add default via 10.0.2.2 || fail "could not add the default route"
                $bb arping -q -f -w 10 -I eth0 10.0.2.2 || fail "no ARP reply from 10.0.2.2 in 10 s"
                $bb mkdir -p /mnt /tmp
                $bb dmesg -n 1
                before=$($bb dmesg | $bb wc -l)
                echo
                echo '%s'
                /bin/sh /script </dev/null 2>&1
                status=$?
                echo
                echo "%s$status>>"
                echo "k9p-guest: kernel messages during the script:"
                $bb dmesg | $bb tail -n +$((before + 1))
                $bb poweroff -f
                """.formatted(BUSYBOX, String.join(" ", modules), OWN_DIR, BEGIN, END);
    }

    /**
     * The run's archive, after a copy of Debian's userland archive if that is the userland: QEMU loads a
     * single initrd file for a Linux kernel.
     */
    private void writeInitramfs(Path file, String script) throws IOException {
        if (userland != null) {
            Files.copy(userland, file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            // Uncompressed: the kernel unpacks plain newc directly, and the archive is only ~3 MB.
            Cpio cpio = new Cpio(out);
            for (String dir : List.of("dev", "proc", "sys", OWN_DIR, OWN_DIR + "/modules")) {
                cpio.directory(dir);
            }
            // The kernel opens /dev/console for init before /init can mount devtmpfs.
            cpio.characterDevice("dev/console", 5, 1);
            cpio.file(BUSYBOX, 0755, Files.readAllBytes(guestDir.resolve("busybox")));
            if (userland == null) {
                cpio.directory("bin");
                for (String applet : applets()) {
                    cpio.symlink("bin/" + applet, "/" + BUSYBOX);
                }
            }
            for (String module : modules) {
                cpio.file(OWN_DIR + "/modules/" + module + ".ko", 0644,
                        Files.readAllBytes(guestDir.resolve("modules/" + module + ".ko")));
            }
            cpio.file("init", 0755, init().getBytes(StandardCharsets.UTF_8));
            cpio.file("script", 0644, script.getBytes(StandardCharsets.UTF_8));
            cpio.trailer();
        }
    }

    /** The guest busybox's applets, asked of the binary itself (it runs on the host as well: it is static). */
    private List<String> applets() throws IOException {
        Process list = new ProcessBuilder(guestDir.resolve("busybox").toString(), "--list").start();
        list.getOutputStream().close();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (list.waitFor() != 0) {
                throw new IOException(guestDir.resolve("busybox") + " --list failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out.lines().filter(line -> !line.isBlank()).toList();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover temp directory is not worth failing a test over.
        }
    }

    /** Writes the "newc" cpio format, the one the kernel takes for an initramfs. */
    private static final class Cpio {
        private final OutputStream out;
        private int inode = 1;

        Cpio(OutputStream out) {
            this.out = out;
        }

        void directory(String name) throws IOException {
            entry(name, 0040755, new byte[0], 0, 0);
        }

        void file(String name, int permissions, byte[] content) throws IOException {
            entry(name, 0100000 | permissions, content, 0, 0);
        }

        void symlink(String name, String target) throws IOException {
            entry(name, 0120777, target.getBytes(StandardCharsets.UTF_8), 0, 0);
        }

        void characterDevice(String name, int major, int minor) throws IOException {
            entry(name, 0020600, new byte[0], major, minor);
        }

        void trailer() throws IOException {
            entry("TRAILER!!!", 0, new byte[0], 0, 0);
        }

        private void entry(String name, int mode, byte[] content, int rdevMajor, int rdevMinor) throws IOException {
            byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
            StringBuilder header = new StringBuilder("070701");
            int nlink = (mode & 0170000) == 0040000 ? 2 : 1;
            for (long field : new long[] {
                    inode++, mode, 0, 0, nlink, 0, content.length, 0, 0, rdevMajor, rdevMinor, nameBytes.length, 0}) {
                header.append(String.format("%08x", field));
            }
            out.write(header.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(nameBytes);
            pad(header.length() + nameBytes.length);
            out.write(content);
            pad(content.length);
        }

        /** Header plus name, and then the data, each end on a 4-byte boundary. */
        private void pad(int length) throws IOException {
            out.write(new byte[(4 - length % 4) % 4]);
        }
    }
}
