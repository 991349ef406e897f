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
    private final MethodHandle receiveBuf;
    private final MethodHandle processBuf;
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
        receiveBuf = fuse("fuse_session_receive_buf", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        processBuf = fuse("fuse_session_process_buf", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
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
        return (int) invoke(replyErr, req, errno);
    }

    void replyNone(MemorySegment req) {
        invoke(replyNone, req);
    }

    int replyEntry(MemorySegment req, MemorySegment entry) {
        return (int) invoke(replyEntry, req, entry);
    }

    int replyCreate(MemorySegment req, MemorySegment entry, MemorySegment fileInfo) {
        return (int) invoke(replyCreate, req, entry, fileInfo);
    }

    int replyAttr(MemorySegment req, MemorySegment stat, double timeout) {
        return (int) invoke(replyAttr, req, stat, timeout);
    }

    int replyOpen(MemorySegment req, MemorySegment fileInfo) {
        return (int) invoke(replyOpen, req, fileInfo);
    }

    int replyWrite(MemorySegment req, long count) {
        return (int) invoke(replyWrite, req, count);
    }

    int replyBuf(MemorySegment req, MemorySegment data, long size) {
        return (int) invoke(replyBuf, req, data, size);
    }

    /** Adds a directory entry to {@code buf} if it fits; returns the size it needs either way. */
    long addDirentry(MemorySegment req, MemorySegment buf, long size, MemorySegment name, MemorySegment stat,
            long nextOffset) {
        return (long) invoke(addDirentry, req, buf, size, name, stat, nextOffset);
    }

    long addDirentryPlus(MemorySegment req, MemorySegment buf, long size, MemorySegment name,
            MemorySegment entry, long nextOffset) {
        return (long) invoke(addDirentryPlus, req, buf, size, name, entry, nextOffset);
    }

    /** Registers the function libfuse calls when the kernel interrupts {@code req}. */
    void onInterrupt(MemorySegment req, MemorySegment function, MemorySegment data) {
        invoke(interruptFunc, req, function, data);
    }

    MemorySegment sessionNew(MemorySegment args, MemorySegment operations, long size) {
        return (MemorySegment) invoke(sessionNew, args, operations, size, MemorySegment.NULL);
    }

    int sessionMount(MemorySegment session, MemorySegment mountPoint) {
        return (int) invoke(sessionMount, session, mountPoint);
    }

    void sessionUnmount(MemorySegment session) {
        invoke(sessionUnmount, session);
    }

    void sessionDestroy(MemorySegment session) {
        invoke(sessionDestroy, session);
    }

    void sessionExit(MemorySegment session) {
        invoke(sessionExit, session);
    }

    int receiveBuf(MemorySegment session, MemorySegment buf) {
        return (int) invoke(receiveBuf, session, buf);
    }

    void processBuf(MemorySegment session, MemorySegment buf) {
        invoke(processBuf, session, buf);
    }

    void free(MemorySegment pointer) {
        invoke(free, pointer);
    }

    int uid() {
        return (int) invoke(getuid);
    }

    int gid() {
        return (int) invoke(getgid);
    }

    private static Object invoke(MethodHandle handle, Object... arguments) {
        try {
            return handle.invokeWithArguments(arguments);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
