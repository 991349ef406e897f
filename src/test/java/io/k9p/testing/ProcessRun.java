package io.k9p.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one run of a host command gave: its exit status, its output and error text, and how long it
 * took. Its {@code toString} is the whole of it, for assertion messages.
 */
public record ProcessRun(int exit, String out, String err, Duration elapsed) {

    /**
     * Runs the command with no input, its output collected in files (nothing has to drain a pipe), and
     * waits for it; a command still running after {@code limit} is killed with its children, and fails
     * the calling test.
     */
    public static ProcessRun of(ProcessBuilder builder, Duration limit) throws IOException, InterruptedException {
        Path out = Files.createTempFile("k9p-run", ".out");
        Path err = Files.createTempFile("k9p-run", ".err");
        try {
            long start = System.nanoTime();
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", builder.command()) + " did not end within " + limit
                        + "; its stderr: " + Files.readString(err, StandardCharsets.UTF_8));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new ProcessRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), elapsed);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The output's lines. */
    public List<String> lines() {
        return out.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exit + " after " + elapsed.toMillis() + " ms; stdout:\n" + out + "stderr:\n" + err;
    }
}
