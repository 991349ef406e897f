package io.k9p.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The kubectl that the cluster benchmarks compare k9p with, pointed at the benchmark's API server. */
record Kubectl(Path binary, Path kubeconfig) {
    static final Path DEFAULT = Path.of("/usr/bin/kubectl");

    /** kubectl's client version, or the benchmark {@code program} stops here saying what is missing. */
    static String version(Path binary, String program) throws IOException, InterruptedException {
        if (!Files.isExecutable(binary)) {
            System.err.println(program + ": " + binary + " not found or not executable: install kubectl,"
                    + " or name one with --kubectl PATH");
            System.exit(1);
        }
        try {
            String out = ChildProcess.run(List.of(binary.toString(), "version", "--client"), null,
                    ProcessBuilder.Redirect.PIPE);
            return out.lines().findFirst().orElse("?");
        } catch (IllegalStateException e) {
            // kubectl's own message is above, on stderr
            System.err.println(program + ": " + e.getMessage());
            System.exit(1);
            throw e;
        }
    }

    /**
     * kubectl with {@code args}, against the benchmark's API server, keeping its discovery cache in
     * {@code cacheDirectory}: a directory that does not exist yet makes a cold run.
     */
    List<String> command(Path cacheDirectory, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cacheDirectory.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** {@link #command} for a shell, quoted; {@code rest} follows as it is (arguments, pipes). */
    String shell(Path cacheDirectory, String rest) {
        return command(cacheDirectory).stream().map(Kubectl::quote).collect(Collectors.joining(" ")) + " " + rest;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
