package io.k9p.fs;

/**
 * An open file whose reads wait for data that arrives over time, such as a followed log.
 *
 * <p>Linux's 9P client repeats a read(2) with further Treads until the caller's buffer is full or
 * a Tread returns nothing (p9_client_read in net/9p/client.c), so a chunk on its own would leave
 * the caller waiting for the next one. Each chunk is therefore kept shorter than the request and
 * followed by one empty reply at the offset after it, which ends that read(2) with the chunk; the
 * next read(2) asks at that same offset and waits for the next chunk. A reader that opens with
 * O_NONBLOCK makes one Tread per read(2) and so sees each empty reply as an end of file.
 */
public final class BlockingStream implements OpenFile {
    private static final byte[] EMPTY = new byte[0];

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
    /** The offset whose next read gets the empty reply that ends a read(2); -1 when none is due. */
    private long chunkEnd = -1;
    private boolean ended;

    public BlockingStream(Source source) {
        this.source = source;
    }

    @Override
    public byte[] read(long offset, int count) throws FsException, InterruptedException {
        synchronized (this) {
            if (ended || count == 0) {
                return EMPTY;
            }
            if (offset == chunkEnd) {
                chunkEnd = -1;
                return EMPTY;
            }
        }
        byte[] chunk = source.next(count > 1 ? count - 1 : 1);
        synchronized (this) {
            if (chunk.length == 0) {
                ended = true;
            } else if (chunk.length < count) {
                chunkEnd = offset + chunk.length;
            }
        }
        return chunk;
    }

    @Override
    public void close() throws FsException {
        source.close();
    }
}
