package io.k9p.fuse;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests that threads of their own are answering, from their receipt until their reply. Each
 * gets exactly one reply: its thread's, or the one of whoever took it over first. {@link #stop}
 * takes over every request still waiting (for a watch, for the API server, for a 9P server that no
 * longer answers) so that it can be answered at once, interrupts the threads working on them, and
 * refuses every later request: no caller waits on a mount that is going away. A read is taken over
 * by its interrupt. No thread's late reply reaches a request that was answered already.
 */
final class Unanswered {
    private static final int NEW = 0;
    private static final int WORKING = 1;
    private static final int REPLYING = 2;
    private static final int TAKEN_OVER = 3;

    /** One request: received, then worked on by a thread of its own, then answered once. */
    final class Request {
        /** What the request's interrupt callback is registered with, to find it again. */
        final long key;
        private final MemorySegment req;
        /** Answered at its interrupt, not when its thread has stopped: it changes nothing. */
        private final boolean answeredAtInterrupt;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private volatile Thread thread;
        private volatile boolean interrupted;

        private Request(long key, MemorySegment req, boolean answeredAtInterrupt) {
            this.key = key;
            this.req = req;
            this.answeredAtInterrupt = answeredAtInterrupt;
        }

        /** libfuse's request. */
        MemorySegment req() {
            return req;
        }

        /**
         * The receiving thread has registered the interrupt callback and hands the request to a
         * thread of its own; false if the mount stopped in between: the receiving thread answers it.
         */
        boolean handOver() {
            return state.compareAndSet(NEW, WORKING);
        }

        /** The thread working on the request, which gets any interrupt that came before it started. */
        void startOn(Thread worker) {
            thread = worker;
            if (interrupted) {
                worker.interrupt();
            }
        }

        /**
         * The kernel interrupted the request (its caller got a signal): its thread is interrupted.
         * True if the caller is to answer it (EINTR) now: a request answered at its interrupt, taken
         * over from its thread. No lock is taken: libfuse calls this holding the request's own, which
         * a thread answering the request may want.
         */
        boolean interrupt() {
            interrupted = true;
            boolean takenOver = answeredAtInterrupt && state.compareAndSet(WORKING, TAKEN_OVER);
            Thread worker = thread;
            if (worker != null && (takenOver || state.get() == WORKING)) {
                worker.interrupt();
            }
            if (takenOver) {
                finished(this);
            }
            return takenOver;
        }

        /** Sends the thread's reply, unless the stop answered the request already. */
        void reply(Runnable send) {
            if (!state.compareAndSet(WORKING, REPLYING)) {
                return;
            }
            // The reply frees the request; an interrupt meant for it must not outlive it on this thread.
            Thread.interrupted();
            try {
                send.run();
            } finally {
                finished(this);
            }
        }

    }

    private final Map<Long, Request> byKey = new ConcurrentHashMap<>();
    private long nextKey = 1;
    private volatile boolean stopped;

    /**
     * Registers a request, on the thread that received it; null once the mount is stopping. One
     * {@code answeredAtInterrupt} gets its reply from the interrupt, if one comes while it is worked on.
     */
    synchronized Request admit(MemorySegment req, boolean answeredAtInterrupt) {
        if (stopped) {
            return null;
        }
        Request request = new Request(nextKey++, req, answeredAtInterrupt);
        byKey.put(request.key, request);
        return request;
    }

    /** The request registered under {@code key}, while it is unanswered. */
    Request find(long key) {
        return byKey.get(key);
    }

    boolean stopped() {
        return stopped;
    }

    /**
     * Refuses every later request and takes over those in flight: the libfuse requests returned
     * are the caller's to answer. A request whose reply is being sent is left to its thread; one
     * not yet handed over is answered by the thread that received it.
     */
    List<MemorySegment> stop() {
        List<Request> inFlight;
        synchronized (this) {
            stopped = true;
            inFlight = List.copyOf(byKey.values());
        }
        List<MemorySegment> takenOver = new ArrayList<>();
        for (Request request : inFlight) {
            if (request.state.compareAndSet(NEW, TAKEN_OVER)) {
                finished(request);
            } else if (request.state.compareAndSet(WORKING, TAKEN_OVER)) {
                Thread worker = request.thread;
                if (worker != null) {
                    worker.interrupt();
                }
                takenOver.add(request.req);
                finished(request);
            }
            // Else its reply is being sent, and its thread finishes it.
        }
        return takenOver;
    }

    /** Waits until every reply being sent is out, at most {@code limit}; whether they all are. */
    synchronized boolean awaitReplies(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!byKey.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private void finished(Request request) {
        byKey.remove(request.key);
        synchronized (this) {
            notifyAll();
        }
    }
}
