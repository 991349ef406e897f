package io.k9p.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes 9P's little-endian fields into a growing byte array. */
final class WireWriter {
    private byte[] bytes;
    private int length;

    WireWriter(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    WireWriter u8(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
        return this;
    }

    WireWriter u16(int value) {
        ensure(2);
        bytes[length++] = (byte) value;
        bytes[length++] = (byte) (value >>> 8);
        return this;
    }

    WireWriter u32(int value) {
        ensure(4);
        for (int shift = 0; shift < 32; shift += 8) {
            bytes[length++] = (byte) (value >>> shift);
        }
        return this;
    }

    WireWriter u64(long value) {
        ensure(8);
        for (int shift = 0; shift < 64; shift += 8) {
            bytes[length++] = (byte) (value >>> shift);
        }
        return this;
    }

    WireWriter string(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > 0xffff) {
            throw new IllegalArgumentException("string longer than 65535 bytes");
        }
        u16(utf8.length);
        return raw(utf8);
    }

    WireWriter raw(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, length, data.length);
        length += data.length;
        return this;
    }

    /** count[4] followed by the bytes: the shape of Rread, Twrite and Rreaddir payloads. */
    WireWriter counted(byte[] data) {
        return u32(data.length).raw(data);
    }

    WireWriter qid(Qid qid) {
        return u8(qid.type()).u32(qid.version()).u64(qid.path());
    }

    int length() {
        return length;
    }

    /** Overwrites a little-endian u16 or u32 at {@code position}, for sizes known only at the end. */
    void patch(int position, int value, int width) {
        for (int i = 0; i < width; i++) {
            bytes[position + i] = (byte) (value >>> (8 * i));
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(int extra) {
        if (length + extra > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + extra));
        }
    }
}
