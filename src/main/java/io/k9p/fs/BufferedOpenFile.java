package io.k9p.fs;

import io.k9p.protocol.Errno;
import java.util.Arrays;

/**
 * An open of a file whose content is a snapshot taken at open and whose writes change only this
 * open's copy until they are committed: the shape of a file that stands for an object elsewhere.
 *
 * <p>Commits happen at {@link #sync} and {@link #close} when anything changed since the last
 * attempt, at {@link #flush} when something was written, and, for control files that hold one small value, at every write, so that a bad value
 * fails the write(2) that sent it. A failed commit changes nothing and is not retried until the
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
    private final Commit commit;
    private final boolean commitEachWrite;
    private byte[] content;
    private int length;
    private boolean changed;
    /** Written to, not only truncated, since the last commit. */
    private boolean written;

    private BufferedOpenFile(byte[] snapshot, OpenFlags flags, Commit commit, boolean commitEachWrite) {
        this.flags = flags;
        this.commit = commit;
        this.commitEachWrite = commitEachWrite;
        this.content = flags.truncate() ? new byte[0] : snapshot.clone();
        this.length = content.length;
        this.changed = flags.truncate() && flags.write();
    }

    /** A document: written in pieces, committed whole at fsync and close. */
    public static BufferedOpenFile document(byte[] snapshot, OpenFlags flags, Commit commit) {
        return new BufferedOpenFile(snapshot, flags, commit, false);
    }

    /** A control file: every write commits the value written so far. */
    public static BufferedOpenFile control(byte[] snapshot, OpenFlags flags, Commit commit) {
        return new BufferedOpenFile(snapshot, flags, commit, true);
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
        changed = true;
        written = true;
        if (commitEachWrite) {
            commitNow();
        }
        return data.length;
    }

    /** Truncation never commits on its own: "echo 5 > f" truncates before it writes the value. */
    @Override
    public synchronized void truncate(long size) throws FsException {
        checkSize(size);
        if (size > content.length) {
            content = Arrays.copyOf(content, (int) size);
        } else {
            Arrays.fill(content, (int) size, length, (byte) 0);
        }
        length = (int) size;
        changed = true;
    }

    @Override
    public synchronized void sync() throws FsException {
        if (changed) {
            commitNow();
        }
    }

    @Override
    public synchronized void flush() throws FsException {
        if (written) {
            commitNow();
        }
    }

    @Override
    public synchronized void close() throws FsException {
        sync();
    }

    private static void checkSize(long size) throws FsException {
        if (size > MAX_SIZE) {
            throw new FsException(Errno.EFBIG, "larger than " + MAX_SIZE + " bytes");
        }
    }

    private void commitNow() throws FsException {
        changed = false;
        written = false;
        commit.commit(Arrays.copyOf(content, length));
    }
}
