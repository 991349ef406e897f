package io.k9p.server;

import static io.k9p.testing.RawClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.fs.FsException;
import io.k9p.fs.OpenFlags;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.Errno;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.Qid;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import io.k9p.testing.MemServer;
import io.k9p.testing.RawClient;
import io.k9p.testing.WaitingDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The server's protocol behaviour, seen by a client over loopback TCP. */
class ServerProtocolTest {
    private static final int ROOT = 0;
    private MemServer server;

    @BeforeEach
    void start() throws Exception {
        server = new MemServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---------------------------------------------------------------- version negotiation

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void negotiatesEachDialect(Dialect dialect) throws Exception {
        try (RawClient client = RawClient.connectRaw(server.endpoint)) {
            Rmessage.Version reply = expect(client.version(65536, dialect.version()), Rmessage.Version.class);
            assertThat(reply.version()).isEqualTo(dialect.version());
            assertThat(reply.msize()).isEqualTo(65536);
        }
    }

    @Test
    void unknownExtensionFallsBackToPlain9P2000AndOtherVersionsAreUnknown() throws Exception {
        try (RawClient client = RawClient.connectRaw(server.endpoint)) {
            assertThat(expect(client.version(8192, "9P2000.x"), Rmessage.Version.class).version())
                    .isEqualTo("9P2000");
            assertThat(expect(client.version(8192, "9P1999"), Rmessage.Version.class).version())
                    .isEqualTo("unknown");
        }
    }

    @Test
    void msizeIsTheSmallerOfClientsAndServersAndAtLeastOneMebibyte() throws Exception {
        try (RawClient client = RawClient.connectRaw(server.endpoint)) {
            assertThat(expect(client.version(64 << 20, "9P2000.L"), Rmessage.Version.class).msize())
                    .isEqualTo(1 << 20);
        }
    }

    @Test
    void messageBeforeVersionIsAnErrorAndTheConnectionLives() throws Exception {
        try (RawClient client = RawClient.connectRaw(server.endpoint)) {
            Rmessage.Error error = expect(client.call(new Tmessage.Clunk(1)), Rmessage.Error.class);
            assertThat(error.ename()).isEqualTo(Errno.EPROTO.message());
            assertThat(client.version(8192, "9P2000.L")).isInstanceOf(Rmessage.Version.class);
        }
    }

    @Test
    void versionAgainAbortsOutstandingRequestsAndClunksEveryFid() throws Exception {
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            openStream(client, 1);
            CompletableFuture<Rmessage> blocked = client.send(100, new Tmessage.Read(1, 0, 4096));
            server.stream.awaitBlockedReads(1);
            assertThat(client.version(65536, "9P2000.L")).isInstanceOf(Rmessage.Version.class);
            assertThat(server.stream.abortedReads()).isEqualTo(1);
            assertThat(client.call(new Tmessage.Clunk(ROOT))).isEqualTo(new Rmessage.Lerror(Errno.EBADF.number()));
            assertThat(blocked).isNotDone();
            assertThat(client.strays()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- answered at once, or not

    @Test
    void aLookupThatWaitsGoesToAThreadOfItsOwnAndHoldsUpNothing() throws Exception {
        WaitingDirectory slow = slowDirectory();
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            CompletableFuture<Rmessage> walk = walkThatWaits(client, slow, 200);
            // Tried on the receiving thread first, it said it would wait, and went elsewhere.
            assertThat(slow.begun()).isEqualTo(2);
            assertThat(client.call(new Tmessage.Getattr(ROOT, Rmessage.Getattr.BASIC))).isInstanceOf(Rmessage.Getattr.class);
            assertThat(client.call(new Tmessage.Walk(ROOT, 2, List.of("stream")))).isInstanceOf(Rmessage.Walk.class);
            assertThat(walk).isNotDone();
            slow.release();
            // The walk reached "slow" and stopped at "x": a partial walk, not an error.
            assertThat(RawClient.await(walk)).isEqualTo(new Rmessage.Walk(List.of(
                    expect(client.call(new Tmessage.Walk(ROOT, 3, List.of("slow"))), Rmessage.Walk.class).qids().getFirst())));
        }
    }

    @Test
    void aFlushReachesALookupThatWaits() throws Exception {
        WaitingDirectory slow = slowDirectory();
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            CompletableFuture<Rmessage> walk = walkThatWaits(client, slow, 300);
            assertThat(client.call(new Tmessage.Flush(300))).isEqualTo(new Rmessage.Flush());
            assertThat(slow.waiting()).isZero();
            assertThat(walk).isNotDone();
            assertThat(client.strays()).isEmpty();
            assertThat(client.call(new Tmessage.Clunk(1))).isEqualTo(new Rmessage.Lerror(Errno.EBADF.number()));
        }
    }

    /** A directory "slow" in the root whose lookups wait until released. */
    private WaitingDirectory slowDirectory() throws Exception {
        return server.fileSystem.root().add(new WaitingDirectory("slow"));
    }

    /** Sends a walk to slow/x as fid 1 with that tag, and returns once its lookup in slow waits. */
    private static CompletableFuture<Rmessage> walkThatWaits(RawClient client, WaitingDirectory slow, int tag)
            throws Exception {
        CompletableFuture<Rmessage> walk = client.send(tag, new Tmessage.Walk(ROOT, 1, List.of("slow", "x")));
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (slow.waiting() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(slow.waiting()).as("lookups waiting in slow").isEqualTo(1);
        return walk;
    }

    // ---------------------------------------------------------------- errors in each dialect

    @Test
    void missingNameIsEnoentInEveryDialect() throws Exception {
        try (RawClient linux = attached(Dialect.P9P2000_L);
             RawClient unix = attached(Dialect.P9P2000_U);
             RawClient plan9 = attached(Dialect.P9P2000)) {
            Tmessage walk = new Tmessage.Walk(ROOT, 1, List.of("missing"));
            assertThat(linux.call(walk)).isEqualTo(new Rmessage.Lerror(2));
            assertThat(unix.call(walk)).isEqualTo(new Rmessage.Error("No such file or directory", 2));
            assertThat(plan9.call(walk)).isEqualTo(new Rmessage.Error("No such file or directory", 0));
        }
    }

    // ---------------------------------------------------------------- defensive decoding

    @Test
    void oversizedFrameClosesOnlyThatConnection() throws Exception {
        try (RawClient bystander = attached(Dialect.P9P2000_L);
             RawClient attacker = RawClient.connectRaw(server.endpoint)) {
            attacker.version(8192, "9P2000.L");
            attacker.writeRaw(HexFormat.of().parseHex("ffffff7f7501000100000000000000000000000000"));
            attacker.closed().get(10, TimeUnit.SECONDS);
            assertThat(bystander.call(new Tmessage.Getattr(ROOT, Rmessage.Getattr.BASIC)))
                    .isInstanceOf(Rmessage.Getattr.class);
        }
    }

    @Test
    void frameShorterThanAHeaderClosesOnlyThatConnection() throws Exception {
        try (RawClient bystander = attached(Dialect.P9P2000_U);
             RawClient attacker = attached(Dialect.P9P2000_U)) {
            attacker.writeRaw(hex("03 00 00 00 6e 00 00"));
            attacker.closed().get(10, TimeUnit.SECONDS);
            assertThat(bystander.call(new Tmessage.Stat(ROOT))).isInstanceOf(Rmessage.Stat.class);
        }
    }

    @Test
    void malformedMessagesGetErrorRepliesAndTheConnectionGoesOn() throws Exception {
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            // Truncated: a Twalk frame that ends inside its first name.
            client.writeRaw(hex("13 00 00 00 6e 21 00 00 00 00 00 01 00 00 00 01 00 05 00"));
            // Unknown type 200.
            client.writeRaw(hex("07 00 00 00 c8 22 00"));
            // A name that is not UTF-8.
            client.writeRaw(hex("14 00 00 00 6e 23 00 00 00 00 00 01 00 00 00 01 00 01 00 ff"));
            // Seventeen walk names.
            client.writeRaw(new MessageCodec(Dialect.P9P2000_L)
                    .encode(0x24, new Tmessage.Walk(ROOT, 1, java.util.Collections.nCopies(17, "x"))));
            assertThat(awaitTag(client, 0x21)).isEqualTo(new Rmessage.Lerror(Errno.EBADMSG.number()));
            assertThat(awaitTag(client, 0x22)).isEqualTo(new Rmessage.Lerror(Errno.EOPNOTSUPP.number()));
            assertThat(awaitTag(client, 0x23)).isEqualTo(new Rmessage.Lerror(Errno.EILSEQ.number()));
            assertThat(awaitTag(client, 0x24)).isEqualTo(new Rmessage.Lerror(Errno.EINVAL.number()));
            assertThat(client.call(new Tmessage.Getattr(ROOT, Rmessage.Getattr.BASIC)))
                    .isInstanceOf(Rmessage.Getattr.class);
        }
    }

    // ---------------------------------------------------------------- concurrency and flush

    @Test
    void blockedReadHoldsUpNothingAndFlushAbortsIt() throws Exception {
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            openStream(client, 1);
            CompletableFuture<Rmessage> blocked = client.send(100, new Tmessage.Read(1, 0, 4096));
            server.stream.awaitBlockedReads(1);
            // Other requests are answered while the read blocks.
            assertThat(client.call(new Tmessage.Walk(ROOT, 2, List.of()))).isInstanceOf(Rmessage.Walk.class);

            assertThat(client.call(new Tmessage.Flush(100))).isEqualTo(new Rmessage.Flush());
            assertThat(server.stream.blockedReads()).as("reads still blocked after Rflush").isZero();
            assertThat(server.stream.abortedReads()).isEqualTo(1);
            // A line published now must not answer the flushed read.
            server.stream.publish("late");
            assertThat(client.call(new Tmessage.Clunk(2))).isEqualTo(new Rmessage.Clunk());
            assertThat(blocked).isNotDone();
            assertThat(client.strays()).isEmpty();
        }
    }

    @Test
    void flushOfAnUnknownOrAnsweredTagIsAnsweredWithRflush() throws Exception {
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            assertThat(client.call(new Tmessage.Flush(4000))).isEqualTo(new Rmessage.Flush());
            openStream(client, 1);
            server.stream.publish("ready");
            Rmessage.Read read = expect(client.call(7, new Tmessage.Read(1, 0, 4096)), Rmessage.Read.class);
            assertThat(new String(read.data(), StandardCharsets.UTF_8)).isEqualTo("ready\n");
            assertThat(client.call(new Tmessage.Flush(7))).isEqualTo(new Rmessage.Flush());
            assertThat(client.strays()).isEmpty();
        }
    }

    @Test
    void eachStreamChunkIsFollowedByOneEmptyReplyThatEndsTheKernelsReadSyscall() throws Exception {
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            openStream(client, 1);
            server.stream.publish("first");
            Rmessage.Read chunk = expect(client.call(new Tmessage.Read(1, 0, 4096)), Rmessage.Read.class);
            assertThat(new String(chunk.data(), StandardCharsets.UTF_8)).isEqualTo("first\n");
            Rmessage.Read pause = expect(client.call(new Tmessage.Read(1, 6, 4096)), Rmessage.Read.class);
            assertThat(pause.data()).as("the kernel's follow-up Tread").isEmpty();
            CompletableFuture<Rmessage> next = client.send(new Tmessage.Read(1, 6, 4096));
            server.stream.awaitBlockedReads(1);
            server.stream.publish("second");
            Rmessage.Read second = expect(next.get(10, TimeUnit.SECONDS), Rmessage.Read.class);
            assertThat(new String(second.data(), StandardCharsets.UTF_8)).as("the next read(2)").isEqualTo("second\n");
        }
    }

    @Test
    void closingTheConnectionReleasesBlockedReads() throws Exception {
        RawClient client = attached(Dialect.P9P2000_L);
        openStream(client, 1);
        client.send(new Tmessage.Read(1, 0, 4096));
        server.stream.awaitBlockedReads(1);
        client.close();
        server.stream.awaitBlockedReads(0);
        assertThat(server.stream.abortedReads()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- commit errors

    @Test
    void commitErrorsReachWriteFsyncAndClunk() throws Exception {
        java.util.List<String> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.fileSystem.root().add(new io.k9p.fs.File() {
            @Override
            public long id() {
                return 1L << 52;
            }

            @Override
            public String name() {
                return "document";
            }

            @Override
            public io.k9p.fs.Attributes attributes() {
                return new io.k9p.fs.Attributes(0644, 0, java.time.Instant.EPOCH, 0);
            }

            @Override
            public io.k9p.fs.OpenFile open(OpenFlags flags) {
                return io.k9p.fs.BufferedOpenFile.document(new byte[0], flags, content -> {
                    String text = new String(content, StandardCharsets.UTF_8);
                    if (text.contains("bad")) {
                        throw new FsException(Errno.EINVAL, "refused");
                    }
                    committed.add(text);
                });
            }
        });
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            // A control file fails the write itself.
            expect(client.call(new Tmessage.Walk(ROOT, 1, List.of("number"))), Rmessage.Walk.class);
            expect(client.call(new Tmessage.Lopen(1, 1)), Rmessage.Lopen.class);
            assertThat(client.call(new Tmessage.Write(1, 0, "abc".getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo(new Rmessage.Lerror(Errno.EINVAL.number()));
            assertThat(server.number.value()).isEqualTo(3);
            // A document fails at fsync, and at clunk when the content changed since.
            expect(client.call(new Tmessage.Walk(ROOT, 2, List.of("document"))), Rmessage.Walk.class);
            expect(client.call(new Tmessage.Lopen(2, 2)), Rmessage.Lopen.class);
            expect(client.call(new Tmessage.Write(2, 0, "bad".getBytes(StandardCharsets.UTF_8))), Rmessage.Write.class);
            assertThat(client.call(new Tmessage.Fsync(2, 0))).isEqualTo(new Rmessage.Lerror(Errno.EINVAL.number()));
            expect(client.call(new Tmessage.Write(2, 3, "!".getBytes(StandardCharsets.UTF_8))), Rmessage.Write.class);
            assertThat(client.call(new Tmessage.Clunk(2))).isEqualTo(new Rmessage.Lerror(Errno.EINVAL.number()));
            assertThat(committed).isEmpty();
            // The clunk freed the fid even so, and a good document commits at clunk.
            expect(client.call(new Tmessage.Walk(ROOT, 2, List.of("document"))), Rmessage.Walk.class);
            expect(client.call(new Tmessage.Lopen(2, 1)), Rmessage.Lopen.class);
            expect(client.call(new Tmessage.Write(2, 0, "good".getBytes(StandardCharsets.UTF_8))), Rmessage.Write.class);
            assertThat(client.call(new Tmessage.Clunk(2))).isEqualTo(new Rmessage.Clunk());
            assertThat(committed).containsExactly("good");
        }
    }

    // ---------------------------------------------------------------- fids

    @Test
    void walkClonesMovesAndStopsAtTheFirstMissingName() throws Exception {
        mkdirs("a/b");
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            assertThat(expect(client.call(new Tmessage.Walk(ROOT, 1, List.of())), Rmessage.Walk.class).qids())
                    .isEmpty();
            // newfid == fid moves the fid itself.
            Rmessage.Walk moved = expect(client.call(new Tmessage.Walk(1, 1, List.of("a", "b"))), Rmessage.Walk.class);
            assertThat(moved.qids()).hasSize(2).allMatch(Qid::isDirectory);
            Rmessage.Walk up = expect(client.call(new Tmessage.Walk(1, 2, List.of(".."))), Rmessage.Walk.class);
            assertThat(up.qids().get(0)).isEqualTo(moved.qids().get(0));
            // Partial walk: qids for the names that worked, and no new fid.
            Rmessage.Walk partial = expect(client.call(new Tmessage.Walk(ROOT, 3, List.of("a", "nope", "c"))),
                    Rmessage.Walk.class);
            assertThat(partial.qids()).hasSize(1);
            assertThat(client.call(new Tmessage.Clunk(3))).isEqualTo(new Rmessage.Lerror(Errno.EBADF.number()));
            // Failure at the first name is an error.
            assertThat(client.call(new Tmessage.Walk(ROOT, 3, List.of("nope"))))
                    .isEqualTo(new Rmessage.Lerror(Errno.ENOENT.number()));
            // A newfid in use is refused.
            assertThat(client.call(new Tmessage.Walk(ROOT, 2, List.of())))
                    .isEqualTo(new Rmessage.Lerror(Errno.EBADF.number()));
            // An empty name names nothing, at the first name or later; no fid is made.
            assertThat(client.call(new Tmessage.Walk(ROOT, 3, List.of(""))))
                    .isEqualTo(new Rmessage.Lerror(Errno.EINVAL.number()));
            assertThat(expect(client.call(new Tmessage.Walk(ROOT, 3, List.of("a", ""))), Rmessage.Walk.class).qids())
                    .hasSize(1);
            assertThat(client.call(new Tmessage.Clunk(3))).isEqualTo(new Rmessage.Lerror(Errno.EBADF.number()));
        }
    }

    @Test
    void attachRefusesNofidAsItsFid() throws Exception {
        try (RawClient client = RawClient.connectRaw(server.endpoint)) {
            expect(client.version(65536, Dialect.P9P2000_L.version()), Rmessage.Version.class);
            assertThat(client.call(new Tmessage.Attach(Tmessage.NOFID, Tmessage.NOFID, "tester", "", 0)))
                    .isEqualTo(new Rmessage.Lerror(Errno.EINVAL.number()));
            assertThat(client.call(new Tmessage.Attach(ROOT, Tmessage.NOFID, "tester", "", 0)))
                    .isInstanceOf(Rmessage.Attach.class);
        }
    }

    /** NOFID is no fid: a walk cannot make it one (its Rwalk would leave a fid no message can name). */
    @Test
    void walkRefusesNofidAsItsNewFid() throws Exception {
        mkdirs("a");
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            assertThat(client.call(new Tmessage.Walk(ROOT, Tmessage.NOFID, List.of())))
                    .isEqualTo(new Rmessage.Lerror(Errno.EINVAL.number()));
            assertThat(client.call(new Tmessage.Walk(ROOT, Tmessage.NOFID, List.of("a"))))
                    .isEqualTo(new Rmessage.Lerror(Errno.EINVAL.number()));
            assertThat(client.call(new Tmessage.Clunk(Tmessage.NOFID))).as("no fid was made")
                    .isEqualTo(new Rmessage.Lerror(Errno.EBADF.number()));
            assertThat(client.call(new Tmessage.Walk(ROOT, 5, List.of("a")))).as("the connection goes on")
                    .isInstanceOf(Rmessage.Walk.class);
        }
    }

    @Test
    void clunkFreesTheFidEvenWhenItFails() throws Exception {
        try (RawClient client = attached(Dialect.P9P2000)) {
            expect(client.call(new Tmessage.Walk(ROOT, 1, List.of())), Rmessage.Walk.class);
            client.call(new Tmessage.Create(1, "doomed", 0644, 1 | 0x40, "")); // ORCLOSE
            server.fileSystem.root().remove("doomed"); // remove-on-close will now fail
            assertThat(client.call(new Tmessage.Clunk(1))).isInstanceOf(Rmessage.Error.class);
            assertThat(client.call(new Tmessage.Clunk(1)))
                    .isEqualTo(new Rmessage.Error(Errno.EBADF.message(), 0));
            // The number is free at once.
            assertThat(client.call(new Tmessage.Walk(ROOT, 1, List.of()))).isInstanceOf(Rmessage.Walk.class);
        }
    }

    @Test
    void fidLimitIsEnforcedWithEmfile() throws Exception {
        server.close();
        server = new MemServer(4, "127.0.0.1:0");
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            for (int fid = 1; fid < 4; fid++) {
                expect(client.call(new Tmessage.Walk(ROOT, fid, List.of())), Rmessage.Walk.class);
            }
            assertThat(client.call(new Tmessage.Walk(ROOT, 9, List.of())))
                    .isEqualTo(new Rmessage.Lerror(Errno.EMFILE.number()));
            client.call(new Tmessage.Clunk(3));
            assertThat(client.call(new Tmessage.Walk(ROOT, 9, List.of()))).isInstanceOf(Rmessage.Walk.class);
        }
    }

    @Test
    void qidPathsAreStableAndNeverReused() throws Exception {
        writeFile("f", "one");
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            Qid first = walkQid(client, "f");
            assertThat(walkQid(client, "f").path()).isEqualTo(first.path());
            server.fileSystem.root().remove("f");
            writeFile("f", "two");
            assertThat(walkQid(client, "f").path()).isNotEqualTo(first.path());
        }
    }

    @Test
    void sizesInStatAndGetattrAreExact() throws Exception {
        writeFile("sized", "12345");
        try (RawClient linux = attached(Dialect.P9P2000_L);
             RawClient unix = attached(Dialect.P9P2000_U)) {
            expect(linux.call(new Tmessage.Walk(ROOT, 1, List.of("sized"))), Rmessage.Walk.class);
            assertThat(expect(linux.call(new Tmessage.Getattr(1, Rmessage.Getattr.BASIC)), Rmessage.Getattr.class)
                    .size()).isEqualTo(5);
            expect(unix.call(new Tmessage.Walk(ROOT, 1, List.of("sized"))), Rmessage.Walk.class);
            Rmessage.Stat stat = expect(unix.call(new Tmessage.Stat(1)), Rmessage.Stat.class);
            assertThat(stat.stat().length()).isEqualTo(5);
            assertThat(stat.stat().name()).isEqualTo("sized");
        }
    }

    // ---------------------------------------------------------------- directory reads

    @Test
    void readdirListsTenThousandEntriesWithWorkingCookies() throws Exception {
        int count = 10_000;
        fillDirectory("big", count);
        try (RawClient client = attached(Dialect.P9P2000_L)) {
            expect(client.call(new Tmessage.Walk(ROOT, 1, List.of("big"))), Rmessage.Walk.class);
            expect(client.call(new Tmessage.Lopen(1, 0)), Rmessage.Lopen.class);
            List<io.k9p.protocol.DirectoryEntry> all = new java.util.ArrayList<>();
            long cookie = 0;
            long resumeCookie = -1;
            int resumeIndex = -1;
            while (true) {
                byte[] data = expect(client.call(new Tmessage.Readdir(1, cookie, 2000)), Rmessage.Readdir.class).data();
                if (data.length == 0) {
                    break;
                }
                var entries = MessageCodec.decodeEntries(data);
                all.addAll(entries);
                cookie = entries.get(entries.size() - 1).offset();
                if (resumeCookie < 0 && all.size() > count / 2) {
                    resumeCookie = cookie;
                    resumeIndex = all.size();
                }
            }
            List<String> names = all.stream().map(io.k9p.protocol.DirectoryEntry::name).toList();
            assertThat(names).hasSize(count + 2).startsWith(".", "..").doesNotHaveDuplicates();
            assertThat(names.subList(2, names.size())).containsExactlyElementsOf(expectedNames(count));
            // A cookie from the middle resumes exactly there.
            byte[] resumed = expect(client.call(new Tmessage.Readdir(1, resumeCookie, 2000)), Rmessage.Readdir.class).data();
            assertThat(MessageCodec.decodeEntries(resumed).get(0).name()).isEqualTo(names.get(resumeIndex));
        }
    }

    @Test
    void plan9DirectoryReadsTenThousandEntriesAtByteOffsets() throws Exception {
        int count = 10_000;
        fillDirectory("big", count);
        try (RawClient client = attached(Dialect.P9P2000)) {
            MessageCodec codec = new MessageCodec(Dialect.P9P2000);
            expect(client.call(new Tmessage.Walk(ROOT, 1, List.of("big"))), Rmessage.Walk.class);
            expect(client.call(new Tmessage.Open(1, 0)), Rmessage.Open.class);
            List<String> names = new java.util.ArrayList<>();
            long offset = 0;
            long middleOffset = -1;
            int middleIndex = -1;
            while (true) {
                byte[] data = expect(client.call(new Tmessage.Read(1, offset, 1000)), Rmessage.Read.class).data();
                if (data.length == 0) {
                    break;
                }
                assertThat(data.length).isLessThanOrEqualTo(1000);
                codec.decodeStats(data).forEach(stat -> names.add(stat.name()));
                offset += data.length;
                if (middleOffset < 0 && names.size() > count / 2) {
                    middleOffset = offset;
                    middleIndex = names.size();
                }
            }
            assertThat(names).containsExactlyElementsOf(expectedNames(count));
            byte[] again = expect(client.call(new Tmessage.Read(1, middleOffset, 1000)), Rmessage.Read.class).data();
            assertThat(codec.decodeStats(again).get(0).name()).isEqualTo(names.get(middleIndex));
            // An offset inside an entry is refused, not answered with half an entry.
            assertThat(client.call(new Tmessage.Read(1, middleOffset + 1, 1000))).isInstanceOf(Rmessage.Error.class);
        }
    }

    // ---------------------------------------------------------------- transports

    @Test
    void servesUnixDomainSockets(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Endpoint unix = server.server.listen(Endpoint.parse("unix:" + dir.resolve("k9p.sock")));
        writeFile("hello", "over a unix socket\n");
        try (RawClient client = RawClient.connect(unix, Dialect.P9P2000_L, 65536)) {
            expect(client.call(new Tmessage.Attach(ROOT, Tmessage.NOFID, "me", "", 0)), Rmessage.Attach.class);
            expect(client.call(new Tmessage.Walk(ROOT, 1, List.of("hello"))), Rmessage.Walk.class);
            expect(client.call(new Tmessage.Lopen(1, 0)), Rmessage.Lopen.class);
            Rmessage.Read read = expect(client.call(new Tmessage.Read(1, 0, 100)), Rmessage.Read.class);
            assertThat(new String(read.data(), StandardCharsets.UTF_8)).isEqualTo("over a unix socket\n");
        }
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("k9p.sock")))
                .as("the socket is private to its owner (and root)")
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    // ---------------------------------------------------------------- helpers

    private RawClient attached(Dialect dialect) throws Exception {
        RawClient client = RawClient.connect(server.endpoint, dialect, 65536);
        expect(client.call(new Tmessage.Attach(ROOT, Tmessage.NOFID, "tester", "", 1000)), Rmessage.Attach.class);
        return client;
    }

    private void openStream(RawClient client, int fid) throws Exception {
        expect(client.call(new Tmessage.Walk(ROOT, fid, List.of("stream"))), Rmessage.Walk.class);
        expect(client.call(new Tmessage.Lopen(fid, 0)), Rmessage.Lopen.class);
    }

    private static Rmessage awaitTag(RawClient client, int tag) throws Exception {
        // Replies to raw writes arrive as strays: no request was registered for those tags.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (String stray : client.strays()) {
                if (stray.startsWith("tag " + tag + ": ")) {
                    return parseStray(stray);
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no reply for tag " + tag);
    }

    private static Rmessage parseStray(String stray) {
        String text = stray.substring(stray.indexOf(": ") + 2);
        int errno = Integer.parseInt(text.replaceAll("\\D*(\\d+)\\D*", "$1"));
        return new Rmessage.Lerror(errno);
    }

    private Qid walkQid(RawClient client, String name) throws Exception {
        Rmessage.Walk walk = expect(client.call(new Tmessage.Walk(ROOT, 50, List.of(name))), Rmessage.Walk.class);
        client.call(new Tmessage.Clunk(50));
        return walk.qids().get(0);
    }

    private void writeFile(String name, String content) throws FsException {
        var file = server.fileSystem.root().createFile(name, 0644);
        file.open(OpenFlags.WRITE).write(0, content.getBytes(StandardCharsets.UTF_8));
    }

    private void mkdirs(String path) throws FsException {
        io.k9p.fs.Directory directory = server.fileSystem.root();
        for (String name : path.split("/")) {
            directory = directory.createDirectory(name, 0755);
        }
    }

    private void fillDirectory(String name, int count) throws FsException {
        io.k9p.fs.Directory directory = server.fileSystem.root().createDirectory(name, 0755);
        for (String child : expectedNames(count)) {
            directory.createFile(child, 0644);
        }
    }

    private static List<String> expectedNames(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> String.format("file-%05d", i)).toList();
    }

    private static byte[] hex(String hex) {
        return HexFormat.ofDelimiter(" ").parseHex(hex);
    }
}
