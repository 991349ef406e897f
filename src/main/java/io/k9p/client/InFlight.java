package io.k9p.client;

import io.k9p.fs.FsException;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.Rmessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The requests of one connection that await their replies, by tag. A tag is taken from when its
 * request is registered until its reply arrives or, for a flushed request, until the Rflush does:
 * a reply to the old tag may still come before the Rflush, and a new request under that tag would
 * take it for its own. NOTAG is never handed out; only Tversion uses it, by name.
 */
final class InFlight {
    /** Every tag but NOTAG. */
    static final int TAGS = MessageCodec.NOTAG;

    private final ConcurrentHashMap<Integer, Exchange> byTag = new ConcurrentHashMap<>();
    /** One permit per free tag, so that a caller waits when all are taken instead of spinning. */
    private final Semaphore freeTags = new Semaphore(TAGS);
    private final AtomicInteger nextTag = new AtomicInteger();
    private volatile FsException failure;

    /** Registers a request under a free tag, waiting for one while every tag is taken. */
    Exchange open() throws FsException, InterruptedException {
        freeTags.acquire();
        return register(null);
    }

    /** Like {@link #open()}, but the wait cannot be interrupted: for requests nobody waits on. */
    Exchange openUninterruptibly() throws FsException {
        freeTags.acquireUninterruptibly();
        return register(null);
    }

    /** Registers the Tflush of {@code old}; its reply frees both tags. */
    Exchange openFlush(Exchange old) throws FsException {
        freeTags.acquireUninterruptibly();
        return register(old);
    }

    /** Registers a request under a tag the caller chose: NOTAG for Tversion, or any for tests of a server. */
    Exchange open(int tag) throws FsException {
        boolean counted = tag != MessageCodec.NOTAG;
        if (counted && !freeTags.tryAcquire()) {
            throw new IllegalStateException("every tag is taken");
        }
        Exchange exchange = new Exchange(tag, null);
        if (byTag.putIfAbsent(tag, exchange) != null) {
            if (counted) {
                freeTags.release();
            }
            throw new IllegalStateException("tag " + tag + " is outstanding");
        }
        return checked(exchange);
    }

    private Exchange register(Exchange flushed) throws FsException {
        // A permit guarantees a free tag, so the search ends; it starts after the last tag handed
        // out, which keeps a tag unused for as long as possible after its reply.
        while (true) {
            int tag = Math.floorMod(nextTag.getAndIncrement(), TAGS);
            Exchange exchange = new Exchange(tag, flushed);
            if (byTag.putIfAbsent(tag, exchange) == null) {
                return checked(exchange);
            }
        }
    }

    /** A request registered after the connection failed would never be answered: refuse it. */
    private Exchange checked(Exchange exchange) throws FsException {
        FsException failed = failure;
        if (failed != null) {
            end(exchange);
            throw Transport.rethrown(failed);
        }
        return exchange;
    }

    /** Hands a reply to its request; false when no request waits for that tag. */
    boolean deliver(int tag, Rmessage reply) {
        return settle(tag, future -> future.complete(reply));
    }

    /** Fails the request whose reply arrived but could not be read; false when none waits for the tag. */
    boolean deliver(int tag, FsException unreadable) {
        return settle(tag, future -> future.completeExceptionally(unreadable));
    }

    /**
     * The tags are free before the caller hears the reply, so that it may send under the same tag
     * again at once (Tversion under NOTAG); under the exchange's lock, so that a flush cannot start
     * in between and name a tag already given to another request.
     */
    private boolean settle(int tag, Predicate<CompletableFuture<Rmessage>> completion) {
        Exchange exchange = byTag.get(tag);
        if (exchange == null) {
            return false;
        }
        synchronized (exchange) {
            if (exchange.reply.isDone()) {
                // A second reply for a flushed tag, whose first one came before the Rflush.
                return false;
            }
            if (!exchange.flushing) {
                end(exchange);
            }
            if (exchange.flushed != null) {
                end(exchange.flushed);
            }
            completion.test(exchange.reply);
        }
        return true;
    }

    /**
     * Marks a request as being flushed, so that its reply, should it still come, leaves the tag
     * taken. False when the reply already arrived: then there is nothing to flush.
     */
    boolean startFlush(Exchange exchange) {
        synchronized (exchange) {
            if (exchange.reply.isDone()) {
                return false;
            }
            exchange.flushing = true;
            return true;
        }
    }

    /** Fails every request waiting now and every one registered later. */
    void failAll(FsException cause) {
        failure = cause;
        for (Exchange exchange : List.copyOf(byTag.values())) {
            end(exchange);
            exchange.reply.completeExceptionally(cause);
        }
    }

    /** Whether a request holds the tag: for tests of the tag rules. */
    boolean taken(int tag) {
        return byTag.containsKey(tag);
    }

    void end(Exchange exchange) {
        if (byTag.remove(exchange.tag, exchange) && exchange.tag != MessageCodec.NOTAG) {
            freeTags.release();
        }
    }
}
