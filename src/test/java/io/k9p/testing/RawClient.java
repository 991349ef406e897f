package io.k9p.testing;

import io.k9p.client.Transport;
import io.k9p.fs.FsException;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A 9P connection as tests of a server need it, on the production {@link Transport}: any dialect,
 * tags of the test's choosing, replies as they come (error replies included), raw frames, and a
 * record of stray replies, the ones whose tag no request waits on, each of which is a server bug.
 */
public final class RawClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Frames up to this size are read before any Tversion has set the limit: above any server's msize. */
    private static final int UNNEGOTIATED_MSIZE = 64 << 20;

    private final Transport transport;
    private final List<String> strays;

    private RawClient(Transport transport, List<String> strays) {
        this.transport = transport;
        this.strays = strays;
    }

    /** Connects without negotiating: for tests of what happens before Tversion. */
    public static RawClient connectRaw(Endpoint endpoint) throws IOException {
        List<String> strays = new CopyOnWriteArrayList<>();
        try {
            return new RawClient(Transport.open(endpoint, TIMEOUT, Dialect.P9P2000, UNNEGOTIATED_MSIZE,
                    (tag, reply) -> strays.add("tag " + tag + ": " + reply)), strays);
        } catch (FsException e) {
            throw new IOException(e);
        }
    }

    /** Connects and negotiates the dialect; fails if the server answers with another. */
    public static RawClient connect(Endpoint endpoint, Dialect dialect, int msize) throws IOException {
        RawClient client = connectRaw(endpoint);
        Rmessage reply = client.version(msize, dialect.version());
        if (!(reply instanceof Rmessage.Version version) || !version.version().equals(dialect.version())) {
            client.close();
            throw new IOException("server did not accept " + dialect.version() + ": " + reply);
        }
        return client;
    }

    /** Sends Tversion and switches this client to the dialect and msize the server chose. */
    public Rmessage version(int requestedMsize, String version) throws IOException {
        Rmessage reply = call(MessageCodec.NOTAG, new Tmessage.Version(requestedMsize, version));
        if (reply instanceof Rmessage.Version answer) {
            Dialect chosen = Dialect.negotiate(answer.version())
                    .filter(d -> d.version().equals(answer.version()))
                    .orElse(transport.dialect());
            transport.negotiated(chosen, answer.msize());
        }
        return reply;
    }

    /** Sends a request with a fresh tag and waits for its reply. */
    public Rmessage call(Tmessage request) throws IOException {
        return await(send(request));
    }

    public Rmessage call(int tag, Tmessage request) throws IOException {
        return await(send(tag, request));
    }

    public CompletableFuture<Rmessage> send(Tmessage request) throws IOException {
        try {
            return transport.send(request);
        } catch (FsException e) {
            throw new IOException(e);
        }
    }

    public CompletableFuture<Rmessage> send(int tag, Tmessage request) throws IOException {
        try {
            return transport.send(tag, request);
        } catch (FsException e) {
            throw new IOException(e);
        }
    }

    /** Writes bytes as they are, for tests of malformed input. */
    public void writeRaw(byte[] bytes) throws IOException {
        try {
            transport.sendRaw(bytes);
        } catch (FsException e) {
            throw new IOException(e);
        }
    }

    /** Completes when the connection ends, the server's doing included. */
    public CompletableFuture<Void> closed() {
        return transport.closed();
    }

    /** Replies that arrived for tags with no outstanding request. */
    public List<String> strays() {
        return List.copyOf(strays);
    }

    /** The reply, cast to the expected type; an error reply fails the test with its errno. */
    public static <T extends Rmessage> T expect(Rmessage reply, Class<T> type) {
        if (!type.isInstance(reply)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + reply);
        }
        return type.cast(reply);
    }

    public static Rmessage await(CompletableFuture<Rmessage> reply) throws IOException {
        try {
            return reply.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("connection failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no reply within " + TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
