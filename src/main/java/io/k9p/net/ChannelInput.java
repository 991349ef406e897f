package io.k9p.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Reads a socket channel as a stream without the channel's blocking lock, which
 * {@link java.nio.channels.Channels#newInputStream} may hold and so stall messages being written
 * from other threads while the reader waits.
 */
public final class ChannelInput extends InputStream {
    private final SocketChannel channel;

    public ChannelInput(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        return channel.read(ByteBuffer.wrap(bytes, offset, length));
    }
}
