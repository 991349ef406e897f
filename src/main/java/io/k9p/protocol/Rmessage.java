package io.k9p.protocol;

import java.util.List;

/** Replies, server to client: every R-message of 9P2000, 9P2000.u and 9P2000.L. */
public sealed interface Rmessage {

    record Version(int msize, String version) implements Rmessage {}

    record Auth(Qid aqid) implements Rmessage {}

    record Attach(Qid qid) implements Rmessage {}

    /** 9P2000 and 9P2000.u error; {@code errno} is on the wire in 9P2000.u only. */
    record Error(String ename, int errno) implements Rmessage {}

    /** 9P2000.L error. */
    record Lerror(int errno) implements Rmessage {}

    record Flush() implements Rmessage {}

    record Walk(List<Qid> qids) implements Rmessage {
        public Walk {
            qids = List.copyOf(qids);
        }
    }

    record Open(Qid qid, int iounit) implements Rmessage {}

    record Create(Qid qid, int iounit) implements Rmessage {}

    record Read(byte[] data) implements Rmessage {}

    record Write(int count) implements Rmessage {}

    record Clunk() implements Rmessage {}

    record Remove() implements Rmessage {}

    record Stat(io.k9p.protocol.Stat stat) implements Rmessage {}

    record Wstat() implements Rmessage {}

    record Statfs(int type, int bsize, long blocks, long bfree, long bavail, long files, long ffree,
                  long fsid, int namelen) implements Rmessage {}

    record Lopen(Qid qid, int iounit) implements Rmessage {}

    record Lcreate(Qid qid, int iounit) implements Rmessage {}

    record Symlink(Qid qid) implements Rmessage {}

    record Mknod(Qid qid) implements Rmessage {}

    record Rename() implements Rmessage {}

    record Readlink(String target) implements Rmessage {}

    record Getattr(long valid, Qid qid, int mode, int uid, int gid, long nlink, long rdev, long size,
                   long blksize, long blocks, long atimeSec, long atimeNsec, long mtimeSec,
                   long mtimeNsec, long ctimeSec, long ctimeNsec, long btimeSec, long btimeNsec,
                   long gen, long dataVersion) implements Rmessage {
        /** P9_GETATTR_BASIC: mode, nlink, uid, gid, rdev, atime, mtime, ctime, ino, size, blocks. */
        public static final long BASIC = 0x7ffL;
    }

    record Setattr() implements Rmessage {}

    record Xattrwalk(long size) implements Rmessage {}

    record Xattrcreate() implements Rmessage {}

    /** Entries already encoded by {@link MessageCodec#encodeEntry}. */
    record Readdir(byte[] data) implements Rmessage {}

    record Fsync() implements Rmessage {}

    record Lock(int status) implements Rmessage {
        public static final int SUCCESS = 0;
    }

    record Getlock(int type, long start, long length, int procId, String clientId) implements Rmessage {
        public static final int UNLOCKED = 2;
    }

    record Link() implements Rmessage {}

    record Mkdir(Qid qid) implements Rmessage {}

    record Renameat() implements Rmessage {}

    record Unlinkat() implements Rmessage {}
}
