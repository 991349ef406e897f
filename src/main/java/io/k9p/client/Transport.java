package io.k9p.client;

import io.k9p.fs.Waiting;
import io.k9p.fs.FsException;
import io.k9p.net.ChannelInput;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Frame;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.ProtocolException;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connection to a 9P server, in any dialect: requests from any number of threads, each under a
 * tag of its own, and replies matched to them by tag, so that many requests are in flight at once.
 *
 * <p>Two threads of its own do the socket I/O. The reader decodes replies and hands each to its
 * request. The writer sends requests in the order they were queued; callers never write the socket
 * themselves, because a socket channel is closed when a thread blocked in it is interrupted, and
 * an interrupted caller (a FUSE request the user gave up on) must cost its own request, not the
 * connection. Both are platform threads: a virtual thread's blocking socket read goes through the
 * JDK's poller (a failed read, an epoll registration, a wake-up of the poller and then of a carrier),
 * which made the protocol benchmark's 16 clients a third slower.
 *
 * <p>Once the connection fails, because the server closed it, the socket failed or the server
 * broke the protocol, every waiting call and every later one fails at once with EIO.
 */
public final class Transport implements AutoCloseable {
    /** How long an interrupted call waits for the Rflush that frees its tag before it gives up waiting. */
    static final Duration FLUSH_WAIT = Duration.ofSeconds(10);
    private static final int READ_BUFFER = 64 * 1024;
    private static final int MAX_BATCH = 64;

    /** What to do with a reply whose tag no request waits on. */
    @FunctionalInterface
    public interface StrayReplies {
        /**
         * A client's answer: a server that answers a tag nobody used is out of step with it, and
         * no later reply can be trusted to belong to the request it names.
         */
        StrayReplies OUT_OF_STEP = (tag, reply) -> {
            throw new FsException(Errno.EIO, "answered tag " + tag + ", which no request is waiting on: " + reply);
        };

        void arrived(int tag, Rmessage reply) throws FsException;
    }

    private final Endpoint server;
    private final SocketChannel channel;
    private final StrayReplies strays;
    private final InFlight inFlight = new InFlight();
    private final LinkedBlockingQueue<byte[]> outgoing = new LinkedBlockingQueue<>();
    private final AtomicReference<FsException> failure = new AtomicReference<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Thread writer;
    private volatile MessageCodec codec;
    private volatile int msize;
    private volatile boolean closing;

    private Transport(Endpoint server, SocketChannel channel, Dialect dialect, int msize, StrayReplies strays) {
        this.server = server;
        this.channel = channel;
        this.codec = new MessageCodec(dialect);
        this.msize = msize;
        this.strays = strays;
        // The writer first: a reader that fails at once interrupts it.
        this.writer = Thread.ofPlatform().daemon().name("9p-client-writer-" + server).start(this::writeRequests);
        Thread.ofPlatform().daemon().name("9p-client-reader-" + server).start(this::readReplies);
    }

    /**
     * Connects, giving up after {@code timeout}. Until {@link #negotiated} says otherwise, messages
     * are encoded in {@code dialect} and may be {@code msize} bytes long.
     */
    public static Transport open(Endpoint server, Duration timeout, Dialect dialect, int msize, StrayReplies strays)
            throws FsException {
        try {
            return new Transport(server, server.connect(timeout), dialect, msize, strays);
        } catch (IOException e) {
            Errno errno = switch (e) {
                case ConnectException refused -> Errno.ECONNREFUSED;
                case SocketTimeoutException late -> Errno.ETIMEDOUT;
                case NoRouteToHostException unreachable -> Errno.EHOSTUNREACH;
                default -> Errno.EIO;
            };
            throw new FsException(errno, "cannot connect to 9P server " + server + ": " + e.getMessage(), e);
        }
    }

    public Endpoint server() {
        return server;
    }

    /** The dialect messages are encoded in. */
    public Dialect dialect() {
        return codec.dialect();
    }

    /** The largest message either side may send. */
    public int msize() {
        return msize;
    }

    /** What Tversion settled: later messages are encoded in that dialect and held to that size. */
    public void negotiated(Dialect dialect, int msize) {
        this.codec = new MessageCodec(dialect);
        this.msize = msize;
    }

    /**
     * Sends a request and waits for its reply, which may be an error reply. When the calling thread
     * is interrupted meanwhile, the request is flushed: Tflush goes out and the call waits for the
     * Rflush, uninterruptibly and at most {@link #FLUSH_WAIT}. A reply that arrives before the Rflush
     * means the request was carried out, so it is returned as usual, with the thread's interrupt
     * status set again; otherwise the call throws InterruptedException. A call made while the
     * interrupt status is set throws InterruptedException without sending anything.
     */
    public Rmessage call(Tmessage request) throws FsException, InterruptedException {
        Waiting.mayWait();
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before sending " + request.getClass().getSimpleName());
        }
        Exchange exchange = inFlight.open();
        enqueue(exchange, request);
        return await(exchange);
    }

    /** Sends a request without waiting for its reply, for callers that wait their own way or not at all. */
    public CompletableFuture<Rmessage> send(Tmessage request) throws FsException {
        Exchange exchange = inFlight.openUninterruptibly();
        enqueue(exchange, request);
        return exchange.reply.copy();
    }

    /** Sends a request under a tag of the caller's choice: NOTAG for Tversion, any tag for tests of a server. */
    public CompletableFuture<Rmessage> send(int tag, Tmessage request) throws FsException {
        Exchange exchange = inFlight.open(tag);
        enqueue(exchange, request);
        return exchange.reply.copy();
    }

    /**
     * Writes bytes as they are, in order with the requests queued before and after them: for frames
     * no codec would produce, such as the malformed ones that test a server's defences. No reply is
     * awaited; one that comes is a stray.
     */
    public void sendRaw(byte[] frame) throws FsException {
        checkOpen();
        outgoing.add(frame.clone());
    }

    /** Completes when the connection has ended, for whatever reason. */
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    @Override
    public void close() {
        closing = true;
        fail("connection to 9P server " + server + " was closed by this client", null);
    }

    private void enqueue(Exchange exchange, Tmessage request) throws FsException {
        byte[] frame = codec.encode(exchange.tag, request);
        if (frame.length > msize) {
            inFlight.end(exchange);
            throw new FsException(Errno.EMSGSIZE, request.getClass().getSimpleName() + " of " + frame.length
                    + " bytes exceeds the msize of " + msize + " negotiated with " + server);
        }
        outgoing.add(frame);
    }

    private Rmessage await(Exchange exchange) throws FsException, InterruptedException {
        try {
            return exchange.reply.get();
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            return flush(exchange);
        }
    }

    private Rmessage flush(Exchange exchange) throws InterruptedException {
        if (inFlight.startFlush(exchange)) {
            try {
                Exchange flush = inFlight.openFlush(exchange);
                enqueue(flush, new Tmessage.Flush(exchange.tag));
                awaitUninterruptibly(flush.reply, FLUSH_WAIT);
            } catch (FsException connectionGone) {
                // Nothing left to flush: the connection failed, and with it the request.
            }
        }
        if (exchange.reply.state() == Future.State.SUCCESS) {
            Thread.currentThread().interrupt();
            return exchange.reply.resultNow();
        }
        throw new InterruptedException("9P request flushed");
    }

    private static void awaitUninterruptibly(CompletableFuture<Rmessage> reply, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        while (true) {
            try {
                reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | TimeoutException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() throws FsException {
        FsException failed = failure.get();
        if (failed != null) {
            throw rethrown(failed);
        }
    }

    /** The connection's failure for one more caller: its errno and message, the failure itself as the cause. */
    static FsException rethrown(Throwable failure) {
        if (failure instanceof FsException e) {
            return new FsException(e.errno(), e.getMessage(), e);
        }
        return new FsException(Errno.EIO, String.valueOf(failure), failure);
    }

    private void readReplies() {
        try (InputStream in = new BufferedInputStream(new ChannelInput(channel), READ_BUFFER)) {
            while (true) {
                Frame frame = Frame.read(in, msize);
                if (frame == null) {
                    fail(closing ? null : "9P server " + server + " closed the connection", null);
                    return;
                }
                dispatch(frame);
            }
        } catch (ProtocolException e) {
            fail("9P server " + server + " broke the protocol: " + e.getMessage(), e);
        } catch (FsException e) {
            fail(e.getMessage(), e);
        } catch (IOException e) {
            fail(closing ? null : "connection to 9P server " + server + " failed: " + e, e);
        }
    }

    private void dispatch(Frame frame) throws FsException {
        Rmessage reply;
        try {
            reply = codec.decodeResponse(frame);
        } catch (ProtocolException e) {
            // The frame's size kept the stream in step, so only this request fails.
            FsException unreadable = new FsException(Errno.EPROTO, "9P server " + server
                    + " sent a reply that cannot be decoded: " + e.getMessage(), e);
            if (!inFlight.deliver(frame.tag(), unreadable)) {
                throw unreadable;
            }
            return;
        }
        if (!inFlight.deliver(frame.tag(), reply)) {
            try {
                strays.arrived(frame.tag(), reply);
            } catch (FsException e) {
                throw new FsException(e.errno(), "9P server " + server + " " + e.getMessage(), e);
            }
        }
    }

    private void writeRequests() {
        List<byte[]> batch = new ArrayList<>();
        try {
            while (true) {
                batch.add(outgoing.take());
                outgoing.drainTo(batch, MAX_BATCH - 1);
                ByteBuffer[] buffers = new ByteBuffer[batch.size()];
                for (int i = 0; i < buffers.length; i++) {
                    buffers[i] = ByteBuffer.wrap(batch.get(i));
                }
                while (buffers[buffers.length - 1].hasRemaining()) {
                    channel.write(buffers);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            // The connection failed or was closed; fail() interrupts this thread to end it.
        } catch (IOException e) {
            fail(closing ? null : "connection to 9P server " + server + " failed while sending: " + e, e);
        }
    }

    /**
     * Ends the connection once: the first reason is the one every call hears. A null reason means
     * the failure was a consequence of {@link #close}, whose reason is already set.
     */
    private void fail(String reason, Throwable cause) {
        if (reason == null || !failure.compareAndSet(null, new FsException(Errno.EIO, reason, cause))) {
            return;
        }
        // Closed before the calls hear of it: a caller that got EIO finds the connection over.
        closed.complete(null);
        inFlight.failAll(failure.get());
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket that already failed: nothing more to learn.
        }
        writer.interrupt();
        outgoing.clear();
    }
}
