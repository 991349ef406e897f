package io.k9p.server;

import io.k9p.auth.Identity;
import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FileSystem;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.Errno;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.Qid;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import java.util.ArrayList;
import java.util.List;

/**
 * The state a Tversion starts: dialect, message size and fids. It answers the messages every
 * dialect shares and hands the others to {@link LinuxOperations} or {@link Plan9Operations}.
 */
final class Session {
    final Dialect dialect;
    final MessageCodec codec;
    final int msize;
    final FidTable fids;
    final FileSystem fileSystem;
    private final boolean readOnly;
    private final Admission admission;
    private final LinuxOperations linux = new LinuxOperations(this);
    private final Plan9Operations plan9 = new Plan9Operations(this);

    Session(Dialect dialect, int msize, ServerConfig config, Admission admission) {
        this.dialect = dialect;
        this.codec = new MessageCodec(dialect);
        this.msize = msize;
        this.fids = new FidTable(config.maxFids());
        this.fileSystem = config.fileSystem();
        this.readOnly = config.readOnly();
        this.admission = admission;
    }

    Rmessage handle(Tmessage message) throws FsException, InterruptedException {
        if (readOnly && changes(message)) {
            throw new FsException(Errno.EROFS, "read-only: " + message.getClass().getSimpleName());
        }
        return switch (message) {
            case Tmessage.Auth m -> auth(m);
            case Tmessage.Attach m -> attach(m);
            case Tmessage.Walk m -> walk(m);
            case Tmessage.Read m -> read(m);
            case Tmessage.Write m -> write(m);
            case Tmessage.Clunk m -> clunk(m);
            case Tmessage.Remove m -> remove(m);
            case Tmessage.Open m -> plan9.open(m);
            case Tmessage.Create m -> plan9.create(m);
            case Tmessage.Stat m -> plan9.stat(m);
            case Tmessage.Wstat m -> plan9.wstat(m);
            case Tmessage.Statfs m -> linux.statfs(m);
            case Tmessage.Lopen m -> linux.lopen(m);
            case Tmessage.Lcreate m -> linux.lcreate(m);
            case Tmessage.Symlink m -> throw new FsException(Errno.EPERM, "symlinks are not supported");
            case Tmessage.Mknod m -> throw new FsException(Errno.EPERM, "device nodes are not supported");
            case Tmessage.Link m -> throw new FsException(Errno.EPERM, "hard links are not supported");
            case Tmessage.Readlink m -> throw new FsException(Errno.EINVAL, "not a symlink");
            case Tmessage.Rename m -> linux.rename(m);
            case Tmessage.Renameat m -> linux.renameat(m);
            case Tmessage.Getattr m -> linux.getattr(m);
            case Tmessage.Setattr m -> linux.setattr(m);
            case Tmessage.Xattrwalk m -> throw new FsException(Errno.EOPNOTSUPP, "no extended attributes");
            case Tmessage.Xattrcreate m -> throw new FsException(Errno.EOPNOTSUPP, "no extended attributes");
            case Tmessage.Readdir m -> linux.readdir(m);
            case Tmessage.Fsync m -> linux.fsync(m);
            case Tmessage.Lock m -> new Rmessage.Lock(Rmessage.Lock.SUCCESS);
            case Tmessage.Getlock m -> new Rmessage.Getlock(Rmessage.Getlock.UNLOCKED, m.start(), m.length(),
                    m.procId(), m.clientId());
            case Tmessage.Mkdir m -> linux.mkdir(m);
            case Tmessage.Unlinkat m -> linux.unlinkat(m);
            case Tmessage.Version m -> throw new IllegalStateException("Tversion is the connection's");
            case Tmessage.Flush m -> throw new IllegalStateException("Tflush is the connection's");
        };
    }

    /**
     * Whether a request may be answered on the thread that received it: those that read the tree
     * and change nothing but fids (walks, stats, listings, read-only opens, reads of what is not a
     * stream, a stream's empty reply that ends a read(2), and clunks of what was not opened to
     * write). Where the tree would have to wait for one, it throws
     * {@link io.k9p.fs.Waiting.WouldWait}, having changed nothing, and the request goes to a
     * thread of its own.
     */
    boolean answersAtOnce(Tmessage message) {
        return switch (message) {
            case Tmessage.Walk m -> true;
            case Tmessage.Getattr m -> true;
            case Tmessage.Stat m -> true;
            case Tmessage.Statfs m -> true;
            case Tmessage.Readdir m -> true;
            case Tmessage.Lopen m -> !changes(m);
            case Tmessage.Open m -> !changes(m);
            case Tmessage.Read m -> quietlyOpen(m.fid()) || pauses(m);
            case Tmessage.Clunk m -> quietlyOpen(m.fid());
            default -> false;
        };
    }

    /** An unknown fid, one not open, a listing, or a file opened only to read and not a stream. */
    private boolean quietlyOpen(int number) {
        Fid fid = fids.find(number);
        return fid == null || switch (fid.opened()) {
            case null -> true;
            case Fid.OpenedDirectory directory -> true;
            case Fid.OpenedFile file -> !file.forWriting() && !file.removeOnClose() && file.streamReads() == null;
        };
    }

    /** A read of a stream that gets the empty reply ending the caller's read(2) (StreamReads). */
    private boolean pauses(Tmessage.Read read) {
        Fid fid = fids.find(read.fid());
        return fid != null && fid.opened() instanceof Fid.OpenedFile file && file.streamReads() != null
                && file.streamReads().pausesAt(read.offset(), read.count());
    }

    /** Whether a request would change the tree: what --read-only refuses. */
    private static boolean changes(Tmessage message) {
        return switch (message) {
            case Tmessage.Lcreate m -> true;
            case Tmessage.Create m -> true;
            case Tmessage.Remove m -> true;
            case Tmessage.Unlinkat m -> true;
            case Tmessage.Rename m -> true;
            case Tmessage.Renameat m -> true;
            case Tmessage.Mkdir m -> true;
            case Tmessage.Setattr m -> true;
            case Tmessage.Wstat m -> true;
            case Tmessage.Symlink m -> true;
            case Tmessage.Link m -> true;
            case Tmessage.Mknod m -> true;
            case Tmessage.Xattrcreate m -> true;
            case Tmessage.Lopen m -> OpenFlags.ofLinux(m.flags()).changes();
            case Tmessage.Open m -> Plan9Operations.flags(m.mode()).changes() || (m.mode() & Plan9Operations.ORCLOSE) != 0;
            default -> false;
        };
    }

    Rmessage error(Errno errno) {
        return dialect == Dialect.P9P2000_L
                ? new Rmessage.Lerror(errno.number())
                : new Rmessage.Error(errno.message(), errno.number());
    }

    /** Clunks every fid, committing what they hold; for Tversion's reset and a closed connection. */
    List<FsException> clunkAll() {
        List<FsException> failures = new ArrayList<>();
        for (Fid fid : fids.removeAll()) {
            try {
                release(fid);
            } catch (FsException e) {
                failures.add(e);
            }
        }
        return failures;
    }

    // ---------------------------------------------------------------- shared by all dialects

    /** An afid to write a token to, when the server takes tokens. */
    private Rmessage auth(Tmessage.Auth m) throws FsException {
        if (!admission.takesTokens()) {
            // npfs-based clients (diod's tools) read ENOENT from Tauth as "no authentication required".
            throw new FsException(Errno.ENOENT, "no authentication required");
        }
        fids.checkFree(m.afid());
        AuthTicket ticket = new AuthTicket();
        Fid afid = new Fid(m.afid(), new NodePath(null, ticket), new User(m.uname(), m.nUname()));
        afid.open(new Fid.OpenedFile(ticket, true, false));
        fids.add(afid);
        return new Rmessage.Auth(ticket.qid());
    }

    private Rmessage attach(Tmessage.Attach m) throws FsException {
        fids.checkFree(m.fid());
        AuthTicket ticket = null;
        if (m.afid() != Tmessage.NOFID) {
            if (!(fids.get(m.afid()).path().node() instanceof AuthTicket afid)) {
                throw new FsException(Errno.EINVAL, "the afid is not one Tauth made");
            }
            ticket = afid;
        }
        Identity identity = admission.admit(m.nUname(), ticket);
        Directory root = fileSystem.attach(identity, m.aname());
        fids.add(new Fid(m.fid(), NodePath.root(root), new User(m.uname(), m.nUname())));
        return new Rmessage.Attach(Stats.qid(root));
    }

    /** Walks name by name; only a failure at the first name is an error, as walk(5) says. */
    private Rmessage walk(Tmessage.Walk m) throws FsException {
        Fid fid = fids.get(m.fid());
        if (m.newfid() != m.fid()) {
            fids.checkFree(m.newfid());
        }
        NodePath path = fid.path();
        List<Qid> qids = new ArrayList<>(m.names().size());
        for (String name : m.names()) {
            try {
                path = step(path, name);
                qids.add(Stats.qid(path.node()));
            } catch (FsException e) {
                if (qids.isEmpty()) {
                    throw e;
                }
                return new Rmessage.Walk(qids);
            }
        }
        if (m.newfid() == m.fid()) {
            fid.moveTo(path);
        } else {
            fids.add(new Fid(m.newfid(), path, fid.user));
        }
        return new Rmessage.Walk(qids);
    }

    private static NodePath step(NodePath from, String name) throws FsException {
        if (!(from.node() instanceof Directory directory)) {
            throw new FsException(Errno.ENOTDIR, from.node().name() + " is not a directory");
        }
        return switch (name) {
            case ".." -> from.up();
            case "." -> from;
            default -> {
                if (name.isEmpty()) {
                    throw new FsException(Errno.EINVAL, "an empty name in a walk");
                }
                if (name.indexOf('/') >= 0) {
                    throw new FsException(Errno.ENOENT, "name with a slash: " + name);
                }
                yield from.child(directory.lookup(name));
            }
        };
    }

    private Rmessage read(Tmessage.Read m) throws FsException, InterruptedException {
        Fid fid = fids.get(m.fid());
        int count = ioCount(m.count());
        checkOffset(m.offset());
        return switch (openedOf(fid)) {
            case Fid.OpenedFile opened -> new Rmessage.Read(opened.read(m.offset(), count));
            case Fid.OpenedDirectory opened -> {
                if (dialect == Dialect.P9P2000_L) {
                    throw new FsException(Errno.EISDIR, "directories are read with Treaddir");
                }
                yield new Rmessage.Read(opened.listing().readStats(m.offset(), count,
                        child -> codec.encodeStat(Stats.plan9(child, child.name(), fid.user))));
            }
        };
    }

    private Rmessage write(Tmessage.Write m) throws FsException {
        Fid fid = fids.get(m.fid());
        checkOffset(m.offset());
        if (!(openedOf(fid) instanceof Fid.OpenedFile opened)) {
            throw new FsException(Errno.EISDIR, "cannot write a directory");
        }
        return new Rmessage.Write(opened.file().write(m.offset(), m.data()));
    }

    /** The fid is gone whatever happens, before the reply: Linux reuses the number at once. */
    private Rmessage clunk(Tmessage.Clunk m) throws FsException {
        release(fids.remove(m.fid()));
        return new Rmessage.Clunk();
    }

    private Rmessage remove(Tmessage.Remove m) throws FsException {
        Fid fid = fids.remove(m.fid());
        try {
            closeOpened(fid);
        } finally {
            removeNode(fid.path());
        }
        return new Rmessage.Remove();
    }

    // ---------------------------------------------------------------- helpers for the dialects

    /** Opens the fid's node; a directory opens as a listing snapshot. */
    Qid open(Fid fid, OpenFlags flags, boolean removeOnClose) throws FsException {
        if (fid.opened() != null) {
            throw new FsException(Errno.EBADF, "fid already open");
        }
        Node node = fid.path().node();
        switch (node) {
            case Directory directory -> {
                if (flags.write()) {
                    throw new FsException(Errno.EISDIR, node.name() + " is a directory");
                }
                fid.open(new Fid.OpenedDirectory(new DirectoryListing(fid.path(), directory.list())));
            }
            case File file -> fid.open(new Fid.OpenedFile(file.open(flags), flags.changes(), removeOnClose));
        }
        return Stats.qid(node);
    }

    /** Creates a file in the fid's directory, then moves the fid onto it and opens it. */
    Qid createAndOpen(Fid fid, String name, int permissions, OpenFlags flags, boolean removeOnClose)
            throws FsException {
        Directory directory = directoryOf(fid);
        File file = directory.createFile(name, permissions);
        fid.moveTo(fid.path().child(file));
        return open(fid, flags, removeOnClose);
    }

    Directory directoryOf(Fid fid) throws FsException {
        if (fid.path().node() instanceof Directory directory) {
            return directory;
        }
        throw new FsException(Errno.ENOTDIR, fid.path().node().name() + " is not a directory");
    }

    Fid.Opened openedOf(Fid fid) throws FsException {
        Fid.Opened opened = fid.opened();
        if (opened == null) {
            throw new FsException(Errno.EBADF, "fid not open");
        }
        return opened;
    }

    void removeNode(NodePath path) throws FsException {
        if (path.isRoot()) {
            throw new FsException(Errno.EBUSY, "cannot remove the root");
        }
        path.container().remove(path.node().name());
    }

    /** Truncates through the fid's open file, or through a short open of its own. */
    void truncate(Fid fid, long size) throws FsException {
        if (fid.opened() instanceof Fid.OpenedFile opened) {
            opened.file().truncate(size);
            return;
        }
        if (!(fid.path().node() instanceof File file)) {
            throw new FsException(Errno.EISDIR, "cannot truncate a directory");
        }
        file.truncate(size);
    }

    int ioCount(int requested) {
        return (int) Math.min(Integer.toUnsignedLong(requested), msize - MessageCodec.IO_HEADER_SIZE);
    }

    private static void checkOffset(long offset) throws FsException {
        if (offset < 0) {
            throw new FsException(Errno.EINVAL, "offset beyond 2^63");
        }
    }

    private void release(Fid fid) throws FsException {
        boolean removeOnClose = fid.opened() instanceof Fid.OpenedFile opened && opened.removeOnClose();
        try {
            closeOpened(fid);
        } finally {
            if (removeOnClose) {
                removeNode(fid.path());
            }
        }
    }

    private static void closeOpened(Fid fid) throws FsException {
        if (fid.opened() instanceof Fid.OpenedFile opened) {
            opened.file().close();
        }
    }
}
