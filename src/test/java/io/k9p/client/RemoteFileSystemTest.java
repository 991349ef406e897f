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
import io.k9p.fs.Waiting;
import io.k9p.memfs.MemDirectory;
import io.k9p.protocol.Errno;
import io.k9p.testing.FileContents;
import io.k9p.testing.MemServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A k9p memfs server's tree through RemoteFileSystem, checked against the tree itself. */
class RemoteFileSystemTest {
    private static final OpenFlags READ_WRITE = new OpenFlags(true, true, false, false);
    private static final OpenFlags APPEND = new OpenFlags(false, true, false, true);
    private static final OpenFlags TRUNCATE = new OpenFlags(false, true, true, false);

    private MemServer server;
    private MemDirectory served;
    private RemoteFileSystem remote;
    private Directory root;

    @BeforeEach
    void start() throws Exception {
        server = new MemServer();
        served = server.fileSystem.root();
        remote = new RemoteFileSystem(NinePClient.connect(server.endpoint));
        root = remote.attach(Identity.OWNER, "");
    }

    @AfterEach
    void stop() {
        remote.close();
        server.close();
    }

    @Test
    void filesWrittenRemotelyAreOnTheServerAndReadBack() throws Exception {
        Directory docs = root.createDirectory("docs", 0750);
        File created = docs.createFile("notes.txt", 0640);
        assertThat(created.attributes().permissions()).isEqualTo(0640);
        assertThat(created.attributes().size()).isZero();
        write(created, OpenFlags.WRITE, "hello\n");

        assertThat(read(served.lookup("docs"), "notes.txt")).isEqualTo("hello\n");
        Node found = root.lookup("docs");
        assertThat(found).isInstanceOf(Directory.class);
        assertThat(found.id()).isEqualTo(served.lookup("docs").id());
        File notes = (File) ((Directory) found).lookup("notes.txt");
        assertThat(notes.name()).isEqualTo("notes.txt");
        assertThat(notes.attributes().size()).isEqualTo(6);
        assertThat(read(notes)).isEqualTo("hello\n");

        write(notes, APPEND, "again\n");
        assertThat(read(notes)).isEqualTo("hello\nagain\n");
        write(notes, TRUNCATE, "new");
        assertThat(read(notes)).isEqualTo("new");
        assertThat(notes.attributes().size()).as("no stale size after a write").isEqualTo(3);
    }

    @Test
    void writesLargerThanOneMessageAreSplitAndReadsAreJoined() throws Exception {
        try (RemoteFileSystem small = new RemoteFileSystem(NinePClient.connect(server.endpoint, 8192, Duration.ofSeconds(5)))) {
            File file = small.attach(Identity.OWNER, "").createFile("big", 0644);
            byte[] data = new byte[3 << 20];
            new Random(7).nextBytes(data);
            OpenFile open = file.open(READ_WRITE);
            assertThat(open.write(0, data)).isEqualTo(data.length);
            byte[] back = open.read(0, data.length);
            open.close();
            assertThat(back).isEqualTo(data);
            assertThat(served.lookup("big").attributes().size()).isEqualTo(data.length);
            assertThat(FileContents.readAll(((File) served.lookup("big")).open(OpenFlags.READ))).isEqualTo(data);
        }
    }

    /**
     * FUSE answers a release on the thread that received it, where nothing may wait, and asks
     * again from a thread of its own when the close would wait: that second close must still clunk,
     * or the server keeps the stream open, and feeding it, until the connection ends.
     */
    @Test
    void aCloseThatWouldWaitStillClunksWhenAskedAgainWhereItMayWait() throws Exception {
        OpenFile open = ((File) root.lookup("stream")).open(OpenFlags.READ);
        assertThat(open.blocking()).isTrue();
        assertThat(server.stream.openStreams()).as("opens of the stream at the server").isEqualTo(1);

        assertThatThrownBy(() -> Waiting.quickly(() -> {
            open.close();
            return null;
        })).isInstanceOf(Waiting.WouldWait.class);
        open.close();
        assertThat(server.stream.openStreams()).as("opens of the stream at the server once closed").isZero();
    }

    @Test
    void renameAndRemoveChangeTheServersTree() throws Exception {
        Directory a = root.createDirectory("a", 0755);
        Directory b = root.createDirectory("b", 0755);
        write(a.createFile("f", 0644), OpenFlags.WRITE, "moving");
        a.rename("f", a, "g");
        assertThat(((MemDirectory) served.lookup("a")).list()).extracting(Node::name).containsExactly("g");
        a.rename("g", b, "h");
        assertThat(((MemDirectory) served.lookup("a")).list()).isEmpty();
        assertThat(read(served.lookup("b"), "h")).isEqualTo("moving");

        assertThatThrownBy(() -> root.remove("b"))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOTEMPTY));
        b.remove("h");
        root.remove("b");
        root.remove("a");
        assertThat(served.list()).extracting(Node::name).doesNotContain("a", "b");
        assertThatThrownBy(() -> root.remove("a"))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void serverErrorsKeepTheirErrno() throws Exception {
        root.createDirectory("d", 0755);
        assertThatThrownBy(() -> root.createDirectory("d", 0755))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
        assertThatThrownBy(() -> root.createFile("d", 0644))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
        assertThatThrownBy(() -> root.lookup("nothing"))
                .isInstanceOfSatisfying(FsException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.getMessage()).contains(server.endpoint.toString());
                });
        // The control file refuses what is not a number at the write itself.
        File number = (File) root.lookup("number");
        OpenFile open = number.open(OpenFlags.WRITE);
        assertThatThrownBy(() -> open.write(0, "abc".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        open.close();
        assertThat(server.number.value()).isEqualTo(3);
        assertThatThrownBy(() -> root.rename("d", server.fileSystem.root(), "e"))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EXDEV));
    }

    @Test
    void listingCarriesEachChildsAttributes() throws Exception {
        int count = 3000;
        MemDirectory many = (MemDirectory) served.createDirectory("many", 0755);
        for (int i = 0; i < count; i++) {
            write(many.createFile("file-%04d".formatted(i), 0644), OpenFlags.WRITE, "x".repeat(i % 100));
        }
        many.createDirectory("sub", 0700);
        List<Node> listed = ((Directory) root.lookup("many")).list();
        assertThat(listed).hasSize(count + 1);
        assertThat(listed).extracting(Node::name).startsWith("file-0000", "file-0001").endsWith("sub");
        for (int i = 0; i < count; i++) {
            assertThat(listed.get(i)).isInstanceOf(File.class);
            assertThat(listed.get(i).id()).isEqualTo(many.lookup("file-%04d".formatted(i)).id());
        }
        Node last = listed.get(count - 1);
        Node sub = listed.get(count);
        assertThat(sub).isInstanceOf(Directory.class);
        assertThat(sub.attributes().permissions()).isEqualTo(0700);

        // The attributes came with the listing: a change on the server shows only once they are
        // no longer fresh, so attributes() did not ask the server before.
        write((File) many.lookup(last.name()), OpenFlags.WRITE, "y".repeat(500));
        assertThat(last.attributes().size()).isEqualTo((count - 1) % 100);
        Thread.sleep(FetchedAttributes.FRESH.toMillis() + 100);
        assertThat(last.attributes().size()).isEqualTo(500);
        awaitFids(1);
    }

    @Test
    void permissionsAndTimesAreSet() throws Exception {
        File file = root.createFile("f", 0644);
        file.setPermissions(0600);
        assertThat(file.attributes().permissions()).isEqualTo(0600);
        assertThat(served.lookup("f").attributes().permissions()).isEqualTo(0600);
        Instant when = Instant.parse("2020-02-02T20:20:20.123456789Z");
        file.setModified(when);
        assertThat(served.lookup("f").attributes().modified()).isEqualTo(when);
        assertThat(file.attributes().modified()).isEqualTo(when);

        OpenFile open = file.open(OpenFlags.WRITE);
        open.write(0, "0123456789".getBytes(StandardCharsets.UTF_8));
        open.truncate(4);
        open.sync();
        open.close();
        assertThat(read(file)).isEqualTo("0123");
        assertThatThrownBy(() -> open.read(0, 1))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }

    @Test
    void anUnopenedFileTruncatesAndAFlushSyncsOnlyWhatWasWritten() throws Exception {
        File file = root.createFile("t", 0644);
        write(file, OpenFlags.WRITE, "0123456789");
        file.truncate(4);
        assertThat(read(served, "t")).isEqualTo("0123");

        // The control file would take a sync after the truncation alone for an empty value, and refuse it.
        OpenFile open = ((File) root.lookup("number")).open(TRUNCATE);
        open.flush();
        open.write(0, "7\n".getBytes(StandardCharsets.UTF_8));
        open.flush();
        open.close();
        assertThat(server.number.value()).isEqualTo(7);
    }

    @Test
    void aNodeWhosePathNowLeadsElsewhereIsStale() throws Exception {
        write(served.createFile("f", 0644), OpenFlags.WRITE, "first");
        Directory dir = root.createDirectory("dir", 0755);
        File f = (File) root.lookup("f");
        served.remove("f");
        write(served.createFile("f", 0644), OpenFlags.WRITE, "second");
        assertThatThrownBy(() -> f.open(OpenFlags.READ))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESTALE));
        assertThat(read((File) root.lookup("f"))).isEqualTo("second");

        served.rename("dir", served, "moved");
        assertThatThrownBy(() -> dir.lookup("anything"))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESTALE));
        assertThatThrownBy(() -> ((Directory) root.lookup("moved")).lookup("anything"))
                .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }

    private void awaitFids(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (remote.client().fidsInUse() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(remote.client().fidsInUse()).as("fids in use").isEqualTo(expected);
    }

    private static void write(File file, OpenFlags flags, String content) throws FsException {
        OpenFile open = file.open(flags);
        assertThat(open.write(0, content.getBytes(StandardCharsets.UTF_8))).isEqualTo(content.length());
        open.close();
    }

    private static String read(File file) throws Exception {
        return new String(FileContents.read(file), StandardCharsets.UTF_8);
    }

    private static String read(Node directory, String name) throws Exception {
        return read((File) ((Directory) directory).lookup(name));
    }

}
