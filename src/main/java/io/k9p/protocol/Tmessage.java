package io.k9p.protocol;

import java.util.List;

/**
 * Requests, client to server: every T-message of 9P2000, 9P2000.u and 9P2000.L. Fields keep the
 * protocol's names and widths; unsigned 32-bit values travel in Java ints bit for bit.
 */
public sealed interface Tmessage {

    /** The fid the request operates on, or {@link #NOFID} for messages that name none. */
    int NOFID = ~0;

    record Version(int msize, String version) implements Tmessage {}

    record Auth(int afid, String uname, String aname, int nUname) implements Tmessage {}

    record Attach(int fid, int afid, String uname, String aname, int nUname) implements Tmessage {}

    record Flush(int oldtag) implements Tmessage {}

    record Walk(int fid, int newfid, List<String> names) implements Tmessage {
        public Walk {
            names = List.copyOf(names);
        }
    }

    record Open(int fid, int mode) implements Tmessage {}

    record Create(int fid, String name, int perm, int mode, String extension) implements Tmessage {}

    record Read(int fid, long offset, int count) implements Tmessage {}

    record Write(int fid, long offset, byte[] data) implements Tmessage {}

    record Clunk(int fid) implements Tmessage {}

    record Remove(int fid) implements Tmessage {}

    record Stat(int fid) implements Tmessage {}

    record Wstat(int fid, io.k9p.protocol.Stat stat) implements Tmessage {}

    record Statfs(int fid) implements Tmessage {}

    record Lopen(int fid, int flags) implements Tmessage {
        /** Linux's open flags as 9P2000.L carries them (its P9_DOTL_ values are x86's). */
        public static final int O_RDONLY = 0;
        public static final int O_WRONLY = 01;
        public static final int O_RDWR = 02;
        public static final int O_ACCMODE = 03;
        public static final int O_TRUNC = 01000;
        public static final int O_APPEND = 02000;
    }

    record Lcreate(int fid, String name, int flags, int mode, int gid) implements Tmessage {}

    record Symlink(int fid, String name, String target, int gid) implements Tmessage {}

    record Mknod(int dfid, String name, int mode, int major, int minor, int gid) implements Tmessage {}

    record Rename(int fid, int dfid, String name) implements Tmessage {}

    record Readlink(int fid) implements Tmessage {}

    record Getattr(int fid, long requestMask) implements Tmessage {}

    record Setattr(int fid, int valid, int mode, int uid, int gid, long size,
                   long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) implements Tmessage {
        public static final int MODE = 0x1;
        public static final int UID = 0x2;
        public static final int GID = 0x4;
        public static final int SIZE = 0x8;
        public static final int ATIME = 0x10;
        public static final int MTIME = 0x20;
        public static final int CTIME = 0x40;
        public static final int ATIME_SET = 0x80;
        public static final int MTIME_SET = 0x100;

        public boolean has(int bit) {
            return (valid & bit) != 0;
        }
    }

    record Xattrwalk(int fid, int newfid, String name) implements Tmessage {}

    record Xattrcreate(int fid, String name, long size, int flags) implements Tmessage {}

    record Readdir(int fid, long offset, int count) implements Tmessage {}

    record Fsync(int fid, int datasync) implements Tmessage {}

    record Lock(int fid, int type, int flags, long start, long length, int procId, String clientId)
            implements Tmessage {}

    record Getlock(int fid, int type, long start, long length, int procId, String clientId)
            implements Tmessage {}

    record Link(int dfid, int fid, String name) implements Tmessage {}

    record Mkdir(int dfid, String name, int mode, int gid) implements Tmessage {}

    record Renameat(int olddirfid, String oldname, int newdirfid, String newname) implements Tmessage {}

    record Unlinkat(int dirfid, String name, int flags) implements Tmessage {
        /** AT_REMOVEDIR: the name must be a directory. */
        public static final int REMOVEDIR = 0x200;
    }
}
