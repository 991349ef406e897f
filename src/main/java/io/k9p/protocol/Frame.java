package io.k9p.protocol;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * One message as it arrives: size[4] type[1] tag[2] then the body. The size is checked against the
 * negotiated maximum before anything is allocated.
 */
public record Frame(int type, int tag, ByteBuffer body) {

    public static final int HEADER_SIZE = 7;

    /**
     * Reads the next frame, or returns null when the peer closed the stream between frames.
     *
     * @throws ProtocolException when the size field is outside [7, maxSize]: the stream can no
     *     longer be trusted to be in step, so the caller closes the connection
     */
    public static Frame read(InputStream in, int maxSize) throws IOException, ProtocolException {
        byte[] sizeField = in.readNBytes(4);
        if (sizeField.length == 0) {
            return null;
        }
        if (sizeField.length < 4) {
            throw new EOFException("stream ended inside a frame header");
        }
        long size = (sizeField[0] & 0xffL) | (sizeField[1] & 0xffL) << 8
                | (sizeField[2] & 0xffL) << 16 | (sizeField[3] & 0xffL) << 24;
        if (size < HEADER_SIZE || size > maxSize) {
            throw new ProtocolException(Errno.EMSGSIZE,
                    "frame size " + size + " outside [" + HEADER_SIZE + ", " + maxSize + "]");
        }
        byte[] rest = new byte[(int) size - 4];
        new DataInputStream(in).readFully(rest);
        int tag = (rest[1] & 0xff) | (rest[2] & 0xff) << 8;
        return new Frame(rest[0] & 0xff, tag, ByteBuffer.wrap(rest, 3, rest.length - 3));
    }
}
