package io.k9p.testing;

import io.k9p.fs.Attributes;
import io.k9p.fs.Directory;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.Waiting;
import io.k9p.protocol.Errno;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory whose lookups wait until {@link #release} is called, as a tree waits for the
 * network: each says so first ({@link Waiting#mayWait}), so a front end hands it to a thread of its
 * own. It counts the lookups begun and those that waited.
 */
public final class WaitingDirectory implements Directory {
    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong(1L << 50);

    private final String name;
    private final long id = IDS.incrementAndGet();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger begun = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();

    public WaitingDirectory(String name) {
        this.name = name;
    }

    public void release() {
        released.countDown();
    }

    /** Lookups begun, those given up as would-wait included. */
    public int begun() {
        return begun.get();
    }

    /** Lookups waiting for {@link #release} now. */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Attributes attributes() {
        return new Attributes(0555, 0, Instant.EPOCH, 0);
    }

    @Override
    public Node lookup(String child) throws FsException {
        begun.incrementAndGet();
        Waiting.mayWait();
        waiting.incrementAndGet();
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EINTR, "lookup of " + child + " interrupted");
        } finally {
            waiting.decrementAndGet();
        }
        throw new FsException(Errno.ENOENT, child + ": nothing here");
    }

    @Override
    public List<Node> list() {
        return List.of();
    }
}
