package io.k9p.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.k9p.fs.Attributes;
import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.fs.Waiting;
import io.k9p.protocol.Errno;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The low-level operations, answered from a {@link io.k9p.fs.FileSystem} tree. Requests that may
 * wait on something outside the process (opens, which start watches; writes and the commits of
 * flush, fsync and release; changes to the tree; reads of blocking files) are answered on a
 * virtual thread of their own, after the callback copied what it needs out of libfuse's buffers,
 * so a read that waits for a watch never holds up the others. The rest (lookups, attributes,
 * listings, reads of a snapshot, closes of what was only read) are answered on the receiving
 * thread: a thread switch would cost more than they do. Either way the kernel's interrupt of a
 * request (Ctrl-C, a killed reader) interrupts the thread answering it, which answers EINTR. When
 * the mount stops, a request still on a thread of its own is answered EIO at once, and so is every
 * later one ({@link Unanswered}).
 */
final class Operations {
    private static final Logger LOG = Logger.getLogger(Operations.class.getName());
    /**
     * Entry and attribute cache lifetime: a change made elsewhere shows within a second. A change
     * made through the mount that the kernel cannot foresee (a rename onto a file of an object, which
     * commits it, and a commit at close) is invalidated at once.
     */
    static final double TIMEOUT = 1.0;
    private static final int PERMISSION_BITS = 07777;
    private static final int RENAME_NOREPLACE = 1;
    private static final int RENAME_EXCHANGE = 2;
    private static final int SET_MODE = 1;
    private static final int SET_SIZE = 1 << 3;
    private static final int SET_MTIME = 1 << 5;
    private static final int SET_MTIME_NOW = 1 << 8;

    /** Indexes in struct fuse_lowlevel_ops (libfuse 3.14 fuse_lowlevel.h) of the callbacks served. */
    private record Callback(int index, String method, FunctionDescriptor descriptor) {}

    private static final FunctionDescriptor REQ_INO_FI = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS);
    private static final FunctionDescriptor REQ_INO_NAME = REQ_INO_FI;
    private static final FunctionDescriptor REQ_INO_SIZE_OFF_FI =
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
    private static final List<Callback> CALLBACKS = List.of(
            new Callback(0, "init", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS)),
            new Callback(2, "lookup", REQ_INO_NAME),
            new Callback(3, "forget", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG)),
            new Callback(4, "getattr", REQ_INO_FI),
            new Callback(5, "setattr", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS)),
            new Callback(8, "mkdir", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT)),
            new Callback(9, "unlink", REQ_INO_NAME),
            new Callback(10, "rmdir", REQ_INO_NAME),
            new Callback(12, "rename",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT)),
            new Callback(14, "open", REQ_INO_FI),
            new Callback(15, "read", REQ_INO_SIZE_OFF_FI),
            new Callback(16, "write",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS)),
            new Callback(17, "flush", REQ_INO_FI),
            new Callback(18, "release", REQ_INO_FI),
            new Callback(19, "fsync", FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS)),
            new Callback(20, "opendir", REQ_INO_FI),
            new Callback(21, "readdir", REQ_INO_SIZE_OFF_FI),
            new Callback(22, "releasedir", REQ_INO_FI),
            new Callback(30, "create",
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS)),
            new Callback(41, "readdirplus", REQ_INO_SIZE_OFF_FI));
    /** The table handed to fuse_session_new ends after its last callback served. */
    static final long TABLE_SIZE = (CALLBACKS.getLast().index() + 1) * ADDRESS.byteSize();

    /** A directory's children as they were at opendir, with "." and ".." first, as the 9P mount lists them. */
    private record Listing(long ino, long parent, List<Node> children) {}

    /** What a request's work produces: the reply, sent once the request is no longer interruptible. */
    @FunctionalInterface
    private interface Reply {
        void send();
    }

    @FunctionalInterface
    private interface Work {
        Reply run(Arena arena) throws FsException, InterruptedException;
    }

    /**
     * A read's work, which changes nothing: when the kernel interrupts it, it is answered EINTR at
     * once instead of when its work has stopped. That work may wait longer than a reader should:
     * over --server, for the Rflush of a server that no longer answers, while a reader that got a
     * fatal signal (Ctrl-C) sleeps uninterruptibly until the reply.
     */
    @FunctionalInterface
    private interface ReadWork extends Work {}

    private final Libfuse fuse;
    private final Inodes inodes;
    private final int uid;
    private final int gid;
    /** fuse_file_info's FOPEN_NOFLUSH for this libfuse: an open that only reads needs no flush at close. */
    private final int noFlush;
    /** The session, once libfuse made it from this object's table: for notifications to the kernel. */
    private volatile MemorySegment session = MemorySegment.NULL;
    /** An open file, and whether it was opened for writing: only then can its close wait on a commit. */
    private record Opened(OpenFile file, boolean writable) {}

    private final Map<Long, Opened> files = new ConcurrentHashMap<>();
    private final Map<Long, Listing> listings = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);
    /** Requests answered on threads of their own, until their reply: what a stop answers at once. */
    private final Unanswered unanswered = new Unanswered();
    private MemorySegment interruptCallback;

    Operations(Libfuse fuse, Directory root) {
        this.fuse = fuse;
        this.inodes = new Inodes(root);
        this.uid = fuse.uid();
        this.gid = fuse.gid();
        this.noFlush = NativeLayout.noFlushBit(fuse.version());
    }

    void session(MemorySegment session) {
        this.session = session;
    }

    /** struct fuse_lowlevel_ops pointing at this object's callbacks; valid as long as {@code arena}. */
    MemorySegment table(Arena arena) {
        MemorySegment table = arena.allocate(TABLE_SIZE);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            for (Callback callback : CALLBACKS) {
                var handle = lookup.bind(this, callback.method(), callback.descriptor().toMethodType());
                table.setAtIndex(ADDRESS, callback.index(), Libfuse.upcall(handle, callback.descriptor(), arena));
            }
            FunctionDescriptor interrupt = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS);
            interruptCallback = Libfuse.upcall(lookup.bind(this, "interrupted", interrupt.toMethodType()),
                    interrupt, arena);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return table;
    }

    // ---------------------------------------------------------------- callbacks (libfuse's threads)

    /**
     * The kernel's handshake. O_TRUNC must travel with the open, as it does over 9P: otherwise the
     * kernel truncates with a separate setattr that has no open file, which a control file such as
     * scale would commit as an empty value before "echo 5 >" writes the real one. Every listing
     * carries its entries' attributes, not only the first batch of a directory not yet looked into:
     * a shell's glob then leaves grep's path walk nothing to look up.
     */
    void init(MemorySegment userdata, MemorySegment connection) {
        MemorySegment info = connection.reinterpret(NativeLayout.CONN_INFO_SIZE);
        NativeLayout.want(info, NativeLayout.CAP_ATOMIC_O_TRUNC);
        NativeLayout.unwant(info, NativeLayout.CAP_READDIRPLUS_AUTO);
    }

    void lookup(MemorySegment req, long parent, MemorySegment name) {
        String child = string(name);
        answerQuickly(req, arena -> {
            Node node = directory(parent).lookup(child);
            MemorySegment entry = entry(arena, parent, node);
            return () -> fuse.replyEntry(req, entry);
        });
    }

    /** Answered in place: it only counts, and the kernel expects no reply. */
    void forget(MemorySegment req, long ino, long lookups) {
        inodes.forget(ino, lookups);
        fuse.replyNone(req);
    }

    void getattr(MemorySegment req, long ino, MemorySegment fileInfo) {
        answerQuickly(req, arena -> {
            MemorySegment stat = stat(arena, ino, inodes.node(ino));
            return () -> fuse.replyAttr(req, stat, TIMEOUT);
        });
    }

    void setattr(MemorySegment req, long ino, MemorySegment attr, int toSet, MemorySegment fileInfo) {
        MemorySegment wanted = attr.reinterpret(NativeLayout.STAT_SIZE);
        int mode = NativeLayout.statMode(wanted);
        long size = NativeLayout.statSize(wanted);
        var modified = (toSet & SET_MTIME_NOW) != 0 ? Instant.now() : NativeLayout.statModified(wanted);
        Opened opened = fileInfo.equals(MemorySegment.NULL) ? null : files.get(handle(fileInfo));
        OpenFile open = opened == null ? null : opened.file();
        answer(req, arena -> {
            Node node = inodes.node(ino);
            if ((toSet & SET_SIZE) != 0) {
                truncate(node, open, size);
            }
            if ((toSet & SET_MODE) != 0) {
                node.setPermissions(mode & PERMISSION_BITS);
            }
            // Owner changes are accepted and ignored, as over 9P: sed -i and cp -p fail when chown does.
            if ((toSet & (SET_MTIME | SET_MTIME_NOW)) != 0) {
                node.setModified(modified);
            }
            MemorySegment stat = stat(arena, ino, node);
            return () -> fuse.replyAttr(req, stat, TIMEOUT);
        });
    }

    void mkdir(MemorySegment req, long parent, MemorySegment name, int mode) {
        String child = string(name);
        answer(req, arena -> {
            Node node = directory(parent).createDirectory(child, mode & PERMISSION_BITS);
            MemorySegment entry = entry(arena, parent, node);
            return () -> fuse.replyEntry(req, entry);
        });
    }

    void unlink(MemorySegment req, long parent, MemorySegment name) {
        remove(req, parent, string(name), false);
    }

    void rmdir(MemorySegment req, long parent, MemorySegment name) {
        remove(req, parent, string(name), true);
    }

    void rename(MemorySegment req, long parent, MemorySegment name, long newParent, MemorySegment newName,
            int flags) {
        String from = string(name);
        String to = string(newName);
        answer(req, arena -> {
            if ((flags & RENAME_EXCHANGE) != 0) {
                throw new FsException(Errno.EINVAL, "rename: exchanging two names is not supported");
            }
            Directory source = directory(parent);
            Directory target = directory(newParent);
            if ((flags & RENAME_NOREPLACE) != 0 && exists(target, to)) {
                throw new FsException(Errno.EEXIST, to + " exists");
            }
            source.rename(from, target, to);
            // The kernel moves the renamed inode to the new name, but a rename onto an object's file
            // commits the content and the name keeps the object's file, rendered anew.
            return okThen(req, () -> forgetEntry(newParent, to));
        });
    }

    void open(MemorySegment req, long ino, MemorySegment fileInfo) {
        OpenFlags flags = OpenFlags.ofLinux(NativeLayout.openFlags(fileInfo.reinterpret(NativeLayout.FILE_INFO_SIZE)));
        answer(req, flags.changes(), arena -> {
            if (!(inodes.node(ino) instanceof File file)) {
                throw new FsException(Errno.EISDIR, "a directory is opened with opendir");
            }
            MemorySegment opened = opened(arena, file.open(flags), flags.changes());
            return () -> fuse.replyOpen(req, opened);
        });
    }

    void read(MemorySegment req, long ino, long size, long offset, MemorySegment fileInfo) {
        Opened opened = files.get(handle(fileInfo));
        answer(req, opened != null && opened.file().blocking(), (ReadWork) arena -> {
            byte[] data = file(opened).read(offset, (int) Math.min(size, Integer.MAX_VALUE));
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, data);
            return () -> fuse.replyBuf(req, buffer, data.length);
        });
    }

    void write(MemorySegment req, long ino, MemorySegment buf, long size, long offset, MemorySegment fileInfo) {
        byte[] data = buf.reinterpret(size).toArray(JAVA_BYTE);
        Opened opened = files.get(handle(fileInfo));
        answer(req, arena -> {
            int written = file(opened).write(offset, data);
            return () -> fuse.replyWrite(req, written);
        });
    }

    /**
     * Every close(2) of a descriptor of the open: what was written commits here, so a stale edit or
     * invalid YAML fails the close of the program that wrote it ("cp stale.yaml data.yaml: Stale
     * file handle").
     */
    void flush(MemorySegment req, long ino, MemorySegment fileInfo) {
        Opened opened = files.get(handle(fileInfo));
        boolean commits = waitsOnCommit(opened);
        answer(req, commits, arena -> {
            file(opened).flush();
            if (!commits) {
                return ok(req);
            }
            // A commit renders the file anew: its size and time are no longer what the kernel keeps.
            return okThen(req, () -> forgetAttributes(ino));
        });
    }

    /** The last close: nothing reaches the program any more, so a failure is only logged. */
    void release(MemorySegment req, long ino, MemorySegment fileInfo) {
        Opened opened = files.remove(handle(fileInfo));
        answer(req, waitsOnCommit(opened), arena -> {
            if (opened != null) {
                try {
                    opened.file().close();
                } catch (FsException e) {
                    // A commit left for the last close (a truncation alone, as ": > f" makes) reaches no
                    // program: the tree recorded its refusal in the error file, and the log has it with -v.
                    LOG.log(Level.FINE, "release of inode " + ino + ": " + e.getMessage());
                }
            }
            return ok(req);
        });
    }

    void fsync(MemorySegment req, long ino, int dataOnly, MemorySegment fileInfo) {
        Opened opened = files.get(handle(fileInfo));
        answer(req, arena -> {
            file(opened).sync();
            return ok(req);
        });
    }

    void opendir(MemorySegment req, long ino, MemorySegment fileInfo) {
        answerQuickly(req, arena -> {
            List<Node> children = directory(ino).list();
            long handle = nextHandle.getAndIncrement();
            listings.put(handle, new Listing(ino, inodes.parent(ino), children));
            MemorySegment opened = fileInfo(arena, handle, 0);
            return () -> fuse.replyOpen(req, opened);
        });
    }

    void readdir(MemorySegment req, long ino, long size, long offset, MemorySegment fileInfo) {
        readdir(req, size, offset, handle(fileInfo), false);
    }

    /** readdir with each entry's attributes, so that ls -l costs one request per batch, not per file. */
    void readdirplus(MemorySegment req, long ino, long size, long offset, MemorySegment fileInfo) {
        readdir(req, size, offset, handle(fileInfo), true);
    }

    void releasedir(MemorySegment req, long ino, MemorySegment fileInfo) {
        listings.remove(handle(fileInfo));
        fuse.replyErr(req, 0);
    }

    void create(MemorySegment req, long parent, MemorySegment name, int mode, MemorySegment fileInfo) {
        String child = string(name);
        OpenFlags flags = OpenFlags.ofLinux(NativeLayout.openFlags(fileInfo.reinterpret(NativeLayout.FILE_INFO_SIZE)));
        answer(req, arena -> {
            File file = directory(parent).createFile(child, mode & PERMISSION_BITS);
            OpenFile open = file.open(flags);
            MemorySegment entry = entry(arena, parent, file);
            MemorySegment opened = opened(arena, open, true);
            return () -> fuse.replyCreate(req, entry, opened);
        });
    }

    /**
     * libfuse calls this, holding the request's lock, when the kernel interrupts the request. A
     * reply from here is safe: libfuse frees the request only once this returns.
     */
    void interrupted(MemorySegment req, MemorySegment key) {
        Unanswered.Request request = unanswered.find(key.address());
        if (request != null && request.interrupt()) {
            fuse.replyErr(req, Errno.EINTR.number());
        }
    }

    // ---------------------------------------------------------------- stopping

    /**
     * The mount is going away: every request still being answered gets EIO now, whatever it waits
     * for, and every later one at once, so that no reader is left waiting on it.
     */
    void stop() {
        for (MemorySegment req : unanswered.stop()) {
            fuse.replyErr(req, Errno.EIO.number());
        }
    }

    /** Waits, at most {@code limit}, until the replies that threads were sending when the stop came are out. */
    boolean awaitReplies(Duration limit) throws InterruptedException {
        return unanswered.awaitReplies(limit);
    }

    // ---------------------------------------------------------------- answering

    /**
     * Answers on a virtual thread of its own: for requests that may wait. The request is registered
     * here, on the thread that received it, so that a stop finds every request that was handed on.
     */
    private void answer(MemorySegment req, Work work) {
        Unanswered.Request request = unanswered.admit(req, work instanceof ReadWork);
        if (request == null) {
            fuse.replyErr(req, Errno.EIO.number());
            return;
        }
        fuse.onInterrupt(req, interruptCallback, MemorySegment.ofAddress(request.key));
        if (!request.handOver()) {
            fuse.replyErr(req, Errno.EIO.number());
            return;
        }
        Thread.ofVirtual().name("fuse-request").start(() -> answerInterruptibly(request, work));
    }

    /**
     * Answers on the receiving thread when the tree can without waiting ({@link Waiting}), with no
     * thread switch and no interrupt to register; else on a virtual thread of its own, as
     * {@link #answer(MemorySegment, Work)} does.
     */
    private void answerQuickly(MemorySegment req, Work work) {
        if (unanswered.stopped()) {
            fuse.replyErr(req, Errno.EIO.number());
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            Reply reply;
            try {
                reply = Waiting.quickly(() -> work.run(arena));
            } catch (Waiting.WouldWait later) {
                answer(req, work);
                return;
            } catch (FsException | InterruptedException | RuntimeException e) {
                reply = failure(req, e);
            }
            reply.send();
        }
    }

    /** Answers on a virtual thread of its own if the request may wait, else as quickly as the tree can. */
    private void answer(MemorySegment req, boolean mayWait, Work work) {
        if (mayWait) {
            answer(req, work);
        } else {
            answerQuickly(req, work);
        }
    }

    /** A close waits on a commit only for a file opened for writing. */
    private static boolean waitsOnCommit(Opened opened) {
        return opened != null && opened.writable();
    }

    private void answerInterruptibly(Unanswered.Request request, Work work) {
        request.startOn(Thread.currentThread());
        try (Arena arena = Arena.ofConfined()) {
            Reply reply;
            try {
                reply = work.run(arena);
            } catch (FsException | InterruptedException | RuntimeException e) {
                reply = failure(request.req(), e);
            }
            request.reply(reply::send);
        }
    }

    private Reply failure(MemorySegment req, Exception e) {
        return switch (e) {
            case FsException failed -> {
                LOG.log(Level.FINE, "request failed: " + failed.getMessage());
                yield error(req, failed.errno());
            }
            case InterruptedException interrupted -> error(req, Errno.EINTR);
            default -> {
                LOG.log(Level.WARNING, "request failed", e);
                yield error(req, Errno.EIO);
            }
        };
    }

    private Reply ok(MemorySegment req) {
        return () -> fuse.replyErr(req, 0);
    }

    /** Success, then what may only follow the reply: a notification to the kernel. */
    private Reply okThen(MemorySegment req, Runnable after) {
        return () -> {
            fuse.replyErr(req, 0);
            after.run();
        };
    }

    private Reply error(MemorySegment req, Errno errno) {
        return () -> fuse.replyErr(req, errno.number());
    }

    private void remove(MemorySegment req, long parent, String name, boolean wantsDirectory) {
        answer(req, arena -> {
            Directory directory = directory(parent);
            Node node = directory.lookup(name);
            if (wantsDirectory && !(node instanceof Directory)) {
                throw new FsException(Errno.ENOTDIR, name + " is not a directory");
            }
            if (!wantsDirectory && node instanceof Directory) {
                throw new FsException(Errno.EISDIR, name + " is a directory");
            }
            directory.remove(name);
            return ok(req);
        });
    }

    private void readdir(MemorySegment req, long size, long offset, long handle, boolean plus) {
        answerQuickly(req, arena -> {
            Listing listing = listings.get(handle);
            if (listing == null) {
                throw new FsException(Errno.EBADF, "directory not open");
            }
            MemorySegment buffer = arena.allocate(Math.max(size, 1));
            // Counted once the listing is done: a child that would wait sends it to another thread, from the start.
            List<Node> handedOut = new ArrayList<>();
            long used = 0;
            int count = listing.children().size() + 2;
            for (int index = (int) offset; index < count; index++) {
                String name = index == 0 ? "." : index == 1 ? ".." : listing.children().get(index - 2).name();
                Node child = index < 2 ? null : listing.children().get(index - 2);
                long ino = index == 0 ? listing.ino() : index == 1 ? listing.parent() : inodes.number(child);
                MemorySegment cName = arena.allocateFrom(name);
                long needed;
                if (plus) {
                    MemorySegment entry = arena.allocate(NativeLayout.ENTRY_SIZE);
                    boolean counted = describe(entry, ino, child);
                    needed = fuse.addDirentryPlus(req, buffer.asSlice(used), size - used, cName, entry, index + 1);
                    if (needed <= size - used && counted) {
                        handedOut.add(child);
                    }
                } else {
                    MemorySegment stat = arena.allocate(NativeLayout.STAT_SIZE);
                    writeKind(stat, ino, child);
                    needed = fuse.addDirentry(req, buffer.asSlice(used), size - used, cName, stat, index + 1);
                }
                if (needed > size - used) {
                    break;
                }
                used += needed;
            }
            handedOut.forEach(child -> inodes.remember(listing.ino(), child));
            long length = used;
            return () -> fuse.replyBuf(req, buffer, length);
        });
    }

    /**
     * A readdirplus entry: with attributes, which the kernel then counts as a lookup; or, for "."
     * and ".." and a child whose attributes fail (it vanished), with inode 0, which it does not.
     */
    private boolean describe(MemorySegment entry, long ino, Node child) {
        if (child != null) {
            try {
                writeStat(NativeLayout.entryAttr(entry), ino, child, child.attributes());
                NativeLayout.writeEntry(entry, ino, TIMEOUT);
                return true;
            } catch (FsException e) {
                // Listed as a name alone; a lookup finds out what became of it.
            }
        }
        writeKind(NativeLayout.entryAttr(entry), ino, child);
        NativeLayout.writeEntry(entry, 0, 0);
        return false;
    }

    /** A stat of the inode number and the file type alone, as a plain directory entry carries; null is "." or "..". */
    private void writeKind(MemorySegment stat, long ino, Node child) {
        int type = child == null || child instanceof Directory ? NativeLayout.S_IFDIR : NativeLayout.S_IFREG;
        NativeLayout.writeStat(stat, ino, type, 0, Instant.EPOCH, uid, gid);
    }

    private static boolean exists(Directory directory, String name) throws FsException {
        try {
            directory.lookup(name);
            return true;
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return false;
            }
            throw e;
        }
    }

    /** Truncates through the caller's open file, or through a short open of its own (truncate -s). */
    private static void truncate(Node node, OpenFile open, long size) throws FsException {
        if (open != null) {
            open.truncate(size);
            return;
        }
        if (!(node instanceof File file)) {
            throw new FsException(Errno.EISDIR, "cannot truncate a directory");
        }
        file.truncate(size);
    }

    private MemorySegment entry(Arena arena, long parent, Node node) throws FsException {
        Attributes attributes = node.attributes();
        MemorySegment entry = arena.allocate(NativeLayout.ENTRY_SIZE);
        long ino = inodes.remember(parent, node);
        writeStat(NativeLayout.entryAttr(entry), ino, node, attributes);
        NativeLayout.writeEntry(entry, ino, TIMEOUT);
        return entry;
    }

    private MemorySegment stat(Arena arena, long ino, Node node) throws FsException {
        MemorySegment stat = arena.allocate(NativeLayout.STAT_SIZE);
        writeStat(stat, ino, node, node.attributes());
        return stat;
    }

    private void writeStat(MemorySegment stat, long ino, Node node, Attributes attributes) {
        boolean directory = node instanceof Directory;
        NativeLayout.writeStat(stat, ino, (directory ? NativeLayout.S_IFDIR : NativeLayout.S_IFREG)
                | attributes.permissions(), directory ? 0 : attributes.size(), attributes.modified(), uid, gid);
    }

    /** An open file's handle; one that only reads asks for no flush at close, which would do nothing. */
    private MemorySegment opened(Arena arena, OpenFile open, boolean writable) {
        long handle = nextHandle.getAndIncrement();
        files.put(handle, new Opened(open, writable));
        return fileInfo(arena, handle, writable ? 0 : noFlush);
    }

    /** The file info of an open's reply: its handle, and flags. */
    private static MemorySegment fileInfo(Arena arena, long handle, int bits) {
        MemorySegment fileInfo = arena.allocate(NativeLayout.FILE_INFO_SIZE);
        NativeLayout.writeOpened(fileInfo, handle, bits);
        return fileInfo;
    }

    /**
     * Tells the kernel to look {@code name} up again. Sent after the reply to the request that
     * changed it, as libfuse requires: the kernel takes the directory's lock, which that request holds.
     */
    private void forgetEntry(long parent, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            notified(fuse.notifyInvalEntry(session, parent, cName, cName.byteSize() - 1), name);
        }
    }

    private void forgetAttributes(long ino) {
        notified(fuse.notifyInvalAttributes(session, ino), "the attributes of inode " + ino);
    }

    /** A notification's result: ENOENT is a name or inode the kernel no longer kept, which is fine. */
    private static void notified(int result, String what) {
        if (result != 0 && result != -Errno.ENOENT.number()) {
            LOG.fine("the kernel refused to forget " + what + ": " + result);
        }
    }

    private Directory directory(long ino) throws FsException {
        if (inodes.node(ino) instanceof Directory directory) {
            return directory;
        }
        throw new FsException(Errno.ENOTDIR, "inode " + ino + " is not a directory");
    }

    private static OpenFile file(Opened opened) throws FsException {
        if (opened == null) {
            throw new FsException(Errno.EBADF, "file not open");
        }
        return opened.file();
    }

    private static long handle(MemorySegment fileInfo) {
        return NativeLayout.handle(fileInfo.reinterpret(NativeLayout.FILE_INFO_SIZE));
    }

    private static String string(MemorySegment name) {
        return name.reinterpret(Integer.MAX_VALUE).getString(0);
    }
}
