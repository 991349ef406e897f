package io.k9p.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's view of the mount table (/proc/self/mountinfo). */
final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    /** Whether something is mounted on {@code directory} (an absolute path without spaces or symlinks). */
    static boolean contains(Path directory) throws IOException {
        String wanted = directory.toAbsolutePath().normalize().toString();
        try (var lines = Files.lines(MOUNTINFO)) {
            // the fifth field is the mount point
            return lines.map(line -> line.split(" ")).anyMatch(fields -> fields.length > 4 && fields[4].equals(wanted));
        }
    }
}
