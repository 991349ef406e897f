package io.k9p.fs;

import io.k9p.protocol.Errno;

/**
 * One open of a file. Calls may come from several threads at once. Writable files decide when
 * their content takes effect: on a write that completes a small value, on {@link #sync}, or on
 * {@link #close}; an error thrown there reaches the writing program.
 */
public interface OpenFile {

    /**
     * Up to {@code count} bytes from {@code offset}; an empty array is end of file. A stream file
     * blocks here until data arrives; the server interrupts the thread when the client flushes the
     * request, and the read must then release what it holds and throw InterruptedException.
     */
    byte[] read(long offset, int count) throws FsException, InterruptedException;

    /**
     * Whether reads wait for data that arrives over time (a watch, a followed log) rather than
     * serve content that exists: front ends then end each read(2) at what arrived, not at a size.
     */
    default boolean blocking() {
        return false;
    }

    /** Returns the number of bytes accepted. */
    default int write(long offset, byte[] data) throws FsException {
        throw new FsException(Errno.EBADF, "not open for writing");
    }

    default void truncate(long size) throws FsException {
        throw new FsException(Errno.EINVAL, "cannot truncate");
    }

    /**
     * A descriptor of this open was closed, and the close(2) can still fail: commit what was
     * written since the last commit, so its error reaches the program. Front ends whose close
     * cannot fail (9P's clunk reaches no one) skip it; {@link #close} follows at the last one. A
     * truncation alone waits: a shell's "echo 5 > f" opens with O_TRUNC, and closes that descriptor
     * after dup2 and before it writes.
     */
    default void flush() throws FsException {
    }

    /** fsync(2): commit what was written so far. */
    default void sync() throws FsException {
    }

    /** The last clunk of this open: commit anything still pending and release resources. */
    default void close() throws FsException {
    }
}
