package io.k9p.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.k9p.net.Endpoint;
import io.k9p.testing.MemServer;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may connect to a Unix socket: another local user tries, with python3, both through the
 * socket's own mode and, with the mode opened up, against the server's SO_PEERCRED check.
 */
class PeerCredentialsTest {
    /** A Tversion for 9P2000.L with msize 8192, as bytes on the wire. */
    private static final String TVERSION = "b'\\x15\\x00\\x00\\x00\\x64\\xff\\xff\\x00\\x20\\x00\\x00\\x08\\x00"
            + "9P2000.L'";

    @TempDir
    Path work;
    private MemServer server;
    private OrdinaryUser other;
    private Path socket;

    @BeforeEach
    void start() throws Exception {
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        other = OrdinaryUser.require(work.resolve("home"));
        assumeTrue(other.isSwitchedFromRoot(), "needs root, to try as another user");
        server = new MemServer();
        socket = work.resolve("k9p.sock");
        server.server.listen(Endpoint.parse("unix:" + socket));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anotherUserCannotOpenThePrivateSocket() throws Exception {
        ProcessRun attempt = tryVersion();
        assertThat(attempt.err()).contains("PermissionError");
        assertThat(attempt.out()).doesNotContain("reply");
    }

    @Test
    void anotherUserIsRefusedByThePeerCheckEvenWhenTheSocketIsOpenedUp() throws Exception {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        ProcessRun attempt = tryVersion();
        assertThat(attempt.out()).as("%s", attempt).contains("reply 0 bytes");
    }

    /**
     * Connects as the other user, sends Tversion, and prints how many bytes came back before the end
     * (a reset or a broken pipe, the server closing before or after the request arrived, is an end too).
     */
    private ProcessRun tryVersion() throws Exception {
        String script = String.join("\n",
                "import socket",
                "s = socket.socket(socket.AF_UNIX)",
                "s.connect('" + socket + "')",
                "try:",
                "    s.sendall(" + TVERSION + ")",
                "    reply = s.recv(100)",
                "except ConnectionError:",
                "    reply = b''",
                "print('reply', len(reply), 'bytes')");
        return other.run(work, "/usr/bin/python3", "-c", script);
    }
}
