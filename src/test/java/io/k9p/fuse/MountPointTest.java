package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks of a directory to mount on, against this machine's own mount table. */
class MountPointTest {
    @TempDir
    Path work;

    @Test
    void anEmptyDirectoryCanBeMountedOn() throws Exception {
        MountPoint.check(Files.createDirectory(work.resolve("empty")));
        assertThat(MountPoint.mountOn(work.toRealPath())).isEmpty();
    }

    @Test
    void aMountPointIsFoundInTheMountTableAndRefusedAsAlreadyMounted() throws Exception {
        assertThat(MountPoint.mountOn(Path.of("/proc"))).hasValueSatisfying(mount -> assertThat(mount.type()).isEqualTo("proc"));
        assertThatThrownBy(() -> MountPoint.check(Path.of("/proc")))
                .hasMessage("/proc is already mounted (proc, proc): mount on another directory");
    }

    @Test
    void aDirectoryThatHoldsFilesIsRefusedWithTheirNames() throws Exception {
        Path notes = Files.createDirectory(work.resolve("notes"));
        for (String name : new String[] {"e", "d", "c", "b", "a"}) {
            Files.writeString(notes.resolve(name), name);
        }
        assertThatThrownBy(() -> MountPoint.check(notes)).hasMessage(notes + " is not empty (a, b, c and 2 more):"
                + " a mount would hide what it holds until it ends; mount on an empty directory");
    }

    @Test
    void aMissingDirectoryOrAFileIsRefusedWithWhatToDo() throws Exception {
        Path missing = work.resolve("missing");
        assertThatThrownBy(() -> MountPoint.check(missing))
                .hasMessage(missing + " does not exist (create it with: mkdir -p " + missing + ")");
        Path file = Files.writeString(work.resolve("file"), "x");
        assertThatThrownBy(() -> MountPoint.check(file)).hasMessage(file + " is not a directory");
    }
}
