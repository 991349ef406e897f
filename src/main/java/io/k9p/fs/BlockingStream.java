package io.k9p.fs;

import java.util.Arrays;

/**
 * An open file whose reads wait for data that arrives over time, such as a followed log: a file
 * that grows while it is read. Data is placed at increasing offsets as it arrives; a read at the
 * end waits for more, and a read before it (a shell that read ahead and seeked back to the end of
 * a line) gets what is still kept of the last {@value #RETAINED} bytes.
 *
 * <p>Linux's 9P client repeats a read(2) with further Treads until the caller's buffer is full or
 * a Tread returns nothing (p9_client_read in net/9p/client.c), so new data on its own would leave
 * the caller waiting for more. Each chunk is therefore kept shorter than the request and followed
 * by one empty reply at the offset after it, which ends that read(2) with the chunk; the next
 * read(2) asks at that same offset and waits. A reader that opens with O_NONBLOCK makes one Tread
 * per read(2) and so sees each empty reply as an end of file.
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
    /** The last bytes that arrived, ending at offset {@link #end}. */
    private byte[] retained = EMPTY;
    private long end;
    /** The offset whose next read gets the empty reply that ends a read(2); -1 when none is due. */
    private long chunkEnd = -1;
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
            if (offset == chunkEnd) {
                chunkEnd = -1;
                return EMPTY;
            }
            if (offset < end) {
                return reread(offset, count);
            }
            if (ended) {
                return EMPTY;
            }
        }
        byte[] chunk = source.next(count > 1 ? count - 1 : 1);
        synchronized (this) {
            if (chunk.length == 0) {
                ended = true;
                return EMPTY;
            }
            keep(chunk);
            if (chunk.length < count) {
                chunkEnd = end;
            }
        }
        return chunk;
    }

    private byte[] reread(long offset, int count) {
        long start = Math.max(offset, end - retained.length);
        int from = (int) (start - (end - retained.length));
        int length = (int) Math.min(count, end - start);
        if (start + length == end && length < count) {
            chunkEnd = end;
        }
        return Arrays.copyOfRange(retained, from, from + length);
    }

    private void keep(byte[] chunk) {
        byte[] joined = new byte[Math.min(RETAINED, retained.length + chunk.length)];
        int fromOld = joined.length - Math.min(joined.length, chunk.length);
        System.arraycopy(retained, retained.length - fromOld, joined, 0, fromOld);
        System.arraycopy(chunk, chunk.length - (joined.length - fromOld), joined, fromOld, joined.length - fromOld);
        retained = joined;
        end += chunk.length;
    }

    @Override
    public void close() throws FsException {
        source.close();
    }
}
