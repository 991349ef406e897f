package io.k9p.testing;

import io.k9p.kernel.GuestVm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** diod, a third-party 9P2000.L server, exporting one directory on a free port of 127.0.0.1. */
public final class Diod {
    private static final Path DIOD = Path.of("/usr/sbin/diod");

    private Diod() {
    }

    /** Starts it, or skips the test (fails it in CI) where diod is not installed. */
    public static ServerProcess export(Path directory, Path log) throws IOException, InterruptedException {
        GuestVm.requirePrerequisite(Files.isExecutable(DIOD), DIOD + " not found: apt-get install diod");
        return ServerProcess.start("diod", port -> List.of(DIOD.toString(),
                "-f",               // in the foreground, so the test owns the process
                "-n",               // no authentication: the client attaches as the local user
                "-c", "/dev/null",  // whatever /etc/diod.conf says does not apply
                "-L", "stderr",
                "-e", directory.toString(),
                "-l", "127.0.0.1:" + port), log);
    }
}
