package io.k9p.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A command the benchmark runs to its end as a child process; its errors go to the benchmark's stderr. */
final class ChildProcess {
    private ChildProcess() {
    }

    /** {@code bash -c}, failing a pipeline whose any part fails (kubectl's error, not grep's empty output). */
    static List<String> bash(String script) {
        return List.of("bash", "-c", "set -o pipefail; " + script);
    }

    /**
     * Runs {@code command} in {@code directory} (null: the benchmark's own) and returns what it
     * printed, or "" when its output goes elsewhere than {@link ProcessBuilder.Redirect#PIPE}; a
     * non-zero exit status fails.
     */
    static String run(List<String> command, Path directory, ProcessBuilder.Redirect out)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(directory == null ? null : directory.toFile())
                .redirectOutput(out)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        process.getOutputStream().close();
        String printed = out == ProcessBuilder.Redirect.PIPE
                ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        int status = process.waitFor();
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with status " + status);
        }
        return printed;
    }
}
