package io.k9p.server;

import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.Waiting;

/**
 * Reads of a blocking file as Linux's 9P client needs them. The client repeats a read(2) with
 * further Treads until the caller's buffer is full or a Tread returns nothing (p9_client_read in
 * net/9p/client.c), so new data on its own would leave the caller waiting for more. Each chunk is
 * therefore asked shorter than the request and followed by one empty reply at the offset after it,
 * which ends that read(2) with the chunk; the next read(2) asks at that same offset and waits. A
 * reader that opens with O_NONBLOCK makes one Tread per read(2) and so sees each empty reply as an
 * end of file.
 */
final class StreamReads {
    private static final byte[] EMPTY = new byte[0];

    private final OpenFile file;
    /** The offset whose next read gets the empty reply that ends a read(2); -1 when none is due. */
    private long pauseAt = -1;

    StreamReads(OpenFile file) {
        this.file = file;
    }

    /** Whether a read at {@code offset} gets the empty reply that ends a read(2): one that waits for nothing. */
    synchronized boolean pausesAt(long offset, int count) {
        return count > 0 && offset == pauseAt;
    }

    byte[] read(long offset, int count) throws FsException, InterruptedException {
        synchronized (this) {
            if (pausesAt(offset, count)) {
                pauseAt = -1;
                return EMPTY;
            }
        }
        // What follows waits for the stream: not on a thread that answers at once.
        Waiting.mayWait();
        byte[] data = file.read(offset, count > 1 ? count - 1 : count);
        if (data.length > 0 && data.length < count) {
            synchronized (this) {
                pauseAt = offset + data.length;
            }
        }
        return data;
    }
}
