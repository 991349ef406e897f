package io.k9p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageCodecTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final MessageCodec PLAIN = new MessageCodec(Dialect.P9P2000);
    private static final MessageCodec UNIX = new MessageCodec(Dialect.P9P2000_U);
    private static final MessageCodec LINUX = new MessageCodec(Dialect.P9P2000_L);

    // Byte strings as version(5), attach(5), walk(5) and the 9P2000.L protocol page lay them out.

    @Test
    void tversionAsInVersion5() {
        assertThat(PLAIN.encode(MessageCodec.NOTAG, new Tmessage.Version(8192, "9P2000")))
                .isEqualTo(bytes("13 00 00 00 64 ff ff 00 20 00 00 06 00 39 50 32 30 30 30"));
    }

    @Test
    void twalkWithTwoNames() throws Exception {
        byte[] wire = bytes("17 00 00 00 6e 01 00 01 00 00 00 02 00 00 00 02 00 01 00 61 01 00 62");
        assertThat(decodeRequest(PLAIN, wire)).isEqualTo(new Tmessage.Walk(1, 2, List.of("a", "b")));
    }

    @Test
    void tattachCarriesNumericUserOnlyInUnixDialects() throws Exception {
        Tmessage.Attach attach = new Tmessage.Attach(0, Tmessage.NOFID, "root", "", 0);
        assertThat(UNIX.encode(1, attach))
                .isEqualTo(bytes("1b 00 00 00 68 01 00 00 00 00 00 ff ff ff ff 04 00 72 6f 6f 74 00 00 00 00 00 00"));
        assertThat(PLAIN.encode(1, attach))
                .isEqualTo(bytes("17 00 00 00 68 01 00 00 00 00 00 ff ff ff ff 04 00 72 6f 6f 74 00 00"));
    }

    @Test
    void rlerrorIsJustTheErrno() {
        assertThat(LINUX.encode(1, new Rmessage.Lerror(Errno.ENOENT.number())))
                .isEqualTo(bytes("0b 00 00 00 07 01 00 02 00 00 00"));
    }

    @Test
    void rerrorCarriesTheErrnoOnlyIn9P2000u() {
        assertThat(UNIX.encode(1, new Rmessage.Error("No such file or directory", 2)))
                .endsWith(bytes("02 00 00 00"))
                .hasSize(4 + 1 + 2 + 2 + 25 + 4);
        assertThat(PLAIN.encode(1, new Rmessage.Error("No such file or directory", 2)))
                .hasSize(4 + 1 + 2 + 2 + 25);
    }

    @Test
    void tlopenAsLinuxSendsIt() throws Exception {
        // fid 5, flags O_RDONLY|O_DIRECTORY|O_LARGEFILE
        byte[] wire = bytes("0f 00 00 00 0c 03 00 05 00 00 00 00 80 01 00");
        assertThat(decodeRequest(LINUX, wire)).isEqualTo(new Tmessage.Lopen(5, 0200000 | 0100000));
    }

    @Test
    void tfsyncWithoutDatasyncFromOldKernels() throws Exception {
        byte[] wire = bytes("0b 00 00 00 32 01 00 09 00 00 00");
        assertThat(decodeRequest(LINUX, wire)).isEqualTo(new Tmessage.Fsync(9, 0));
    }

    @Test
    void statSizeFieldCountsTheBytesAfterIt() {
        byte[] stat = PLAIN.encodeStat(MessageSamples.stat(Dialect.P9P2000));
        int size = (stat[0] & 0xff) | (stat[1] & 0xff) << 8;
        assertThat(size).isEqualTo(stat.length - 2);
        byte[] unixStat = UNIX.encodeStat(MessageSamples.stat(Dialect.P9P2000_U));
        assertThat(unixStat.length - stat.length).isEqualTo(2 + 3 + 12);
    }

    // Round trips of every message in every dialect.

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyRequestRoundTrips(Dialect dialect) throws Exception {
        MessageCodec codec = new MessageCodec(dialect);
        for (Tmessage message : MessageSamples.requests(dialect)) {
            byte[] wire = codec.encode(0x4242, message);
            assertThat(littleEndianInt(wire)).as("size of %s", message).isEqualTo(wire.length);
            assertThat(decodeRequest(codec, wire)).as("%s", message)
                    .usingRecursiveComparison().isEqualTo(message);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyReplyRoundTrips(Dialect dialect) throws Exception {
        MessageCodec codec = new MessageCodec(dialect);
        for (Rmessage message : MessageSamples.replies(dialect)) {
            byte[] wire = codec.encode(7, message);
            Frame frame = frame(wire);
            assertThat(frame.tag()).isEqualTo(7);
            assertThat(codec.decodeResponse(frame)).as("%s", message)
                    .usingRecursiveComparison().isEqualTo(message);
        }
    }

    @Test
    void samplesCoverEveryMessageType() {
        Set<Class<?>> requests = Arrays.stream(Dialect.values())
                .flatMap(d -> MessageSamples.requests(d).stream())
                .map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> replies = Arrays.stream(Dialect.values())
                .flatMap(d -> MessageSamples.replies(d).stream())
                .map(Object::getClass).collect(Collectors.toSet());
        assertThat(requests).containsExactlyInAnyOrder(Tmessage.class.getPermittedSubclasses());
        assertThat(replies).containsExactlyInAnyOrder(Rmessage.class.getPermittedSubclasses());
    }

    @Test
    void directoryEntriesRoundTrip() throws Exception {
        List<DirectoryEntry> entries = List.of(
                new DirectoryEntry(new Qid(Qid.QTDIR, 0, 1), 1, DirectoryEntry.DT_DIR, "."),
                new DirectoryEntry(new Qid(Qid.QTFILE, 3, 99), 2, DirectoryEntry.DT_REG, "data.yaml"));
        byte[] data = concat(entries.stream().map(MessageCodec::encodeEntry).toList());
        assertThat(data).hasSize(24 + 1 + 24 + 9);
        assertThat(MessageCodec.decodeEntries(data)).isEqualTo(entries);
    }

    // Defensive decoding.

    @Test
    void dialectsRefuseEachOthersMessages() {
        byte[] lopen = LINUX.encode(1, new Tmessage.Lopen(1, 0));
        byte[] open = PLAIN.encode(1, new Tmessage.Open(1, 0));
        assertThatThrownBy(() -> decodeRequest(PLAIN, lopen)).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).errno()).isEqualTo(Errno.EOPNOTSUPP);
        assertThatThrownBy(() -> decodeRequest(LINUX, open)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void unknownTypeIsAnError() {
        byte[] wire = bytes("07 00 00 00 c8 01 00");
        assertThatThrownBy(() -> decodeRequest(LINUX, wire)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown message type 200");
    }

    @Test
    void moreThanSixteenWalkNamesIsAnError() {
        byte[] wire = LINUX.encode(1, new Tmessage.Walk(1, 2, java.util.Collections.nCopies(17, "x")));
        assertThatThrownBy(() -> decodeRequest(LINUX, wire)).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void invalidUtf8IsAnError() {
        byte[] wire = bytes("0e 00 00 00 6e 01 00 01 00 00 00 02 00 00 00 01 00 01 00 ff");
        wire[0] = (byte) wire.length;
        assertThatThrownBy(() -> decodeRequest(PLAIN, wire)).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).errno()).isEqualTo(Errno.EILSEQ);
    }

    @Test
    void lyingCountIsRefusedWithoutAllocatingIt() {
        // Twrite claiming 2 GiB of data in a 23-byte frame.
        byte[] wire = bytes("17 00 00 00 76 01 00 01 00 00 00 00 00 00 00 00 00 00 00 ff ff ff 7f");
        assertThatThrownBy(() -> decodeRequest(PLAIN, wire)).isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).errno()).isEqualTo(Errno.EBADMSG);
    }

    @Test
    void framesOutsideTheSizeLimitsAreRefusedBeforeAllocation() {
        assertThatThrownBy(() -> Frame.read(new ByteArrayInputStream(bytes("ff ff ff 7f 64")), 8192))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("2147483647");
        assertThatThrownBy(() -> Frame.read(new ByteArrayInputStream(bytes("06 00 00 00 64 00")), 8192))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void streamEndingInsideAFrameIsAnEofNotAHang() {
        assertThatThrownBy(() -> Frame.read(new ByteArrayInputStream(bytes("13 00 00 00 64 ff")), 8192))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> Frame.read(new ByteArrayInputStream(bytes("13 00")), 8192))
                .isInstanceOf(IOException.class);
    }

    /**
     * Property: whatever the bytes, decoding returns a message or throws ProtocolException, and
     * never anything else. Every truncation and many random mutations of every sample are tried.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void decoderSurvivesTruncationAndMutation(Dialect dialect) {
        MessageCodec codec = new MessageCodec(dialect);
        java.util.Random random = new java.util.Random(dialect.ordinal() * 7919L + 1);
        int decoded = 0;
        int refused = 0;
        for (Tmessage sample : MessageSamples.requests(dialect)) {
            byte[] wire = codec.encode(1, sample);
            for (int cut = Frame.HEADER_SIZE; cut < wire.length; cut++) {
                if (tryDecode(codec, Arrays.copyOf(wire, cut))) {
                    decoded++;
                } else {
                    refused++;
                }
            }
            for (int round = 0; round < 2000; round++) {
                byte[] mutated = wire.clone();
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    mutated[Frame.HEADER_SIZE - 3 + random.nextInt(mutated.length - Frame.HEADER_SIZE + 3)] =
                            (byte) random.nextInt(256);
                }
                if (tryDecode(codec, mutated)) {
                    decoded++;
                } else {
                    refused++;
                }
            }
        }
        for (int round = 0; round < 20000; round++) {
            byte[] noise = new byte[Frame.HEADER_SIZE + random.nextInt(64)];
            random.nextBytes(noise);
            if (tryDecode(codec, noise)) {
                decoded++;
            } else {
                refused++;
            }
        }
        assertThat(refused).as("inputs refused").isPositive();
        assertThat(decoded).as("inputs decoded").isPositive();
    }

    /** True when decoded, false when refused with ProtocolException; anything else fails the test. */
    private static boolean tryDecode(MessageCodec codec, byte[] wire) {
        ByteBuffer body = ByteBuffer.wrap(wire, Frame.HEADER_SIZE, wire.length - Frame.HEADER_SIZE);
        Frame frame = new Frame(wire[4] & 0xff, 1, body);
        try {
            codec.decodeRequest(frame);
            return true;
        } catch (ProtocolException e) {
            return false;
        }
    }

    private static Tmessage decodeRequest(MessageCodec codec, byte[] wire) throws Exception {
        return codec.decodeRequest(frame(wire));
    }

    private static Frame frame(byte[] wire) throws Exception {
        return Frame.read(new ByteArrayInputStream(wire), 1 << 24);
    }

    private static int littleEndianInt(byte[] wire) {
        return ByteBuffer.wrap(wire).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }

    private static byte[] concat(List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
