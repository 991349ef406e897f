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
    /** Each line as the reader gets it: UTF-8, with its newline. */
    private final ArrayDeque<byte[]> lines = new ArrayDeque<>();
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
        lines.add(bytes(line));
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
            lines.addFirst(bytes("DROPPED " + dropped));
            dropped = 0;
        }
        int size = 0;
        int count = 0;
        for (byte[] line : lines) {
            if (size + line.length > max) {
                break;
            }
            size += line.length;
            count++;
        }
        if (count == 0 && !lines.isEmpty()) {
            partial = lines.poll();
            return next(max);
        }
        if (count == 1) {
            return lines.poll();
        }
        byte[] chunk = new byte[size];
        for (int at = 0; at < size; ) {
            byte[] line = lines.poll();
            System.arraycopy(line, 0, chunk, at, line.length);
            at += line.length;
        }
        return chunk;
    }

    @Override
    public void close() {
        end();
        onClose.run();
    }

    private static byte[] bytes(String line) {
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
