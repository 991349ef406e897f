package io.k9p.fuse;

import io.k9p.kernel.GuestVm;
import io.k9p.testing.OrdinaryUser;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The k9p command line as the ordinary user runs it: the test JVM's java, and a copy of the test's
 * classpath in a directory everyone may read, as the originals (the build directory, Maven's
 * repository in root's home) may be private to the JVM's user.
 */
final class K9pCommand {
    private final Path java;
    private final String classpath;

    private K9pCommand(Path java, String classpath) {
        this.java = java;
        this.classpath = classpath;
    }

    /**
     * Copies the classpath into {@code directory}; the calling test is skipped (failed in CI) when the
     * user cannot run the JVM's java.
     */
    static K9pCommand copiedTo(Path directory, OrdinaryUser user) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        GuestVm.requirePrerequisite(user.run(user.home(), "test", "-x", java.toString()).exit() == 0,
                user.name() + " cannot run " + java + ": run the tests with a JDK 25 that every user may read,"
                        + " such as one under /usr/lib/jvm");
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        String[] original = System.getProperty("java.class.path").split(File.pathSeparator);
        for (int i = 0; i < original.length; i++) {
            Path source = Path.of(original[i]);
            if (Files.exists(source)) {
                // Numbered, as two jars of different artifacts may have the same file name.
                Path target = directory.resolve(i + "-" + source.getFileName());
                copyReadable(source, target);
                entries.add(target.toString());
            }
        }
        return new K9pCommand(java, String.join(File.pathSeparator, entries));
    }

    private static void copyReadable(Path source, Path target) throws IOException {
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path from : (Iterable<Path>) tree::iterator) {
                Path to = target.resolve(source.relativize(from).toString());
                boolean directory = Files.isDirectory(from);
                if (directory) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(directory ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /**
     * {@code k9p ARGUMENTS...}, as the k9p launcher runs it (FUSE's binding needs native access), with
     * every signal's default action, as a shell in a terminal starts it: a JVM that inherits SIGINT
     * ignored (a test run started in the background, as a shell starts {@code cmd &}) keeps it ignored.
     */
    List<String> line(List<String> arguments) {
        List<String> line = new ArrayList<>(List.of("/usr/bin/env", "--default-signal", java.toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "io.k9p.cli.Main"));
        line.addAll(arguments);
        return line;
    }
}
