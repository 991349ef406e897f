package io.k9p.testing;

import io.k9p.kernel.GuestVm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine's kubectl, the oracle of kubectl's behaviour: its output is what k9p's files must
 * equal. Found on the PATH; where it is missing, tests that need it skip, saying so, or fail when
 * {@value GuestVm#REQUIRED_PROPERTY} is set (CI).
 */
public final class Kubectl {
    private final Path executable;
    private final Path workDir;

    /** What one run gave; {@code out} is kept byte for byte. */
    public record Result(int exit, byte[] out, String err) {
        public String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    private Kubectl(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    /** kubectl, or the calling test is skipped (failed in CI) with how to get it. */
    public static Kubectl require(Path workDir) {
        Optional<Path> found = GuestVm.onPath("kubectl");
        GuestVm.requirePrerequisite(found.isPresent(),
                "kubectl is not on the PATH: install kubectl (Debian's package: kubernetes-client)");
        return new Kubectl(found.get(), workDir);
    }

    public Path executable() {
        return executable;
    }

    public Result run(String... args) throws IOException, InterruptedException {
        return run(List.of(args));
    }

    /** Runs kubectl with its own discovery cache under the work directory, and no input. */
    public Result run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.add("--cache-dir=" + workDir.resolve("kubectl-cache"));
        command.addAll(args);
        Path out = Files.createTempFile(workDir, "kubectl", ".out");
        Path err = Files.createTempFile(workDir, "kubectl", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
