package io.k9p.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of libfuse3's low-level API that k9p calls, bound with the FFM API. The low-level API is
 * inode-based, which is what the fs interface's stable node ids map onto, and it lets a request be
 * answered later from any thread, with direct I/O per open, an interrupt callback per request and
 * timeouts per reply: all of which a blocking watch file needs and the path-based API lacks.
 */
final class Libfuse {
    private static final Linker LINKER = Linker.nativeLinker();
    /** Where Debian, Fedora and Arch put it; $K9P_LIBFUSE names another. */
    private static final List<String> NAMES = List.of("libfuse3.so.3", "libfuse3.so");

    private final SymbolLookup symbols;
    private final MethodHandle replyErr;
    private final MethodHandle replyNone;
    private final MethodHandle replyEntry;
    private final MethodHandle replyCreate;
    private final MethodHandle replyAttr;
    private final MethodHandle replyOpen;
    private final MethodHandle replyWrite;
    private final MethodHandle replyBuf;
    private final MethodHandle addDirentry;
    private final MethodHandle addDirentryPlus;
    private final MethodHandle interruptFunc;
    private final MethodHandle sessionNew;
    private final MethodHandle sessionMount;
    private final MethodHandle sessionUnmount;
    private final MethodHandle sessionDestroy;
    private final MethodHandle sessionExit;
    private final MethodHandle sessionFd;
    private final MethodHandle receiveBuf;
    private final MethodHandle processBuf;
    private final MethodHandle notifyInvalEntry;
    private final MethodHandle notifyInvalInode;
    private final MethodHandle version;
    private final MethodHandle free;
    private final MethodHandle getuid;
    private final MethodHandle getgid;

    private Libfuse(SymbolLookup symbols) {
        this.symbols = symbols;
        replyErr = fuse("fuse_reply_err", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        replyNone = fuse("fuse_reply_none", FunctionDescriptor.ofVoid(ADDRESS));
        replyEntry = fuse("fuse_reply_entry", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        replyCreate = fuse("fuse_reply_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        replyAttr = fuse("fuse_reply_attr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_DOUBLE));
        replyOpen = fuse("fuse_reply_open", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        replyWrite = fuse("fuse_reply_write", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        replyBuf = fuse("fuse_reply_buf", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        addDirentry = fuse("fuse_add_direntry",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
        addDirentryPlus = fuse("fuse_add_direntry_plus",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
        interruptFunc = fuse("fuse_req_interrupt_func", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS));
        sessionNew = fuse("fuse_session_new", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        sessionMount = fuse("fuse_session_mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        sessionUnmount = fuse("fuse_session_unmount", FunctionDescriptor.ofVoid(ADDRESS));
        sessionDestroy = fuse("fuse_session_destroy", FunctionDescriptor.ofVoid(ADDRESS));
        sessionExit = fuse("fuse_session_exit", FunctionDescriptor.ofVoid(ADDRESS));
        sessionFd = fuse("fuse_session_fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        receiveBuf = fuse("fuse_session_receive_buf", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        processBuf = fuse("fuse_session_process_buf", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        notifyInvalEntry = fuse("fuse_lowlevel_notify_inval_entry",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        notifyInvalInode = fuse("fuse_lowlevel_notify_inval_inode",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        version = fuse("fuse_pkgversion", FunctionDescriptor.of(ADDRESS));
        SymbolLookup libc = LINKER.defaultLookup();
        free = LINKER.downcallHandle(libc.find("free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
        getuid = LINKER.downcallHandle(libc.find("getuid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
        getgid = LINKER.downcallHandle(libc.find("getgid").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    }

    /** Loads libfuse3, or says what to install. */
    static Libfuse load() throws IOException {
        if (!NativeLayout.supported()) {
            throw new IOException("k9p mount supports Linux on x86_64 and aarch64; this is "
                    + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        List<String> names = new ArrayList<>();
        String chosen = System.getenv("K9P_LIBFUSE");
        if (chosen != null && !chosen.isBlank()) {
            names.add(chosen);
        }
        names.addAll(NAMES);
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                return new Libfuse(SymbolLookup.libraryLookup(name, Arena.global()));
            } catch (IllegalArgumentException e) {
                failures.add(name);
            }
        }
        throw new IOException("libfuse3 not found (tried " + String.join(", ", failures)
                + "): install it (Debian and Ubuntu: apt install fuse3), or set K9P_LIBFUSE to its path");
    }

    private MethodHandle fuse(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = symbols.find(name)
                .orElseThrow(() -> new IllegalStateException("libfuse3 has no " + name + ": too old?"));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** A function pointer that calls {@code target}; valid as long as {@code arena}. */
    static MemorySegment upcall(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return LINKER.upcallStub(target, descriptor, arena);
    }

    int replyErr(MemorySegment req, int errno) {
        try {
            return (int) replyErr.invokeExact(req, errno);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    void replyNone(MemorySegment req) {
        try {
            replyNone.invokeExact(req);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int replyEntry(MemorySegment req, MemorySegment entry) {
        try {
            return (int) replyEntry.invokeExact(req, entry);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int replyCreate(MemorySegment req, MemorySegment entry, MemorySegment fileInfo) {
        try {
            return (int) replyCreate.invokeExact(req, entry, fileInfo);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int replyAttr(MemorySegment req, MemorySegment stat, double timeout) {
        try {
            return (int) replyAttr.invokeExact(req, stat, timeout);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int replyOpen(MemorySegment req, MemorySegment fileInfo) {
        try {
            return (int) replyOpen.invokeExact(req, fileInfo);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int replyWrite(MemorySegment req, long count) {
        try {
            return (int) replyWrite.invokeExact(req, count);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int replyBuf(MemorySegment req, MemorySegment data, long size) {
        try {
            return (int) replyBuf.invokeExact(req, data, size);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** Adds a directory entry to {@code buf} if it fits; returns the size it needs either way. */
    long addDirentry(MemorySegment req, MemorySegment buf, long size, MemorySegment name, MemorySegment stat,
            long nextOffset) {
        try {
            return (long) addDirentry.invokeExact(req, buf, size, name, stat, nextOffset);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    long addDirentryPlus(MemorySegment req, MemorySegment buf, long size, MemorySegment name,
            MemorySegment entry, long nextOffset) {
        try {
            return (long) addDirentryPlus.invokeExact(req, buf, size, name, entry, nextOffset);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** Registers the function libfuse calls when the kernel interrupts {@code req}. */
    void onInterrupt(MemorySegment req, MemorySegment function, MemorySegment data) {
        try {
            interruptFunc.invokeExact(req, function, data);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    MemorySegment sessionNew(MemorySegment args, MemorySegment operations, long size) {
        try {
            return (MemorySegment) sessionNew.invokeExact(args, operations, size, MemorySegment.NULL);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int sessionMount(MemorySegment session, MemorySegment mountPoint) {
        try {
            return (int) sessionMount.invokeExact(session, mountPoint);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    void sessionUnmount(MemorySegment session) {
        try {
            sessionUnmount.invokeExact(session);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    void sessionDestroy(MemorySegment session) {
        try {
            sessionDestroy.invokeExact(session);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    void sessionExit(MemorySegment session) {
        try {
            sessionExit.invokeExact(session);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** The session's /dev/fuse descriptor. */
    int sessionFd(MemorySegment session) {
        try {
            return (int) sessionFd.invokeExact(session);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int receiveBuf(MemorySegment session, MemorySegment buf) {
        try {
            return (int) receiveBuf.invokeExact(session, buf);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    void processBuf(MemorySegment session, MemorySegment buf) {
        try {
            processBuf.invokeExact(session, buf);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** Tells the kernel to forget the name {@code name} in {@code parent}; its next use looks it up. */
    int notifyInvalEntry(MemorySegment session, long parent, MemorySegment name, long length) {
        try {
            return (int) notifyInvalEntry.invokeExact(session, parent, name, length);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** Tells the kernel to forget the attributes it keeps of {@code ino}. */
    int notifyInvalAttributes(MemorySegment session, long ino) {
        try {
            return (int) notifyInvalInode.invokeExact(session, ino, -1L, 0L);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** libfuse's own version, such as "3.14.0". */
    String version() {
        try {
            return ((MemorySegment) version.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    void free(MemorySegment pointer) {
        try {
            free.invokeExact(pointer);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int uid() {
        try {
            return (int) getuid.invokeExact();
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int gid() {
        try {
            return (int) getgid.invokeExact();
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** A downcall's failure, unchecked: a native function declares nothing. */
    static RuntimeException failure(Throwable e) {
        if (e instanceof RuntimeException runtime) {
            return runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }
}
