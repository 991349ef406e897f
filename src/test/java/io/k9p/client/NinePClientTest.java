package io.k9p.client;

import io.k9p.auth.Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Errno;
import io.k9p.testing.MemServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection: negotiation, many requests at once, flush on interrupt, a server that goes away. */
class NinePClientTest {
    private MemServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MemServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void msizeIsWhatTheServerOffersUpToWhatWasAsked() throws Exception {
        try (NinePClient asked = NinePClient.connect(server.endpoint, 65536, Duration.ofSeconds(5));
             NinePClient defaults = NinePClient.connect(server.endpoint)) {
            assertThat(asked.msize()).isEqualTo(65536);
            assertThat(asked.ioSize()).isEqualTo(65536 - 24);
            assertThat(defaults.msize()).isEqualTo(1 << 20);
        }
    }

    @Test
    void errorRepliesCarryTheServersErrno() throws Exception {
        try (NinePClient client = NinePClient.connect(server.endpoint)) {
            Fid root = client.attach("tester", "", 0);
            assertThatThrownBy(() -> client.walk(root, List.of("missing")))
                    .isInstanceOfSatisfying(IncompleteWalkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                        assertThat(e.walked()).isEmpty();
                    });
            client.mkdir(root, "dir", 0755, 0);
            assertThatThrownBy(() -> client.mkdir(root, "dir", 0755, 0))
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
            // A walk that stops after the first name names the one that is missing.
            assertThatThrownBy(() -> client.walk(root, List.of("dir", "nope", "deeper")))
                    .isInstanceOfSatisfying(IncompleteWalkException.class, e -> {
                        assertThat(e.walked()).hasSize(1);
                        assertThat(e.getMessage()).contains("dir/nope");
                    });
            assertThat(client.fidsInUse()).isEqualTo(1);
        }
    }

    @Test
    void walksDeeperThanSixteenNamesTakeSeveralTwalks() throws Exception {
        Directory directory = server.fileSystem.root();
        List<String> path = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            directory = directory.createDirectory("d" + i, 0755);
            path.add("d" + i);
        }
        try (NinePClient client = NinePClient.connect(server.endpoint)) {
            Fid root = client.attach("tester", "", 0);
            Fid deep = client.walk(root, path);
            assertThat(deep.qid().path()).isEqualTo(directory.id());
            client.clunk(deep);
            List<String> broken = new ArrayList<>(path);
            broken.set(30, "missing");
            assertThatThrownBy(() -> client.walk(root, broken))
                    .isInstanceOfSatisfying(IncompleteWalkException.class, e -> assertThat(e.walked()).hasSize(30));
            awaitFids(client, 1);
        }
    }

    @Test
    void manyThreadsReadAtOnceAndEachGetsItsOwnAnswer() throws Exception {
        int files = 32;
        for (int i = 0; i < files; i++) {
            write(server.fileSystem.root().createFile("file-" + i, 0644), content(i));
        }
        try (RemoteFileSystem remote = new RemoteFileSystem(NinePClient.connect(server.endpoint));
             ExecutorService threads = Executors.newFixedThreadPool(files)) {
            Directory root = remote.attach(Identity.OWNER, "");
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < files; t++) {
                int thread = t;
                results.add(threads.submit(() -> {
                    int checked = 0;
                    for (int round = 0; round < 100; round++) {
                        int i = (thread + round) % files;
                        OpenFile open = ((File) root.lookup("file-" + i)).open(OpenFlags.READ);
                        try {
                            assertThat(new String(open.read(0, 1 << 16), StandardCharsets.UTF_8)).isEqualTo(content(i));
                        } finally {
                            open.close();
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(100);
            }
            awaitFids(remote.client(), 1);
        }
    }

    @Test
    void interruptingABlockedReadFlushesItAndTheConnectionGoesOn() throws Exception {
        try (RemoteFileSystem remote = new RemoteFileSystem(NinePClient.connect(server.endpoint))) {
            Directory root = remote.attach(Identity.OWNER, "");
            OpenFile stream = ((File) root.lookup("stream")).open(OpenFlags.READ);
            assertThat(stream.blocking()).isTrue();
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    outcome.complete(new AssertionError("read returned " + stream.read(0, 4096).length + " bytes"));
                } catch (Throwable e) {
                    outcome.complete(e);
                }
            });
            server.stream.awaitBlockedReads(1);
            long interrupted = System.nanoTime();
            reader.interrupt();
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(2));
            // The Tflush reached the server, which ended its read.
            server.stream.awaitBlockedReads(0);
            assertThat(server.stream.abortedReads()).isEqualTo(1);

            // The connection goes on: the same open reads what comes next, and other files read.
            server.stream.publish("after");
            assertThat(new String(stream.read(0, 4096), StandardCharsets.UTF_8)).isEqualTo("after\n");
            stream.close();
            assertThat(root.lookup("number").attributes().size()).isEqualTo(2);
            assertThat(remote.client().closed()).isNotDone();
        }
    }

    @Test
    void aServerThatGoesAwayFailsEveryWaitingAndLaterCallWithEio() throws Exception {
        try (RemoteFileSystem remote = new RemoteFileSystem(NinePClient.connect(server.endpoint))) {
            Directory root = remote.attach(Identity.OWNER, "");
            List<CompletableFuture<Throwable>> outcomes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                OpenFile stream = ((File) root.lookup("stream")).open(OpenFlags.READ);
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> {
                    try {
                        outcome.complete(new AssertionError("read returned " + stream.read(0, 4096).length + " bytes"));
                    } catch (Throwable e) {
                        outcome.complete(e);
                    }
                });
                outcomes.add(outcome);
            }
            server.stream.awaitBlockedReads(3);
            long closed = System.nanoTime();
            server.close();
            for (CompletableFuture<Throwable> outcome : outcomes) {
                assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(FsException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EIO);
                    assertThat(e.getMessage()).contains("9P server " + server.endpoint);
                });
            }
            assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThan(Duration.ofSeconds(2));
            assertThat(remote.client().closed()).isDone();
            assertThatThrownBy(() -> root.lookup("number"))
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
        }
    }

    @Test
    void closingTheClientFailsItsWaitingCalls() throws Exception {
        RemoteFileSystem remote = new RemoteFileSystem(NinePClient.connect(server.endpoint));
        OpenFile stream = ((File) remote.attach(Identity.OWNER, "").lookup("stream")).open(OpenFlags.READ);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                stream.read(0, 4096);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        server.stream.awaitBlockedReads(1);
        remote.close();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(FsException.class,
                e -> assertThat(e.getMessage()).contains("closed by this client"));
        // The server saw the connection end and let go of the read.
        server.stream.awaitBlockedReads(0);
    }

    @Test
    void connectingToNothingFailsAtOnceAndToASilentServerWithinTheTimeout() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        assertThatThrownBy(() -> NinePClient.connect(new Endpoint.Tcp("127.0.0.1", closedPort)))
                .isInstanceOfSatisfying(FsException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED);
                    assertThat(e.getMessage()).contains("tcp:127.0.0.1:" + closedPort);
                });
        // A listener that never accepts: the kernel completes the connect, and Tversion goes unanswered.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> NinePClient.connect(new Endpoint.Tcp("127.0.0.1", silent.getLocalPort()),
                    NinePClient.DEFAULT_MSIZE, Duration.ofMillis(500)))
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ETIMEDOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void connectsOverAUnixSocket(@TempDir Path dir) throws Exception {
        Endpoint unix = server.server.listen(Endpoint.parse("unix:" + dir.resolve("k9p.sock")));
        write(server.fileSystem.root().createFile("hello", 0644), "over a unix socket\n");
        try (RemoteFileSystem remote = new RemoteFileSystem(NinePClient.connect(unix))) {
            OpenFile open = ((File) remote.attach(Identity.OWNER, "").lookup("hello")).open(OpenFlags.READ);
            assertThat(new String(open.read(0, 100), StandardCharsets.UTF_8)).isEqualTo("over a unix socket\n");
            open.close();
        }
    }

    private static String content(int i) {
        return ("file " + i + "\n").repeat(i + 1);
    }

    private static void write(File file, String content) throws FsException {
        OpenFile open = file.open(OpenFlags.WRITE);
        open.write(0, content.getBytes(StandardCharsets.UTF_8));
        open.close();
    }

    /** Clunks go out without waiting; their numbers come back with the answers. */
    private static void awaitFids(NinePClient client, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (client.fidsInUse() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(client.fidsInUse()).as("fids in use").isEqualTo(expected);
    }
}
