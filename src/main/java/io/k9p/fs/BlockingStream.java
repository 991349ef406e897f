package io.k9p.fs;

import java.util.Arrays;

/**
 * An open file whose reads wait for data that arrives over time, such as a followed log: a file
 * that grows while it is read. Data is placed at increasing offsets as it arrives; a read at the
 * end waits for more and returns what arrived, up to the count asked for; a read before the end
 * (a shell that read ahead and seeked back to the end of a line) gets what is still kept of the
 * last {@value #RETAINED} bytes. How a front end makes each chunk end one read(2) is its own
 * business: see {@link OpenFile#blocking}.
 */
public final class BlockingStream implements OpenFile {
    private static final byte[] EMPTY = new byte[0];
    static final int RETAINED = 64 * 1024;

    /** Where the chunks come from. */
    public interface Source {
        /**
         * Waits until data is available and returns at most {@code max} bytes of it, or an empty
         * array when the stream has ended. An interrupt means the reader went away.
         */
        byte[] next(int max) throws FsException, InterruptedException;

        /** The reader closed the file: release what feeds the stream. */
        default void close() throws FsException {
        }
    }

    private final Source source;
    /**
     * The last bytes that arrived, ending at offset {@link #end}: the byte at offset o sits at
     * o modulo its length. It grows to {@link #RETAINED} and then wraps around, so a chunk that
     * arrives costs a copy of itself, not of everything kept.
     */
    private byte[] retained = EMPTY;
    private long end;
    private boolean ended;

    public BlockingStream(Source source) {
        this.source = source;
    }

    @Override
    public byte[] read(long offset, int count) throws FsException, InterruptedException {
        synchronized (this) {
            if (count == 0) {
                return EMPTY;
            }
            if (offset < end) {
                return reread(offset, count);
            }
            if (ended) {
                return EMPTY;
            }
        }
        byte[] chunk = source.next(count);
        synchronized (this) {
            if (chunk.length == 0) {
                ended = true;
                return EMPTY;
            }
            keep(chunk);
        }
        return chunk;
    }

    private byte[] reread(long offset, int count) {
        long start = Math.max(offset, end - Math.min(end, retained.length));
        byte[] bytes = new byte[(int) Math.min(count, end - start)];
        int from = (int) (start % retained.length);
        int first = Math.min(bytes.length, retained.length - from);
        System.arraycopy(retained, from, bytes, 0, first);
        System.arraycopy(retained, 0, bytes, first, bytes.length - first);
        return bytes;
    }

    private void keep(byte[] chunk) {
        long newEnd = end + chunk.length;
        if (retained.length < RETAINED && newEnd > retained.length) {
            // Not wrapped yet: every byte kept sits at its own offset.
            retained = Arrays.copyOf(retained, (int) Math.min(RETAINED, Math.max(newEnd, 2L * retained.length)));
        }
        int length = Math.min(chunk.length, retained.length);
        long start = newEnd - length;
        int to = (int) (start % retained.length);
        int first = Math.min(length, retained.length - to);
        System.arraycopy(chunk, chunk.length - length, retained, to, first);
        System.arraycopy(chunk, chunk.length - length + first, retained, 0, length - first);
        end = newEnd;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public void close() throws FsException {
        source.close();
    }
}
