package io.k9p.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the guest harness against a 9P server that is known to work with the Linux client, diod, so that
 * when a kernel test of our own server fails, the harness is not the suspect.
 */
class GuestVmTest {

    private static final Path DIOD = Path.of("/usr/sbin/diod");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private static GuestVm guest;

    private Process diod;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.require();
    }

    @AfterEach
    void stopDiod() throws InterruptedException {
        if (diod != null) {
            diod.destroyForcibly().waitFor();
        }
    }

    @Test
    void guestKernelReadsAndWritesThroughA9pMount(@TempDir Path export, @TempDir Path logs) throws Exception {
        GuestVm.requirePrerequisite(Files.isExecutable(DIOD), DIOD + " is missing: apt-get install diod");
        // diod serves each attach as the attaching user (root, in the guest), which only root may do.
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        GuestVm.requirePrerequisite(uid == 0, "this test runs diod, which must run as root to serve the guest's root");

        Files.writeString(export.resolve("from-host.txt"), "written by the host\n");
        int port = startDiod(export, logs.resolve("diod.log"));

        GuestVm.Result result = guest.runScript("""
                set -e
                mount -t 9p -o trans=tcp,port=%d,version=9p2000.L,aname=%s 10.0.2.2 /mnt
                cat /mnt/from-host.txt
                echo 'written by the guest' > /mnt/from-guest.txt
                umount /mnt
                """.formatted(port, export), TIMEOUT);

        String diagnostics = result.consoleLog() + "\ndiod's log:\n" + Files.readString(logs.resolve("diod.log"));
        assertThat(result.exitStatus()).as(diagnostics).isZero();
        assertThat(result.output()).as(diagnostics).isEqualTo("written by the host\n");
        assertThat(export.resolve("from-guest.txt")).as(diagnostics).hasContent("written by the guest");
    }

    @Test
    void reportsTheScriptsOutputAndExitStatus() {
        GuestVm.Result result = guest.runScript("printf 'no final newline'; echo ' to stderr' >&2; exit 3", TIMEOUT);

        assertThat(result.exitStatus()).as(result.consoleLog()).isEqualTo(3);
        assertThat(result.output()).isEqualTo("no final newline to stderr\n");
    }

    /** Starts diod exporting {@code export} on a free loopback port; returns the port once diod accepts. */
    private int startDiod(Path export, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        diod = new ProcessBuilder(DIOD.toString(),
                "-f",                    // stay in the foreground, so we own the process
                "-n",                    // no authentication: the guest attaches as plain root
                "-c", "/dev/null",       // ignore any /etc/diod.conf on this machine
                "-L", "stderr",
                "-e", export.toString(),
                "-l", "127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return port;
            } catch (IOException notYet) {
                if (!diod.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("diod did not start listening on port " + port + ":\n"
                            + Files.readString(log), notYet);
                }
                Thread.sleep(50);
            }
        }
    }
}
