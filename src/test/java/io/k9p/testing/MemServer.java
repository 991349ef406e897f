package io.k9p.testing;

import io.k9p.memfs.MemFileSystem;
import io.k9p.net.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import java.io.IOException;

/**
 * A k9p server on a free loopback port serving a fresh memfs, with two files of a test
 * filesystem beside it: a blocking stream at {@code /stream} for tests of flush and cancellation,
 * and a control file at {@code /number} that accepts only integers.
 */
public final class MemServer implements AutoCloseable {
    public final MemFileSystem fileSystem = new MemFileSystem();
    public final BlockingStreamFile stream = new BlockingStreamFile("stream");
    public final NumberFile number = new NumberFile("number", 3);
    public final NinePServer server;
    public final Endpoint endpoint;

    public MemServer() throws IOException {
        this(ServerConfig.DEFAULT_MAX_FIDS, "127.0.0.1:0");
    }

    public MemServer(int maxFids, String listen) throws IOException {
        try {
            fileSystem.root().add(stream);
            fileSystem.root().add(number);
        } catch (io.k9p.fs.FsException e) {
            throw new IllegalStateException(e);
        }
        server = new NinePServer(new ServerConfig(fileSystem, ServerConfig.DEFAULT_MAX_MSIZE, maxFids));
        endpoint = server.listen(Endpoint.parse(listen));
    }

    /** The TCP port, for clients outside the JVM. */
    public int port() {
        return ((Endpoint.Tcp) endpoint).port();
    }

    @Override
    public void close() {
        server.close();
    }
}
