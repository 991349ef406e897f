package io.k9p.fs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Lines waiting for one reader of a stream file. It holds at most a fixed number; past that, new
 * lines are counted instead of kept, and the reader gets one line in their place saying how many
 * it missed ({@code DROPPED n}), so a reader that stops reading cannot grow the server's memory.
 * Reads return whole lines only.
 */
public final class LineQueue implements BlockingStream.Source {
    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
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
        while (lines.isEmpty() && dropped == 0 && !ended) {
            wait();
        }
        StringBuilder chunk = new StringBuilder();
        if (dropped > 0) {
            chunk.append("DROPPED ").append(dropped).append('\n');
            dropped = 0;
        }
        while (!lines.isEmpty() && utf8Length(chunk) + utf8Length(lines.peek()) + 1 <= max) {
            chunk.append(lines.poll()).append('\n');
        }
        if (chunk.isEmpty() && !lines.isEmpty()) {
            // A line longer than the whole request: a client asking for less than a line gets part.
            byte[] line = (lines.poll() + "\n").getBytes(StandardCharsets.UTF_8);
            return Arrays.copyOf(line, max);
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
