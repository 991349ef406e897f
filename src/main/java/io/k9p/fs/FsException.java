package io.k9p.fs;

import io.k9p.protocol.Errno;

/**
 * A filesystem operation that failed. The errno is what the client's program sees; the message is
 * for the server's log and, where the dialect carries strings, kept short.
 */
public class FsException extends Exception {
    private final Errno errno;

    public FsException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public FsException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
