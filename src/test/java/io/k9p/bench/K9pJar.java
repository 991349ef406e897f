package io.k9p.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The k9p that scripts/bench has just built, target/k9p.jar, run as a child process. */
final class K9pJar {
    private static final Path JAR = Path.of("target", "k9p.jar");

    private K9pJar() {
    }

    /** {@code k9p ARGS} as a command line. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Whether {@code k9p mount} takes {@code option}, as its --help says: asked at run time, so a
     * benchmark built before an option lands measures it once it has.
     */
    static boolean mountTakes(String option) throws Exception {
        String help = ChildProcess.run(command("mount", "--help"), null, ProcessBuilder.Redirect.PIPE);
        return Pattern.compile("(^|[\\s,])" + Pattern.quote(option) + "([\\s=,]|$)", Pattern.MULTILINE)
                .matcher(help).find();
    }
}
