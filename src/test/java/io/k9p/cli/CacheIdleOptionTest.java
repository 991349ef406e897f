package io.k9p.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** --cache-idle of serve and mount: a duration with its unit, refused before anything starts when it is none. */
class CacheIdleOptionTest {
    @TempDir
    Path mountPoint;

    @Test
    void durationsTakeAUnit() {
        ClusterOptions.DurationConverter durations = new ClusterOptions.DurationConverter();
        assertThat(durations.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(durations.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(durations.convert("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(durations.convert("2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aDurationWithoutUnitOrOfZeroStopsTheStart() {
        for (String bad : new String[] {"10", "0s", "ten minutes", "-5m"}) {
            StringWriter err = new StringWriter();
            CommandLine command = new CommandLine(new Main()).setErr(new PrintWriter(err));
            assertThat(command.execute("serve", "--cache-idle", bad)).as("status; stderr: %s", err).isEqualTo(2);
            assertThat(err.toString()).contains("'" + bad + "' is no duration");
        }
    }

    @Test
    void aMountOfAServersTreeHasNoCacheToSet() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main()).setErr(new PrintWriter(err));
        assertThat(command.execute("mount", "--server", "tcp:127.0.0.1:1", "--cache-idle", "1m", mountPoint.toString()))
                .as("status; stderr: %s", err).isEqualTo(2);
        assertThat(err.toString()).contains("with --server, the server's own does");
    }
}
