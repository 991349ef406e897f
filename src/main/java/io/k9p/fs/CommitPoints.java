package io.k9p.fs;

/**
 * An open of a file whose content takes effect elsewhere: reads, writes and truncations go to the
 * open underneath, and the commit runs where the content is whole. A document commits at a flush
 * (a close(2) that can still fail) after a write, and at fsync(2) and the last close after a write
 * or a truncation: a shell's {@code : > f} counts, but its {@code echo 5 > f}, which closes the
 * truncated descriptor after dup2 and before it writes, is not committed empty. A control file,
 * which holds one small value, commits at every write, so that a bad value fails the write(2) that
 * sent it. Each content is tried once: a refusal is reported where it happened, and not again until
 * the content changes.
 */
public final class CommitPoints implements OpenFile {
    /** What the changed content does, or why it cannot. */
    @FunctionalInterface
    public interface Commit {
        void commit() throws FsException;
    }

    private final OpenFile open;
    private final Commit commit;
    private final boolean eachWrite;
    /** Written or truncated since the last commit. */
    private boolean changed;
    /** Written to, not only truncated, since the last commit. */
    private boolean written;

    private CommitPoints(OpenFile open, OpenFlags flags, Commit commit, boolean eachWrite) {
        this.open = open;
        this.commit = commit;
        this.eachWrite = eachWrite;
        this.changed = flags.truncate() && flags.write();
    }

    /** A document's: written in pieces, committed whole at close and fsync. */
    public static CommitPoints document(OpenFile open, OpenFlags flags, Commit commit) {
        return new CommitPoints(open, flags, commit, false);
    }

    /** A control file's: every write commits the value written so far. */
    public static CommitPoints control(OpenFile open, OpenFlags flags, Commit commit) {
        return new CommitPoints(open, flags, commit, true);
    }

    @Override
    public byte[] read(long offset, int count) throws FsException, InterruptedException {
        return open.read(offset, count);
    }

    @Override
    public synchronized int write(long offset, byte[] data) throws FsException {
        int count = open.write(offset, data);
        changed = true;
        written = true;
        if (eachWrite) {
            commitNow();
        }
        return count;
    }

    @Override
    public synchronized void truncate(long size) throws FsException {
        open.truncate(size);
        changed = true;
    }

    @Override
    public synchronized void flush() throws FsException {
        open.flush();
        if (written) {
            commitNow();
        }
    }

    @Override
    public synchronized void sync() throws FsException {
        open.sync();
        if (changed) {
            commitNow();
        }
    }

    @Override
    public synchronized void close() throws FsException {
        try {
            sync();
        } finally {
            open.close();
        }
    }

    private void commitNow() throws FsException {
        changed = false;
        written = false;
        commit.commit();
    }
}
