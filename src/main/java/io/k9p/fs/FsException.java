package io.k9p.fs;

import io.k9p.protocol.Errno;

/**
 * A filesystem operation that failed. The errno is what the client's program sees; the message is
 * for the server's log and, where the dialect carries strings, kept short. It is an answer, not a
 * fault: ENOENT for each name a shell's glob or an editor probes, so it records no stack trace (a
 * cause it wraps keeps its own).
 */
public class FsException extends Exception {
    private final Errno errno;

    public FsException(Errno errno, String message) {
        this(errno, message, null);
    }

    public FsException(Errno errno, String message, Throwable cause) {
        super(message, cause, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
