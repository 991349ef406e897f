package io.k9p.fs;

import io.k9p.protocol.Errno;
import java.util.Arrays;

/**
 * An open of a file whose content is a snapshot taken at open and whose writes change only this
 * open's copy until they are committed: the shape of a file that stands for an object elsewhere.
 * When the copy is committed is {@link CommitPoints}' business: {@link #document} and
 * {@link #control} pair the two. A failed commit changes nothing and is not retried until the
 * content changes again, so each error is reported once, where the client can see it.
 */
public final class BufferedOpenFile implements OpenFile {
    /** Far above any object an API server stores, and low enough that writers cannot exhaust the heap. */
    public static final int MAX_SIZE = 16 << 20;

    /** Makes the written content take effect, or explains why it cannot. */
    @FunctionalInterface
    public interface Commit {
        void commit(byte[] content) throws FsException;
    }

    private final OpenFlags flags;
    private byte[] content;
    private int length;

    private BufferedOpenFile(byte[] snapshot, OpenFlags flags) {
        this.flags = flags;
        this.content = flags.truncate() ? new byte[0] : snapshot.clone();
        this.length = content.length;
    }

    /** A document: written in pieces, committed whole at fsync and close. */
    public static OpenFile document(byte[] snapshot, OpenFlags flags, Commit commit) {
        BufferedOpenFile copy = new BufferedOpenFile(snapshot, flags);
        return CommitPoints.document(copy, flags, () -> commit.commit(copy.content()));
    }

    /** A control file: every write commits the value written so far. */
    public static OpenFile control(byte[] snapshot, OpenFlags flags, Commit commit) {
        BufferedOpenFile copy = new BufferedOpenFile(snapshot, flags);
        return CommitPoints.control(copy, flags, () -> commit.commit(copy.content()));
    }

    @Override
    public synchronized byte[] read(long offset, int count) throws FsException {
        if (!flags.read()) {
            throw new FsException(Errno.EBADF, "not open for reading");
        }
        if (offset >= length) {
            return new byte[0];
        }
        return Arrays.copyOfRange(content, (int) offset, (int) Math.min(length, offset + count));
    }

    @Override
    public synchronized int write(long offset, byte[] data) throws FsException {
        if (!flags.write()) {
            throw new FsException(Errno.EBADF, "not open for writing");
        }
        long start = flags.append() ? length : offset;
        long end = start + data.length;
        checkSize(end);
        if (end > content.length) {
            content = Arrays.copyOf(content, (int) Math.max(end, Math.min(MAX_SIZE, 2L * content.length)));
        }
        System.arraycopy(data, 0, content, (int) start, data.length);
        length = (int) Math.max(length, end);
        return data.length;
    }

    @Override
    public synchronized void truncate(long size) throws FsException {
        checkSize(size);
        if (size > content.length) {
            content = Arrays.copyOf(content, (int) size);
        } else {
            Arrays.fill(content, (int) size, length, (byte) 0);
        }
        length = (int) size;
    }

    private synchronized byte[] content() {
        return Arrays.copyOf(content, length);
    }

    private static void checkSize(long size) throws FsException {
        if (size > MAX_SIZE) {
            throw new FsException(Errno.EFBIG, "larger than " + MAX_SIZE + " bytes");
        }
    }
}
