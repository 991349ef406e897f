package io.k9p.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.fs.OpenFlags;
import io.k9p.kernel.GuestVm;
import io.k9p.testing.MemServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A third-party 9P2000.L client, diod's diodls and diodcat, against the server. */
class DiodToolsTest {
    private MemServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MemServer();
        var etc = server.fileSystem.root().createDirectory("etc", 0755);
        etc.createFile("motd", 0644).open(OpenFlags.WRITE)
                .write(0, "welcome to k9p\n".getBytes(StandardCharsets.UTF_8));
        etc.createFile("empty", 0600);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void diodlsListsWithSizesAndModes() throws Exception {
        String listing = run(tool("diodls"), "-s", "127.0.0.1:" + server.port(), "-a", "/", "-l", "/etc");
        assertThat(listing.lines().filter(line -> line.endsWith(" motd")).findFirst())
                .hasValueSatisfying(line -> assertThat(line).startsWith("-rw-r--r--").contains(" 15 "));
        assertThat(listing.lines().filter(line -> line.endsWith(" empty")).findFirst())
                .hasValueSatisfying(line -> assertThat(line).startsWith("-rw-------").contains(" 0 "));
    }

    @Test
    void diodcatReadsAFileAndReportsAMissingOne() throws Exception {
        assertThat(run(tool("diodcat"), "-s", "127.0.0.1:" + server.port(), "-a", "/", "etc/motd"))
                .isEqualTo("welcome to k9p\n");
        Process missing = new ProcessBuilder(tool("diodcat").toString(), "-s", "127.0.0.1:" + server.port(),
                "-a", "/", "etc/nothing").redirectErrorStream(true).start();
        String output = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(missing.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).isNotZero();
        assertThat(output).contains("No such file or directory");
    }

    private static Path tool(String name) {
        var found = GuestVm.onPath(name).or(() -> Optional.ofNullable(sbin(name)));
        GuestVm.requirePrerequisite(found.isPresent(), name + " not found: apt-get install diod");
        return found.get();
    }

    private static Path sbin(String name) {
        Path path = Path.of("/usr/sbin", name);
        return path.toFile().canExecute() ? path : null;
    }

    private static String run(Path tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s exit status; output: %s", command, output).isZero();
        return output;
    }
}
