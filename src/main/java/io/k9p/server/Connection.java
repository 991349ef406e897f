package io.k9p.server;

import io.k9p.fs.FsException;
import io.k9p.fs.Waiting;
import io.k9p.net.ChannelInput;
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
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * One client connection. A reader thread decodes frames. A request that reads the tree without
 * waiting (a walk, a stat, a read of a snapshot) is answered right there, with no thread switch:
 * one client's requests come one at a time, so their latency is what it feels. Any other request,
 * and one the tree says would wait ({@link Waiting}), runs on a virtual thread of its own, so
 * requests run concurrently and a blocked read holds up nothing else; replies go out in whatever
 * order they finish.
 */
final class Connection implements Runnable {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final int MIN_MSIZE = 512;
    private static final MessageCodec PLAIN = new MessageCodec(Dialect.P9P2000);
    /**
     * Bytes of request frames a connection may have in progress; past it the reader waits, so a
     * client that pipelines large writes cannot make the server hold more than this.
     */
    static final int IN_PROGRESS_BYTES = 64 << 20;

    /** A request between its arrival and its reply, so Tflush can find and abort it. */
    private static final class Request {
        final int tag;
        /** Its share of the in-progress budget, given back with the reply. */
        final int cost;
        final CountDownLatch done = new CountDownLatch(1);
        /** Set before the request is visible to Tflush. */
        Thread thread;
        /** Set under the write lock: the reply must then never be sent. */
        boolean flushed;

        Request(int tag, int cost) {
            this.tag = tag;
            this.cost = cost;
        }
    }

    private final SocketChannel channel;
    private final ServerConfig config;
    private final Peer peer;
    private final Object writeLock = new Object();
    private final ConcurrentHashMap<Integer, Request> inFlight = new ConcurrentHashMap<>();
    private final Semaphore budget;
    private volatile Session session;

    Connection(SocketChannel channel, ServerConfig config, Peer peer) {
        this.channel = channel;
        this.config = config;
        this.peer = peer;
        this.budget = new Semaphore(Math.max(IN_PROGRESS_BYTES, 2 * config.maxMsize()));
    }

    @Override
    public void run() {
        try (channel) {
            InputStream in = new BufferedInputStream(new ChannelInput(channel), 64 * 1024);
            while (true) {
                Session current = session;
                Frame frame = Frame.read(in, current == null ? config.maxMsize() : current.msize);
                if (frame == null) {
                    break;
                }
                dispatch(frame);
            }
        } catch (ProtocolException e) {
            LOG.log(Level.WARNING, "{0}: closing connection: {1}", peer, e.getMessage());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: connection ended: {1}", peer, e.toString());
        } finally {
            abortAll();
            endSession();
        }
    }

    private void dispatch(Frame frame) throws IOException {
        if (frame.type() == MessageCodec.TVERSION) {
            version(frame);
            return;
        }
        Session current = session;
        if (current == null) {
            send(PLAIN, frame.tag(), new Rmessage.Error(Errno.EPROTO.message(), Errno.EPROTO.number()));
            return;
        }
        Tmessage message;
        try {
            message = current.codec.decodeRequest(frame);
        } catch (ProtocolException e) {
            LOG.log(Level.DEBUG, "{0}: bad request: {1}", peer, e.getMessage());
            send(current.codec, frame.tag(), current.error(e.errno()));
            return;
        }
        if (current.answersAtOnce(message) && !inFlight.containsKey(frame.tag())) {
            Rmessage reply = reply(current, message, () -> Waiting.quickly(() -> current.handle(message)));
            if (reply != null) {
                send(current.codec, frame.tag(), reply);
                return;
            }
        }
        // Tflush never waits for budget: it is what frees budget held by blocked requests.
        int cost = message instanceof Tmessage.Flush ? 0 : Frame.HEADER_SIZE + frame.body().remaining();
        Request request = new Request(frame.tag(), cost);
        request.thread = Thread.ofVirtual()
                .name("9p-" + peer + "-tag-" + frame.tag())
                .unstarted(() -> serve(current, request, message));
        budget.acquireUninterruptibly(cost);
        if (inFlight.putIfAbsent(frame.tag(), request) != null) {
            budget.release(cost);
            LOG.log(Level.WARNING, "{0}: tag {1} already in use", peer, frame.tag());
            send(current.codec, frame.tag(), current.error(Errno.EBUSY));
            return;
        }
        request.thread.start();
    }

    private void serve(Session current, Request request, Tmessage message) {
        Rmessage reply = reply(current, message,
                () -> message instanceof Tmessage.Flush flush ? flush(request, flush) : current.handle(message));
        byte[] bytes = current.codec.encode(request.tag, reply);
        synchronized (writeLock) {
            inFlight.remove(request.tag, request);
            if (!request.flushed) {
                write(bytes);
            }
        }
        budget.release(request.cost);
        request.done.countDown();
    }

    /** The reply to a request, errors included; null when the tree would have had to wait for it. */
    private Rmessage reply(Session current, Tmessage message, Waiting.Operation<Rmessage> answer) {
        try {
            return answer.run();
        } catch (Waiting.WouldWait later) {
            return null;
        } catch (FsException e) {
            LOG.log(Level.DEBUG, "{0}: {1}: {2}", peer, message.getClass().getSimpleName(), e.getMessage());
            return current.error(e.errno());
        } catch (InterruptedException e) {
            return current.error(Errno.EINTR);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, peer + ": " + message.getClass().getSimpleName() + " failed", e);
            return current.error(Errno.EIO);
        }
    }

    /**
     * Aborts the request with the old tag and answers only once it has finished, so no reply for the
     * old tag can follow the Rflush. An unknown tag was already answered: Rflush at once.
     */
    private Rmessage flush(Request self, Tmessage.Flush flush) throws InterruptedException {
        Request old;
        synchronized (writeLock) {
            old = inFlight.get(flush.oldtag());
            if (old == self) {
                old = null;
            }
            if (old != null) {
                old.flushed = true;
            }
        }
        if (old != null) {
            abort(old);
        }
        return new Rmessage.Flush();
    }

    /** Tversion: aborts everything outstanding, clunks every fid and starts a new session. */
    private void version(Frame frame) throws IOException {
        abortAll();
        endSession();
        Tmessage.Version request;
        try {
            request = (Tmessage.Version) PLAIN.decodeRequest(frame);
        } catch (ProtocolException e) {
            send(PLAIN, frame.tag(), new Rmessage.Error(e.errno().message(), e.errno().number()));
            return;
        }
        int msize = (int) Math.min(Integer.toUnsignedLong(request.msize()), config.maxMsize());
        var dialect = Dialect.negotiate(request.version());
        if (dialect.isEmpty() || msize < MIN_MSIZE) {
            send(PLAIN, frame.tag(), new Rmessage.Version(msize, Dialect.UNKNOWN));
            return;
        }
        Session started = new Session(dialect.get(), msize, config,
                new Admission(peer, config.users(), config.tokens()));
        session = started;
        LOG.log(Level.DEBUG, "{0}: {1}, msize {2}", peer, dialect.get().version(), String.valueOf(msize));
        send(started.codec, frame.tag(), new Rmessage.Version(msize, dialect.get().version()));
    }

    private void abortAll() {
        List<Request> requests;
        synchronized (writeLock) {
            requests = List.copyOf(inFlight.values());
            requests.forEach(request -> request.flushed = true);
        }
        for (Request request : requests) {
            try {
                abort(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void abort(Request request) throws InterruptedException {
        request.thread.interrupt();
        request.done.await();
    }

    private void endSession() {
        Session ended = session;
        session = null;
        if (ended != null) {
            for (FsException failure : ended.clunkAll()) {
                LOG.log(Level.WARNING, "{0}: clunk at session end failed: {1}", peer, failure.getMessage());
            }
        }
    }

    private void send(MessageCodec codec, int tag, Rmessage reply) {
        byte[] bytes = codec.encode(tag, reply);
        synchronized (writeLock) {
            write(bytes);
        }
    }

    /** Writes a whole reply; a failure means the peer is gone, and the reader will see it too. */
    private void write(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: write failed: {1}", peer, e.toString());
            try {
                channel.close();
            } catch (IOException ignored) {
                // Already failing; the reader thread ends the connection.
            }
        }
    }
}
