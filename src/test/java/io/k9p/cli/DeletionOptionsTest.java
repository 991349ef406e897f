package io.k9p.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The options of the stop on bursts of deletions: checked before anything starts. */
class DeletionOptionsTest {
    @TempDir
    Path mountPoint;

    @Test
    void aWindowUnderASecondOrANegativeBurstStopsTheStart() {
        assertThat(refusal("mount", "--deletion-window", "0", mountPoint.toString()))
                .contains("--deletion-window: at least 1 second, not 0");
        assertThat(refusal("mount", "--deletion-burst", "-1", mountPoint.toString()))
                .contains("--deletion-burst: not a number of deletions: -1");
    }

    @Test
    void aMountOfAServersTreeTakesNoneOfTheirs() {
        assertThat(refusal("mount", "--server", "tcp:127.0.0.1:1", "--deletion-burst", "100", mountPoint.toString()))
                .contains("with --server, the server's own do");
    }

    /** What the command says on stderr when it refuses its options (status 2). */
    private static String refusal(String... arguments) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main()).setErr(new PrintWriter(err));
        assertThat(command.execute(arguments)).as("status; stderr: %s", err).isEqualTo(2);
        return err.toString();
    }
}
