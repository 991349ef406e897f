package io.k9p.testing;

import io.k9p.protocol.Dialect;
import io.k9p.protocol.Frame;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.ProtocolException;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import io.k9p.net.Endpoint;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small 9P client for tests and the benchmark, built on the project's codec. Replies are matched
 * to requests by tag, so several requests can be outstanding at once, as a kernel client has them.
 */
public final class NinePClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final SocketChannel channel;
    private final OutputStream out;
    private final Map<Integer, CompletableFuture<Rmessage>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextTag = new AtomicInteger();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Replies whose tag had no outstanding request: each one is a server bug. */
    private final List<String> strays = new CopyOnWriteArrayList<>();
    private volatile MessageCodec codec = new MessageCodec(Dialect.P9P2000);
    private volatile int msize = 8192;

    private NinePClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.out = Channels.newOutputStream(channel);
        Thread.ofVirtual().name("test-client-reader").start(this::readReplies);
    }

    /** Connects without negotiating: for tests of what happens before Tversion. */
    public static NinePClient connectRaw(Endpoint endpoint) throws IOException {
        SocketChannel channel = switch (endpoint) {
            case Endpoint.Tcp tcp -> SocketChannel.open(new InetSocketAddress(tcp.host(), tcp.port()));
            case Endpoint.Unix unix -> SocketChannel.open(UnixDomainSocketAddress.of(unix.path()));
        };
        return new NinePClient(channel);
    }

    /** Connects and negotiates the dialect; fails if the server answers with another. */
    public static NinePClient connect(Endpoint endpoint, Dialect dialect, int msize) throws IOException {
        NinePClient client = connectRaw(endpoint);
        Rmessage reply = client.version(msize, dialect.version());
        if (!(reply instanceof Rmessage.Version version) || !version.version().equals(dialect.version())) {
            client.close();
            throw new IOException("server did not accept " + dialect.version() + ": " + reply);
        }
        return client;
    }

    /** Sends Tversion and switches this client to the dialect the server chose. */
    public Rmessage version(int requestedMsize, String version) throws IOException {
        Rmessage reply = call(MessageCodec.NOTAG, new Tmessage.Version(requestedMsize, version));
        if (reply instanceof Rmessage.Version answer) {
            Dialect.negotiate(answer.version())
                    .filter(d -> d.version().equals(answer.version()))
                    .ifPresent(d -> codec = new MessageCodec(d));
            msize = answer.msize();
        }
        return reply;
    }

    public Dialect dialect() {
        return codec.dialect();
    }

    public int msize() {
        return msize;
    }

    /** Sends a request with a fresh tag and waits for its reply. */
    public Rmessage call(Tmessage request) throws IOException {
        return await(send(request));
    }

    public Rmessage call(int tag, Tmessage request) throws IOException {
        return await(send(tag, request));
    }

    public CompletableFuture<Rmessage> send(Tmessage request) throws IOException {
        int tag;
        do {
            tag = nextTag.getAndIncrement() & 0x7fff;
        } while (pending.containsKey(tag));
        return send(tag, request);
    }

    public CompletableFuture<Rmessage> send(int tag, Tmessage request) throws IOException {
        CompletableFuture<Rmessage> reply = new CompletableFuture<>();
        if (pending.putIfAbsent(tag, reply) != null) {
            throw new IllegalStateException("tag " + tag + " is outstanding");
        }
        writeRaw(codec.encode(tag, request));
        return reply;
    }

    /** Writes bytes as they are, for tests of malformed input. */
    public synchronized void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Completes when the server closes the connection. */
    public CompletableFuture<Void> closed() {
        return closed;
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

    /** Whether a reply for this tag is still awaited. */
    public boolean outstanding(int tag) {
        return pending.containsKey(tag);
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

    private void readReplies() {
        try (InputStream in = new BufferedInputStream(Channels.newInputStream(channel))) {
            while (true) {
                Frame frame = Frame.read(in, Integer.MAX_VALUE);
                if (frame == null) {
                    break;
                }
                Rmessage reply = codec.decodeResponse(frame);
                CompletableFuture<Rmessage> waiting = pending.remove(frame.tag());
                if (waiting == null) {
                    strays.add("tag " + frame.tag() + ": " + reply);
                } else {
                    waiting.complete(reply);
                }
            }
            closed.complete(null);
        } catch (IOException | ProtocolException e) {
            closed.complete(null);
            pending.values().forEach(f -> f.completeExceptionally(e));
        } finally {
            IOException gone = new IOException("connection closed");
            pending.values().forEach(f -> f.completeExceptionally(gone));
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
