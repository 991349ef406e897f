package io.k9p.client;

import io.k9p.auth.Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import io.k9p.testing.Diod;
import io.k9p.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A third-party 9P2000.L server, diod exporting a directory, through RemoteFileSystem. */
class DiodRemoteTest {
    private static final OpenFlags TRUNCATE = new OpenFlags(false, true, true, false);

    @TempDir
    Path work;
    private Path export;
    private ServerProcess diod;
    private RemoteFileSystem remote;
    private Directory root;

    @BeforeEach
    void start() throws Exception {
        export = Files.createDirectory(work.resolve("export"));
        diod = Diod.export(export, work.resolve("diod.log"));
        remote = new RemoteFileSystem(NinePClient.connect(diod.endpoint()));
        root = remote.attach(Identity.OWNER, export.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (remote != null) {
            remote.close();
        }
        if (diod != null) {
            // diod can crash on SIGTERM while it ends the connection just closed; its shutdown is not under test.
            diod.kill();
        }
    }

    @Test
    void filesWrittenRemotelyAreOnDiskAndReadBack() throws Exception {
        Files.writeString(export.resolve("motd"), "from the disk\n");
        assertThat(read((File) root.lookup("motd"))).isEqualTo("from the disk\n");
        assertThat(root.lookup("motd").attributes().size()).isEqualTo(14);

        File created = root.createFile("notes", 0640);
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        OpenFile open = created.open(TRUNCATE);
        assertThat(open.write(0, data)).isEqualTo(data.length);
        open.sync();
        open.close();
        assertThat(Files.readAllBytes(export.resolve("notes"))).isEqualTo(data);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.resolve("notes"))))
                .isEqualTo("rw-r-----");
        OpenFile again = ((File) root.lookup("notes")).open(OpenFlags.READ);
        assertThat(again.read(0, data.length)).isEqualTo(data);
        again.close();
    }

    @Test
    void directoriesRenamesAndRemovalsHappenOnDisk() throws Exception {
        Directory dir = root.createDirectory("dir", 0755);
        assertThat(export.resolve("dir")).isDirectory();
        write(dir.createFile("a", 0644), "moved\n");
        dir.rename("a", root, "b");
        assertThat(export.resolve("dir/a")).doesNotExist();
        assertThat(export.resolve("b")).hasContent("moved");
        assertThat(root.list()).extracting(Node::name).containsExactlyInAnyOrder("dir", "b");
        Node listed = root.list().stream().filter(n -> n.name().equals("b")).findFirst().orElseThrow();
        assertThat(listed.attributes().size()).isEqualTo(6);

        write(dir.createFile("c", 0644), "x");
        assertThatThrownBy(() -> root.remove("dir"))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTEMPTY));
        dir.remove("c");
        root.remove("dir");
        root.remove("b");
        assertThat(export).isEmptyDirectory();
        assertThatThrownBy(() -> root.lookup("b"))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void permissionsTimesAndTruncationReachTheFile() throws Exception {
        File file = root.createFile("f", 0644);
        write(file, "0123456789");
        OpenFile open = file.open(OpenFlags.WRITE);
        open.truncate(3);
        open.close();
        file.setPermissions(0600);
        Instant when = Instant.parse("2021-03-04T05:06:07Z");
        file.setModified(when);
        assertThat(export.resolve("f")).hasContent("012");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(export.resolve("f"))))
                .isEqualTo("rw-------");
        assertThat(Files.getLastModifiedTime(export.resolve("f")).toInstant()).isEqualTo(when);
        assertThat(file.attributes().modified()).isEqualTo(when);
        assertThat(file.attributes().permissions()).isEqualTo(0600);
    }

    private static void write(File file, String content) throws FsException {
        OpenFile open = file.open(TRUNCATE);
        open.write(0, content.getBytes(StandardCharsets.UTF_8));
        open.close();
    }

    private static String read(File file) throws Exception {
        OpenFile open = file.open(OpenFlags.READ);
        try {
            return new String(open.read(0, 1 << 20), StandardCharsets.UTF_8);
        } finally {
            open.close();
        }
    }
}
