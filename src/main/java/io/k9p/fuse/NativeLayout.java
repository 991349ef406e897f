package io.k9p.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.time.Instant;

/**
 * Offsets of the C structures libfuse3 exchanges, for Linux on 64-bit x86 and ARM, read off glibc's
 * and libfuse 3.14's headers (checked with offsetof). Only {@code struct stat} differs between the
 * two: x86_64 keeps its own historic layout, aarch64 uses the kernel's generic one.
 */
final class NativeLayout {
    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    private static final int BLOCK_SIZE = 4096;

    static final long STAT_SIZE = AARCH64 ? 128 : 144;

    /** struct fuse_entry_param: ino, generation, struct stat attr, double attr_timeout, entry_timeout. */
    static final long ENTRY_SIZE = 16 + STAT_SIZE + 16;
    private static final long ENTRY_ATTR = 16;

    /**
     * struct fuse_file_info: int flags, words of bit fields, uint64 fh, lock_owner, poll_events; 3.17
     * appends fields, which a reply's zeroes cover.
     */
    static final long FILE_INFO_SIZE = 64;
    private static final int DIRECT_IO = 1 << 1;
    private static final long FILE_INFO_BITS = 4;
    private static final long FILE_INFO_FH = 16;

    /** struct fuse_buf; 3.17 appends a field, so room is left for it. */
    static final long BUF_SIZE = 64;
    static final long BUF_MEM = 16;

    /** struct fuse_conn_info: the capability words the kernel offers and the daemon wants. */
    static final long CONN_INFO_SIZE = 32;
    private static final long CONN_CAPABLE = 20;
    private static final long CONN_WANT = 24;
    static final int CAP_ATOMIC_O_TRUNC = 1 << 3;
    static final int CAP_READDIRPLUS_AUTO = 1 << 14;

    /** struct fuse_args: int argc, char **argv, int allocated. */
    static final long ARGS_SIZE = 24;

    /**
     * struct epoll_event: uint32 events, then the caller's 64-bit data, which x86_64 packs right
     * after the events and aarch64 aligns to 8.
     */
    static final long EPOLL_EVENT_SIZE = AARCH64 ? 16 : 12;
    private static final long EPOLL_EVENT_DATA = AARCH64 ? 8 : 4;

    private NativeLayout() {
    }

    static boolean supported() {
        String arch = System.getProperty("os.arch");
        return System.getProperty("os.name").equals("Linux") && ("amd64".equals(arch) || "aarch64".equals(arch));
    }

    static void writeStat(MemorySegment stat, long ino, int mode, long size, Instant modified, int uid, int gid) {
        stat.fill((byte) 0);
        long nlink = (mode & S_IFDIR) != 0 ? 2 : 1;
        stat.set(JAVA_LONG, 8, ino);
        if (AARCH64) {
            stat.set(JAVA_INT, 16, mode);
            stat.set(JAVA_INT, 20, (int) nlink);
            stat.set(JAVA_INT, 24, uid);
            stat.set(JAVA_INT, 28, gid);
            stat.set(JAVA_LONG, 48, size);
            stat.set(JAVA_INT, 56, BLOCK_SIZE);
        } else {
            stat.set(JAVA_LONG, 16, nlink);
            stat.set(JAVA_INT, 24, mode);
            stat.set(JAVA_INT, 28, uid);
            stat.set(JAVA_INT, 32, gid);
            stat.set(JAVA_LONG, 48, size);
            stat.set(JAVA_LONG, 56, BLOCK_SIZE);
        }
        stat.set(JAVA_LONG, 64, (size + 511) / 512);
        for (long time = 72; time <= 104; time += 16) {
            stat.set(JAVA_LONG, time, modified.getEpochSecond());
            stat.set(JAVA_LONG, time + 8, modified.getNano());
        }
    }

    /** What setattr asks for: the mode and the modification time of the stat it passes. */
    static int statMode(MemorySegment stat) {
        return stat.get(JAVA_INT, AARCH64 ? 16 : 24);
    }

    static Instant statModified(MemorySegment stat) {
        return Instant.ofEpochSecond(stat.get(JAVA_LONG, 88), stat.get(JAVA_LONG, 96));
    }

    static long statSize(MemorySegment stat) {
        return stat.get(JAVA_LONG, 48);
    }

    static MemorySegment entryAttr(MemorySegment entry) {
        return entry.asSlice(ENTRY_ATTR, STAT_SIZE);
    }

    static void writeEntry(MemorySegment entry, long ino, double timeout) {
        entry.set(JAVA_LONG, 0, ino);
        entry.set(JAVA_LONG, 8, 0);
        entry.set(JAVA_DOUBLE, ENTRY_ATTR + STAT_SIZE, timeout);
        entry.set(JAVA_DOUBLE, ENTRY_ATTR + STAT_SIZE + 8, timeout);
    }

    /**
     * The bit of fuse_file_info that asks the kernel to send no flush at close (FOPEN_NOFLUSH), for
     * the libfuse of that version: 3.15 and 3.16 put parallel_direct_writes before flush, moving it
     * up by one; 3.17 moved it back. Before 3.11 the bit was padding, which libfuse ignores.
     */
    static int noFlushBit(String libfuseVersion) {
        boolean shifted = libfuseVersion.startsWith("3.15.") || libfuseVersion.startsWith("3.16.");
        return shifted ? 1 << 8 : 1 << 7;
    }

    static int openFlags(MemorySegment fileInfo) {
        return fileInfo.get(JAVA_INT, 0);
    }

    static long handle(MemorySegment fileInfo) {
        return fileInfo.get(JAVA_LONG, FILE_INFO_FH);
    }

    /**
     * A reply's file info: the handle, and direct I/O. Every open bypasses the page cache, as the 9P
     * mount's cache=none does: a file's content is a snapshot taken at open, which the page cache
     * would cut at a size it cached earlier, and streams have no size at all. {@code bits} are
     * further flags, such as {@link #noFlushBit}.
     */
    static void writeOpened(MemorySegment fileInfo, long handle, int bits) {
        fileInfo.fill((byte) 0);
        fileInfo.set(JAVA_INT, FILE_INFO_BITS, DIRECT_IO | bits);
        fileInfo.set(JAVA_LONG, FILE_INFO_FH, handle);
    }

    static MemorySegment bufMemory(MemorySegment buf) {
        return buf.get(ADDRESS, BUF_MEM);
    }

    /** Asks for a capability where the kernel offers it. */
    static void want(MemorySegment connection, int capability) {
        int capable = connection.get(JAVA_INT, CONN_CAPABLE);
        connection.set(JAVA_INT, CONN_WANT, connection.get(JAVA_INT, CONN_WANT) | (capable & capability));
    }

    /** Gives up a capability libfuse asked for by default. */
    static void unwant(MemorySegment connection, int capability) {
        connection.set(JAVA_INT, CONN_WANT, connection.get(JAVA_INT, CONN_WANT) & ~capability);
    }

    /** An epoll_event of {@code events}, whose data is {@code token} (the low half is enough: both are little-endian). */
    static void writeEpollEvent(MemorySegment event, int events, int token) {
        event.fill((byte) 0);
        event.set(JAVA_INT, 0, events);
        event.set(JAVA_INT, EPOLL_EVENT_DATA, token);
    }

    static int epollEventToken(MemorySegment event) {
        return event.get(JAVA_INT, EPOLL_EVENT_DATA);
    }

    static void writeArgs(MemorySegment args, int argc, MemorySegment argv) {
        args.set(JAVA_INT, 0, argc);
        args.set(ADDRESS, 8, argv);
        args.set(JAVA_INT, 16, 0);
    }
}
