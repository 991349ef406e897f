package io.k9p.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads 9P's little-endian fields from one message body. Every read checks what is left first, so a
 * lying length field ends in a {@link ProtocolException}, never in a large allocation.
 */
final class WireReader {
    private final ByteBuffer buffer;

    WireReader(ByteBuffer body) {
        this.buffer = body.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    int u8() throws ProtocolException {
        need(1);
        return buffer.get() & 0xff;
    }

    int u16() throws ProtocolException {
        need(2);
        return buffer.getShort() & 0xffff;
    }

    int u32() throws ProtocolException {
        need(4);
        return buffer.getInt();
    }

    long u64() throws ProtocolException {
        need(8);
        return buffer.getLong();
    }

    String string() throws ProtocolException {
        int length = u16();
        need(length);
        ByteBuffer bytes = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(Errno.EILSEQ, "string is not UTF-8");
        }
    }

    byte[] bytes(int count) throws ProtocolException {
        if (count < 0) {
            throw new ProtocolException(Errno.EMSGSIZE, "count too large");
        }
        need(count);
        byte[] bytes = new byte[count];
        buffer.get(bytes);
        return bytes;
    }

    Qid qid() throws ProtocolException {
        return new Qid(u8(), u32(), u64());
    }

    int remaining() {
        return buffer.remaining();
    }

    private void need(int count) throws ProtocolException {
        if (buffer.remaining() < count) {
            throw new ProtocolException(Errno.EBADMSG, "message truncated");
        }
    }
}
