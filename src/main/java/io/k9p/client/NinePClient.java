package io.k9p.client;

import io.k9p.fs.FsException;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.DirectoryEntry;
import io.k9p.protocol.Errno;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.ProtocolException;
import io.k9p.protocol.Qid;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A 9P2000.L client: one connection, safe for any number of threads, each call waiting for its own
 * reply while others are in flight. Error replies become {@link FsException}s with the server's
 * errno; a connection that ends fails every call with EIO. A call whose thread is interrupted
 * flushes its request (see {@link Transport#call}), which is how an interrupted read of a file
 * that blocks on the server ends there too.
 *
 * <p>Fids are this client's to hand out: {@link #attach} and {@link #walk} make them, and
 * {@link #clunk} or {@link #release} end them.
 */
public final class NinePClient implements AutoCloseable {
    public static final int DEFAULT_MSIZE = 1 << 20;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Room for a walk of sixteen long names, and for reads and writes worth the round trip. */
    static final int MIN_MSIZE = 8192;
    /** Sent as n_uname when the local uid is unknown: the server then goes by the name alone. */
    public static final int NONUNAME = ~0;

    private final Transport transport;
    private final FidNumbers fids = new FidNumbers();

    private NinePClient(Transport transport) {
        this.transport = transport;
    }

    /** Connects with the default msize and connect timeout. */
    public static NinePClient connect(Endpoint server) throws FsException, InterruptedException {
        return connect(server, DEFAULT_MSIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    /**
     * Connects and negotiates 9P2000.L with at most {@code msize} bytes per message; the server may
     * choose fewer. Both the connect and the server's answer to Tversion are awaited at most
     * {@code timeout}: a port where something else listens may never answer.
     */
    public static NinePClient connect(Endpoint server, int msize, Duration timeout)
            throws FsException, InterruptedException {
        if (msize < MIN_MSIZE) {
            throw new IllegalArgumentException("msize " + msize + " is below " + MIN_MSIZE);
        }
        Transport transport = Transport.open(server, timeout, Dialect.P9P2000_L, msize,
                Transport.StrayReplies.OUT_OF_STEP);
        try {
            Rmessage reply = await(transport.send(MessageCodec.NOTAG,
                    new Tmessage.Version(msize, Dialect.P9P2000_L.version())), server, timeout);
            if (!(reply instanceof Rmessage.Version version)) {
                throw failure(server, "Version", reply);
            }
            if (!version.version().equals(Dialect.P9P2000_L.version())) {
                throw new FsException(Errno.EOPNOTSUPP, "9P server " + server + " speaks " + version.version()
                        + ", not " + Dialect.P9P2000_L.version());
            }
            // A server must not offer more than was asked; one that does gets what was asked.
            int negotiated = (int) Math.min(Integer.toUnsignedLong(version.msize()), msize);
            if (negotiated < MIN_MSIZE) {
                throw new FsException(Errno.EPROTO, "9P server " + server + " offers an msize of " + negotiated
                        + " bytes, below the " + MIN_MSIZE + " this client needs");
            }
            transport.negotiated(Dialect.P9P2000_L, negotiated);
            return new NinePClient(transport);
        } catch (FsException | InterruptedException | RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    private static Rmessage await(CompletableFuture<Rmessage> reply, Endpoint server, Duration timeout)
            throws FsException, InterruptedException {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw Transport.rethrown(e.getCause());
        } catch (TimeoutException e) {
            throw new FsException(Errno.ETIMEDOUT, "9P server " + server + " did not answer Tversion within " + timeout);
        }
    }

    public Endpoint server() {
        return transport.server();
    }

    /** The negotiated largest message. */
    public int msize() {
        return transport.msize();
    }

    /** The most data one Tread returns or one Twrite carries. */
    public int ioSize() {
        return transport.msize() - MessageCodec.IO_HEADER_SIZE;
    }

    /** Completes when the connection has ended, for whatever reason: a front end can unmount then. */
    public CompletableFuture<Void> closed() {
        return transport.closed();
    }

    /** How many fid numbers are taken: fids alive on the server, or whose clunk is still unanswered. */
    public int fidsInUse() {
        return fids.taken();
    }

    /**
     * Sends a request and returns its reply as the type expected; an error reply throws its errno.
     * Messages that make or end fids go through {@link #attach}, {@link #walk}, {@link #clunk},
     * {@link #release} and {@link #remove}, which keep account of the fid numbers.
     */
    public <R extends Rmessage> R call(Tmessage request, Class<R> expected) throws FsException, InterruptedException {
        return expect(request.getClass().getSimpleName(), transport.call(request), expected);
    }

    /** Attaches to the tree {@code aname} as {@code uname}, with the numeric uid or {@link #NONUNAME}. */
    public Fid attach(String uname, String aname, int nUname) throws FsException, InterruptedException {
        return attach(null, uname, aname, nUname);
    }

    /**
     * Tauth: an afid to write credentials to, then to attach with; null when the server needs
     * none, which it says with an error (ENOENT from k9p and diod).
     */
    public Fid auth(String uname, String aname, int nUname) throws FsException, InterruptedException {
        int number = fids.take();
        Rmessage reply;
        try {
            reply = transport.call(new Tmessage.Auth(number, uname, aname, nUname));
        } catch (InterruptedException e) {
            forget(number);
            throw e;
        } catch (RuntimeException e) {
            fids.free(number);
            throw e;
        }
        if (!(reply instanceof Rmessage.Auth auth)) {
            fids.free(number);
            return null;
        }
        return new Fid(number, auth.aqid());
    }

    /** Tattach with an afid that {@link #auth} made and the client has written to, or null for none. */
    public Fid attach(Fid afid, String uname, String aname, int nUname) throws FsException, InterruptedException {
        int number = fids.take();
        try {
            Qid qid = call(new Tmessage.Attach(number, afid == null ? Tmessage.NOFID : afid.number(),
                    uname, aname, nUname), Rmessage.Attach.class).qid();
            return new Fid(number, qid);
        } catch (InterruptedException e) {
            forget(number);
            throw e;
        } catch (FsException | RuntimeException e) {
            fids.free(number);
            throw e;
        }
    }

    /**
     * A new fid for the file {@code names} lead to from {@code from}, which stays as it is; no names
     * make a clone. More than sixteen names take several Twalks. A walk that does not reach the
     * last name throws {@link IncompleteWalkException}, and leaves no fid behind.
     */
    public Fid walk(Fid from, List<String> names) throws FsException, InterruptedException {
        int number = fids.take();
        List<Qid> walked = new ArrayList<>(names.size());
        boolean made = false;
        try {
            int start = 0;
            do {
                List<String> part = names.subList(start, Math.min(names.size(), start + MessageCodec.MAX_WALK_NAMES));
                Rmessage reply = transport.call(new Tmessage.Walk(made ? number : from.number(), number, part));
                if (reply instanceof Rmessage.Lerror error) {
                    throw incomplete(Errno.ofNumber(error.errno()), names, walked);
                }
                List<Qid> qids = expect("Walk", reply, Rmessage.Walk.class).qids();
                walked.addAll(qids);
                if (qids.size() < part.size()) {
                    throw incomplete(whyStopped(from, names.subList(0, walked.size()), names.get(walked.size())),
                            names, walked);
                }
                made = true;
                start += part.size();
            } while (start < names.size());
            return new Fid(number, names.isEmpty() ? from.qid() : walked.getLast());
        } catch (IncompleteWalkException e) {
            // A refused or partial walk makes no fid and moves none: only an earlier part's fid is left.
            if (made) {
                forget(number);
            } else {
                fids.free(number);
            }
            throw e;
        } catch (FsException | InterruptedException | RuntimeException e) {
            // Flushed, or the connection failed: the server may have made the fid or not.
            forget(number);
            throw e;
        }
    }

    /**
     * Why a walk stopped short of a name: walk(5) gives an error only for a first name, so the
     * missing name is walked alone, from the last name reached, and the server's errno for it is
     * the answer (ENOENT if it is there by now). Only a failed walk pays these round trips.
     */
    private Errno whyStopped(Fid from, List<String> reached, String missing) throws FsException, InterruptedException {
        // Clunked before the answer, so the failed walk leaves no fid in use behind it.
        Fid last = walk(from, reached);
        try {
            clunk(walk(last, List.of(missing)));
            return Errno.ENOENT;
        } catch (IncompleteWalkException e) {
            return e.errno();
        } finally {
            clunk(last);
        }
    }

    private static IncompleteWalkException incomplete(Errno errno, List<String> names, List<Qid> walked) {
        String missing = String.join("/", names.subList(0, Math.min(names.size(), walked.size() + 1)));
        return new IncompleteWalkException(errno, "walk to " + missing + ": " + errno.message(), walked);
    }

    /** Opens the fid with Linux open flags ({@link Tmessage.Lopen#O_RDONLY} and the others). */
    public Rmessage.Lopen lopen(Fid fid, int flags) throws FsException, InterruptedException {
        return call(new Tmessage.Lopen(fid.number(), flags), Rmessage.Lopen.class);
    }

    /**
     * Creates {@code name} in the directory {@code directory} names and opens it with {@code flags};
     * the fid then names the new file, as the returned Fid says.
     */
    public Fid lcreate(Fid directory, String name, int flags, int mode, int gid)
            throws FsException, InterruptedException {
        Rmessage.Lcreate created = call(new Tmessage.Lcreate(directory.number(), name, flags, mode, gid),
                Rmessage.Lcreate.class);
        return new Fid(directory.number(), created.qid());
    }

    public Qid mkdir(Fid directory, String name, int mode, int gid) throws FsException, InterruptedException {
        return call(new Tmessage.Mkdir(directory.number(), name, mode, gid), Rmessage.Mkdir.class).qid();
    }

    public Rmessage.Getattr getattr(Fid fid) throws FsException, InterruptedException {
        return call(new Tmessage.Getattr(fid.number(), Rmessage.Getattr.BASIC), Rmessage.Getattr.class);
    }

    /** Tsetattr of the size: through an open fid, the open file truncates. */
    public void truncate(Fid fid, long size) throws FsException, InterruptedException {
        call(new Tmessage.Setattr(fid.number(), Tmessage.Setattr.SIZE, 0, 0, 0, size, 0, 0, 0, 0),
                Rmessage.Setattr.class);
    }

    /** Tsetattr of the permission bits. */
    public void chmod(Fid fid, int permissions) throws FsException, InterruptedException {
        call(new Tmessage.Setattr(fid.number(), Tmessage.Setattr.MODE, permissions, 0, 0, 0, 0, 0, 0, 0),
                Rmessage.Setattr.class);
    }

    /** Tsetattr of the modification time to the time given, as utimensat does. */
    public void setModified(Fid fid, Instant modified) throws FsException, InterruptedException {
        call(new Tmessage.Setattr(fid.number(), Tmessage.Setattr.MTIME | Tmessage.Setattr.MTIME_SET, 0, 0, 0, 0,
                0, 0, modified.getEpochSecond(), modified.getNano()), Rmessage.Setattr.class);
    }

    /** One Tread of at most {@link #ioSize} bytes; an empty result is the end of the file. */
    public byte[] read(Fid fid, long offset, int count) throws FsException, InterruptedException {
        return call(new Tmessage.Read(fid.number(), offset, Math.min(count, ioSize())), Rmessage.Read.class).data();
    }

    /** One Twrite of at most {@link #ioSize} bytes; returns how many the server took. */
    public int write(Fid fid, long offset, byte[] data) throws FsException, InterruptedException {
        if (data.length > ioSize()) {
            throw new IllegalArgumentException(data.length + " bytes do not fit one Twrite of " + ioSize());
        }
        return call(new Tmessage.Write(fid.number(), offset, data), Rmessage.Write.class).count();
    }

    /**
     * One Treaddir from the cookie {@code offset} (0 for the start), as many entries as fit one
     * message; none at the end. The next call continues from the last entry's offset.
     */
    public List<DirectoryEntry> readdir(Fid fid, long offset) throws FsException, InterruptedException {
        byte[] data = call(new Tmessage.Readdir(fid.number(), offset, msize() - MessageCodec.READDIR_HEADER_SIZE),
                Rmessage.Readdir.class).data();
        try {
            return MessageCodec.decodeEntries(data);
        } catch (ProtocolException e) {
            throw new FsException(Errno.EPROTO, "9P server " + server() + " sent unreadable directory entries: "
                    + e.getMessage(), e);
        }
    }

    /** Tfsync: a server that commits what was written reports the commit's failure here. */
    public void fsync(Fid fid) throws FsException, InterruptedException {
        call(new Tmessage.Fsync(fid.number(), 0), Rmessage.Fsync.class);
    }

    /** Renames {@code oldName} in one directory to {@code newName} in another (or the same). */
    public void renameat(Fid from, String oldName, Fid to, String newName) throws FsException, InterruptedException {
        call(new Tmessage.Renameat(from.number(), oldName, to.number(), newName), Rmessage.Renameat.class);
    }

    /** Trename: moves the file the fid names into {@code directory} as {@code name}; servers without Trenameat have it. */
    public void rename(Fid fid, Fid directory, String name) throws FsException, InterruptedException {
        call(new Tmessage.Rename(fid.number(), directory.number(), name), Rmessage.Rename.class);
    }

    /** Removes a name; {@link Tmessage.Unlinkat#REMOVEDIR} in {@code flags} for a directory. */
    public void unlinkat(Fid directory, String name, int flags) throws FsException, InterruptedException {
        call(new Tmessage.Unlinkat(directory.number(), name, flags), Rmessage.Unlinkat.class);
    }

    /**
     * Clunks the fid and waits for the answer, whose error it throws: a server that commits writes
     * at the last clunk reports the commit's failure here. The fid is gone either way.
     */
    public void clunk(Fid fid) throws FsException, InterruptedException {
        end(fid, new Tmessage.Clunk(fid.number()), Rmessage.Clunk.class);
    }

    /**
     * Tremove: removes the file the fid names and clunks the fid, also when the removal fails;
     * servers without Tunlinkat have it.
     */
    public void remove(Fid fid) throws FsException, InterruptedException {
        end(fid, new Tmessage.Remove(fid.number()), Rmessage.Remove.class);
    }

    /** A message that ends the fid whatever it answers; an interrupted one leaves the number to its late answer. */
    private void end(Fid fid, Tmessage message, Class<? extends Rmessage> reply) throws FsException, InterruptedException {
        try {
            call(message, reply);
            fids.free(fid.number());
        } catch (InterruptedException e) {
            forget(fid.number());
            throw e;
        } catch (FsException | RuntimeException e) {
            fids.free(fid.number());
            throw e;
        }
    }

    /** Clunks the fid without waiting; its number is reused only after the server's answer. */
    public void release(Fid fid) {
        forget(fid.number());
    }

    /** Clunks a fid number whose fid may or may not exist; either answer frees the number. */
    private void forget(int number) {
        try {
            transport.send(new Tmessage.Clunk(number)).whenComplete((reply, failure) -> fids.free(number));
        } catch (FsException connectionGone) {
            fids.free(number);
        }
    }

    /** Closes the connection; the server clunks what fids remain. */
    @Override
    public void close() {
        transport.close();
    }

    private <R extends Rmessage> R expect(String request, Rmessage reply, Class<R> expected) throws FsException {
        if (expected.isInstance(reply)) {
            return expected.cast(reply);
        }
        throw failure(server(), request, reply);
    }

    private static FsException failure(Endpoint server, String request, Rmessage reply) {
        return switch (reply) {
            case Rmessage.Lerror error -> {
                Errno errno = Errno.ofNumber(error.errno());
                yield new FsException(errno, "T" + request.toLowerCase() + ": "
                        + (errno.number() == error.errno() ? errno.message() : "errno " + error.errno()));
            }
            case Rmessage.Error error -> new FsException(Errno.ofMessage(error.ename()),
                    "T" + request.toLowerCase() + ": " + error.ename());
            default -> new FsException(Errno.EPROTO, "9P server " + server + " answered T" + request.toLowerCase()
                    + " with " + reply.getClass().getSimpleName());
        };
    }
}
