package io.k9p.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Lines waiting for one reader of a stream file. It holds at most a fixed number; past that, new
 * lines are counted instead of kept, and the reader gets one line in their place saying how many
 * it missed ({@code DROPPED n}), so a reader that stops reading cannot grow the server's memory.
 * A read returns as many whole lines as fit; only a read smaller than a line (a shell reading a
 * byte at a time) gets part of one, and the rest of it comes next.
 */
public final class LineQueue implements BlockingStream.Source {
    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    /** What is left of a line that a small read took only part of. */
    private byte[] partial = new byte[0];
    private long dropped;
    private boolean ended;
    private final Runnable onClose;

    public LineQueue(int capacity, Runnable onClose) {
        this.capacity = capacity;
        this.onClose = onClose;
    }

    /** Adds a line (without its newline); never blocks the producer. */
    public synchronized void offer(String line) {
        if (ended) {
            return;
        }
        if (lines.size() >= capacity) {
            dropped++;
            return;
        }
        lines.add(line);
        notifyAll();
    }

    /** No more lines will come: readers get what is queued, then the end of the file. */
    public synchronized void end() {
        ended = true;
        notifyAll();
    }

    public synchronized int size() {
        return lines.size();
    }

    @Override
    public synchronized byte[] next(int max) throws InterruptedException {
        if (partial.length > 0) {
            byte[] part = Arrays.copyOf(partial, Math.min(max, partial.length));
            partial = Arrays.copyOfRange(partial, part.length, partial.length);
            return part;
        }
        while (lines.isEmpty() && dropped == 0 && !ended) {
            wait();
        }
        if (dropped > 0) {
            lines.addFirst("DROPPED " + dropped);
            dropped = 0;
        }
        StringBuilder chunk = new StringBuilder();
        while (!lines.isEmpty() && utf8Length(chunk) + utf8Length(lines.peek()) + 1 <= max) {
            chunk.append(lines.poll()).append('\n');
        }
        if (chunk.isEmpty() && !lines.isEmpty()) {
            partial = (lines.poll() + "\n").getBytes(StandardCharsets.UTF_8);
            return next(max);
        }
        return chunk.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        end();
        onClose.run();
    }

    private static int utf8Length(CharSequence text) {
        return text.toString().getBytes(StandardCharsets.UTF_8).length;
    }
}
