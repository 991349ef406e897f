package io.k9p.server;

import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Tmessage;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The fids of one session, bounded so that one client cannot exhaust the server's memory. */
final class FidTable {
    private final ConcurrentHashMap<Integer, Fid> fids = new ConcurrentHashMap<>();
    private final int limit;

    FidTable(int limit) {
        this.limit = limit;
    }

    Fid get(int number) throws FsException {
        Fid fid = fids.get(number);
        if (fid == null) {
            throw new FsException(Errno.EBADF, "unknown fid " + Integer.toUnsignedString(number));
        }
        return fid;
    }

    /** The fid of that number, or null. */
    Fid find(int number) {
        return fids.get(number);
    }

    void add(Fid fid) throws FsException {
        if (fids.size() >= limit) {
            throw new FsException(Errno.EMFILE, "more than " + limit + " fids on one connection");
        }
        if (fids.putIfAbsent(fid.number, fid) != null) {
            throw new FsException(Errno.EBADF, "fid " + Integer.toUnsignedString(fid.number) + " in use");
        }
    }

    void checkFree(int number) throws FsException {
        if (number == Tmessage.NOFID) {
            // NOFID means "no fid" in every message that takes one: a fid by that number could never be named.
            throw new FsException(Errno.EINVAL, "NOFID cannot name a new fid");
        }
        if (fids.containsKey(number)) {
            throw new FsException(Errno.EBADF, "fid " + Integer.toUnsignedString(number) + " in use");
        }
    }

    /** Takes the fid out of the table, so its number is free again before the reply goes out. */
    Fid remove(int number) throws FsException {
        Fid fid = fids.remove(number);
        if (fid == null) {
            throw new FsException(Errno.EBADF, "unknown fid " + Integer.toUnsignedString(number));
        }
        return fid;
    }

    /** Empties the table, for Tversion's reset and the end of a connection. */
    List<Fid> removeAll() {
        List<Fid> all = List.copyOf(fids.values());
        all.forEach(fid -> fids.remove(fid.number));
        return all;
    }

    int size() {
        return fids.size();
    }
}
