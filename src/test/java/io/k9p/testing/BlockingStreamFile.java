package io.k9p.testing;

import io.k9p.fs.Attributes;
import io.k9p.fs.BlockingStream;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream file for tests: reads block until a line is published, like a log being followed. It
 * counts the reads blocked right now, so a test can see that a flushed read let go, and the opens not
 * closed yet, so that it can see that a close reached it.
 */
public final class BlockingStreamFile extends FixtureFile {
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final AtomicInteger blockedReads = new AtomicInteger();
    private final AtomicInteger abortedReads = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();

    public BlockingStreamFile(String name) {
        super(name);
    }

    public void publish(String line) {
        lines.add(line);
    }

    public int blockedReads() {
        return blockedReads.get();
    }

    /** Waits up to 10 seconds for that many reads to be blocked here, and fails if they are not. */
    public void awaitBlockedReads(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (blockedReads() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (blockedReads() != expected) {
            throw new AssertionError("expected " + expected + " blocked reads of " + name() + ", found " + blockedReads());
        }
    }

    public int abortedReads() {
        return abortedReads.get();
    }

    @Override
    public Attributes attributes() {
        return new Attributes(0444, 0, Instant.EPOCH, 0);
    }

    /** Opens of this file not closed yet. */
    public int openStreams() {
        return openStreams.get();
    }

    @Override
    public OpenFile open(OpenFlags flags) {
        openStreams.incrementAndGet();
        return new BlockingStream(new BlockingStream.Source() {
            @Override
            public byte[] next(int max) throws InterruptedException {
                blockedReads.incrementAndGet();
                try {
                    byte[] line = (lines.take() + "\n").getBytes(StandardCharsets.UTF_8);
                    return line.length <= max ? line : java.util.Arrays.copyOf(line, max);
                } catch (InterruptedException e) {
                    abortedReads.incrementAndGet();
                    throw e;
                } finally {
                    blockedReads.decrementAndGet();
                }
            }

            @Override
            public void close() {
                openStreams.decrementAndGet();
            }
        });
    }
}
