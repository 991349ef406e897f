package io.k9p.protocol;

/**
 * A message that cannot be decoded. The connection can answer it with an error when the frame's
 * tag was readable, so the client learns what went wrong instead of waiting forever.
 */
public final class ProtocolException extends Exception {
    private final Errno errno;

    public ProtocolException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
