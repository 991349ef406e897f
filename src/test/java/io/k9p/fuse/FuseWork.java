package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Where a FUSE test works: a directory every user may enter, the ordinary user's home in it, and the
 * copy of k9p that user runs. The test is skipped (failed in CI) where the user cannot mount with FUSE.
 */
record FuseWork(Path directory, OrdinaryUser user, K9pCommand k9p) {
    static FuseWork prepare(String prefix) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        OrdinaryUser user = OrdinaryUser.require(directory.resolve("home"));
        MountProcess.requireFuse(user);
        return new FuseWork(directory, user, K9pCommand.copiedTo(directory.resolve("k9p"), user));
    }

    /**
     * Removes the directory, never going into a mount that failed to go (-xdev, --one-file-system): that
     * would delete the cluster's objects through it. Copies of the tree's read-only directories are made
     * writable first, or a JVM that is not root could not empty them.
     */
    void remove() throws IOException, InterruptedException {
        ProcessRun removed = ProcessRun.of(new ProcessBuilder("sh", "-c",
                "find \"$1\" -xdev -type d -exec chmod u+w {} + ; rm -rf --one-file-system \"$1\"",
                "sh", directory.toString()), Duration.ofMinutes(1));
        assertThat(removed.exit()).as("removing %s: %s", directory, removed).isZero();
    }
}
