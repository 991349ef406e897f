package io.k9p.server;

import io.k9p.auth.Identity;
import io.k9p.fs.Attributes;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Qid;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Tauth makes: the file behind an afid, which the client writes its bearer token to and then
 * names in Tattach. It is open from the start, as auth(5) has it; reads return nothing.
 */
final class AuthTicket implements File, OpenFile {
    /** Tokens are JWTs of a few KiB; anything much larger is not one. */
    static final int MAX_TOKEN_BYTES = 16 * 1024;
    /** Ids of their own, far from any tree's, for the qids. */
    private static final AtomicLong IDS = new AtomicLong(1L << 62);

    private final long id = IDS.incrementAndGet();
    private final Instant made = Instant.now();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    /** Who the token was found to be, so further attaches with this afid cost no review. */
    private Identity.User verified;

    Qid qid() {
        return new Qid(Qid.QTAUTH, 0, id);
    }

    /** The token as written, without surrounding white space (echo's newline). */
    synchronized String token() {
        return written.toString(StandardCharsets.UTF_8).strip();
    }

    synchronized Identity.User verified() {
        return verified;
    }

    synchronized void verified(Identity.User user) {
        verified = user;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public synchronized Attributes attributes() {
        return new Attributes(0200, 0, made, 0);
    }

    @Override
    public OpenFile open(OpenFlags flags) throws FsException {
        throw new FsException(Errno.EBADF, "an afid is open already");
    }

    @Override
    public byte[] read(long offset, int count) {
        return new byte[0];
    }

    @Override
    public void truncate(long size) throws FsException {
        throw new FsException(Errno.EINVAL, "an afid cannot be truncated");
    }

    @Override
    public synchronized int write(long offset, byte[] data) throws FsException {
        if (verified != null) {
            throw new FsException(Errno.EBUSY, "this afid has been used to attach");
        }
        if (offset != written.size()) {
            throw new FsException(Errno.EINVAL, "a token is written in order, from offset 0");
        }
        if (written.size() + data.length > MAX_TOKEN_BYTES) {
            throw new FsException(Errno.EMSGSIZE, "a token is at most " + MAX_TOKEN_BYTES + " bytes");
        }
        written.writeBytes(data);
        return data.length;
    }
}
