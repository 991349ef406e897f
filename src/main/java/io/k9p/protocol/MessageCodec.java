package io.k9p.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes 9P messages in one dialect, in both directions, so the same code serves the
 * server and the test clients. Decoding is defensive: counts are checked against the bytes present
 * and no message makes it allocate more than its frame's size.
 */
public final class MessageCodec {
    public static final int NOTAG = 0xffff;
    public static final int MAX_WALK_NAMES = 16;
    /** Linux's P9_IOHDRSZ: what Twrite and Rread add around their data. */
    public static final int IO_HEADER_SIZE = 24;
    /** Linux's P9_READDIRHDRSZ: what Rreaddir adds around its entries. */
    public static final int READDIR_HEADER_SIZE = 24;

    public static final int TLERROR = 6, RLERROR = 7, TSTATFS = 8, RSTATFS = 9, TLOPEN = 12, RLOPEN = 13,
            TLCREATE = 14, RLCREATE = 15, TSYMLINK = 16, RSYMLINK = 17, TMKNOD = 18, RMKNOD = 19,
            TRENAME = 20, RRENAME = 21, TREADLINK = 22, RREADLINK = 23, TGETATTR = 24, RGETATTR = 25,
            TSETATTR = 26, RSETATTR = 27, TXATTRWALK = 30, RXATTRWALK = 31, TXATTRCREATE = 32,
            RXATTRCREATE = 33, TREADDIR = 40, RREADDIR = 41, TFSYNC = 50, RFSYNC = 51, TLOCK = 52,
            RLOCK = 53, TGETLOCK = 54, RGETLOCK = 55, TLINK = 70, RLINK = 71, TMKDIR = 72, RMKDIR = 73,
            TRENAMEAT = 74, RRENAMEAT = 75, TUNLINKAT = 76, RUNLINKAT = 77, TVERSION = 100,
            RVERSION = 101, TAUTH = 102, RAUTH = 103, TATTACH = 104, RATTACH = 105, RERROR = 107,
            TFLUSH = 108, RFLUSH = 109, TWALK = 110, RWALK = 111, TOPEN = 112, ROPEN = 113,
            TCREATE = 114, RCREATE = 115, TREAD = 116, RREAD = 117, TWRITE = 118, RWRITE = 119,
            TCLUNK = 120, RCLUNK = 121, TREMOVE = 122, RREMOVE = 123, TSTAT = 124, RSTAT = 125,
            TWSTAT = 126, RWSTAT = 127;

    private final Dialect dialect;

    public MessageCodec(Dialect dialect) {
        this.dialect = dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    // ---------------------------------------------------------------- requests

    public byte[] encode(int tag, Tmessage message) {
        WireWriter w = header(message instanceof Tmessage.Write write ? write.data().length : 0);
        switch (message) {
            case Tmessage.Version m -> w.u8(TVERSION).u16(tag).u32(m.msize()).string(m.version());
            case Tmessage.Auth m -> {
                w.u8(TAUTH).u16(tag).u32(m.afid()).string(m.uname()).string(m.aname());
                if (dialect.hasNumericUser()) {
                    w.u32(m.nUname());
                }
            }
            case Tmessage.Attach m -> {
                w.u8(TATTACH).u16(tag).u32(m.fid()).u32(m.afid()).string(m.uname()).string(m.aname());
                if (dialect.hasNumericUser()) {
                    w.u32(m.nUname());
                }
            }
            case Tmessage.Flush m -> w.u8(TFLUSH).u16(tag).u16(m.oldtag());
            case Tmessage.Walk m -> {
                w.u8(TWALK).u16(tag).u32(m.fid()).u32(m.newfid()).u16(m.names().size());
                m.names().forEach(w::string);
            }
            case Tmessage.Open m -> w.u8(TOPEN).u16(tag).u32(m.fid()).u8(m.mode());
            case Tmessage.Create m -> {
                w.u8(TCREATE).u16(tag).u32(m.fid()).string(m.name()).u32(m.perm()).u8(m.mode());
                if (dialect == Dialect.P9P2000_U) {
                    w.string(m.extension());
                }
            }
            case Tmessage.Read m -> w.u8(TREAD).u16(tag).u32(m.fid()).u64(m.offset()).u32(m.count());
            case Tmessage.Write m -> w.u8(TWRITE).u16(tag).u32(m.fid()).u64(m.offset()).counted(m.data());
            case Tmessage.Clunk m -> w.u8(TCLUNK).u16(tag).u32(m.fid());
            case Tmessage.Remove m -> w.u8(TREMOVE).u16(tag).u32(m.fid());
            case Tmessage.Stat m -> w.u8(TSTAT).u16(tag).u32(m.fid());
            case Tmessage.Wstat m -> {
                w.u8(TWSTAT).u16(tag).u32(m.fid());
                byte[] stat = encodeStat(m.stat());
                w.u16(stat.length).raw(stat);
            }
            case Tmessage.Statfs m -> w.u8(TSTATFS).u16(tag).u32(m.fid());
            case Tmessage.Lopen m -> w.u8(TLOPEN).u16(tag).u32(m.fid()).u32(m.flags());
            case Tmessage.Lcreate m -> w.u8(TLCREATE).u16(tag).u32(m.fid()).string(m.name())
                    .u32(m.flags()).u32(m.mode()).u32(m.gid());
            case Tmessage.Symlink m -> w.u8(TSYMLINK).u16(tag).u32(m.fid()).string(m.name())
                    .string(m.target()).u32(m.gid());
            case Tmessage.Mknod m -> w.u8(TMKNOD).u16(tag).u32(m.dfid()).string(m.name()).u32(m.mode())
                    .u32(m.major()).u32(m.minor()).u32(m.gid());
            case Tmessage.Rename m -> w.u8(TRENAME).u16(tag).u32(m.fid()).u32(m.dfid()).string(m.name());
            case Tmessage.Readlink m -> w.u8(TREADLINK).u16(tag).u32(m.fid());
            case Tmessage.Getattr m -> w.u8(TGETATTR).u16(tag).u32(m.fid()).u64(m.requestMask());
            case Tmessage.Setattr m -> w.u8(TSETATTR).u16(tag).u32(m.fid()).u32(m.valid()).u32(m.mode())
                    .u32(m.uid()).u32(m.gid()).u64(m.size()).u64(m.atimeSec()).u64(m.atimeNsec())
                    .u64(m.mtimeSec()).u64(m.mtimeNsec());
            case Tmessage.Xattrwalk m -> w.u8(TXATTRWALK).u16(tag).u32(m.fid()).u32(m.newfid())
                    .string(m.name());
            case Tmessage.Xattrcreate m -> w.u8(TXATTRCREATE).u16(tag).u32(m.fid()).string(m.name())
                    .u64(m.size()).u32(m.flags());
            case Tmessage.Readdir m -> w.u8(TREADDIR).u16(tag).u32(m.fid()).u64(m.offset()).u32(m.count());
            case Tmessage.Fsync m -> w.u8(TFSYNC).u16(tag).u32(m.fid()).u32(m.datasync());
            case Tmessage.Lock m -> w.u8(TLOCK).u16(tag).u32(m.fid()).u8(m.type()).u32(m.flags())
                    .u64(m.start()).u64(m.length()).u32(m.procId()).string(m.clientId());
            case Tmessage.Getlock m -> w.u8(TGETLOCK).u16(tag).u32(m.fid()).u8(m.type()).u64(m.start())
                    .u64(m.length()).u32(m.procId()).string(m.clientId());
            case Tmessage.Link m -> w.u8(TLINK).u16(tag).u32(m.dfid()).u32(m.fid()).string(m.name());
            case Tmessage.Mkdir m -> w.u8(TMKDIR).u16(tag).u32(m.dfid()).string(m.name()).u32(m.mode())
                    .u32(m.gid());
            case Tmessage.Renameat m -> w.u8(TRENAMEAT).u16(tag).u32(m.olddirfid()).string(m.oldname())
                    .u32(m.newdirfid()).string(m.newname());
            case Tmessage.Unlinkat m -> w.u8(TUNLINKAT).u16(tag).u32(m.dirfid()).string(m.name())
                    .u32(m.flags());
        }
        return finish(w);
    }

    /**
     * Decodes a request body. Messages of another dialect's set are refused here, so the server only
     * ever sees what the negotiated dialect allows.
     */
    public Tmessage decodeRequest(Frame frame) throws ProtocolException {
        WireReader r = new WireReader(frame.body());
        int type = frame.type();
        if (!allowedInDialect(type)) {
            throw new ProtocolException(Errno.EOPNOTSUPP, "message type " + type + " not in " + dialect.version());
        }
        return switch (type) {
            case TVERSION -> new Tmessage.Version(r.u32(), r.string());
            case TAUTH -> new Tmessage.Auth(r.u32(), r.string(), r.string(), numericUser(r));
            case TATTACH -> new Tmessage.Attach(r.u32(), r.u32(), r.string(), r.string(), numericUser(r));
            case TFLUSH -> new Tmessage.Flush(r.u16());
            case TWALK -> {
                int fid = r.u32();
                int newfid = r.u32();
                int count = r.u16();
                if (count > MAX_WALK_NAMES) {
                    throw new ProtocolException(Errno.EINVAL, "more than 16 walk names");
                }
                List<String> names = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    names.add(r.string());
                }
                yield new Tmessage.Walk(fid, newfid, names);
            }
            case TOPEN -> new Tmessage.Open(r.u32(), r.u8());
            case TCREATE -> new Tmessage.Create(r.u32(), r.string(), r.u32(), r.u8(),
                    dialect == Dialect.P9P2000_U ? r.string() : "");
            case TREAD -> new Tmessage.Read(r.u32(), r.u64(), r.u32());
            case TWRITE -> new Tmessage.Write(r.u32(), r.u64(), r.bytes(r.u32()));
            case TCLUNK -> new Tmessage.Clunk(r.u32());
            case TREMOVE -> new Tmessage.Remove(r.u32());
            case TSTAT -> new Tmessage.Stat(r.u32());
            case TWSTAT -> {
                int fid = r.u32();
                r.u16();
                yield new Tmessage.Wstat(fid, readStat(r));
            }
            case TSTATFS -> new Tmessage.Statfs(r.u32());
            case TLOPEN -> new Tmessage.Lopen(r.u32(), r.u32());
            case TLCREATE -> new Tmessage.Lcreate(r.u32(), r.string(), r.u32(), r.u32(), r.u32());
            case TSYMLINK -> new Tmessage.Symlink(r.u32(), r.string(), r.string(), r.u32());
            case TMKNOD -> new Tmessage.Mknod(r.u32(), r.string(), r.u32(), r.u32(), r.u32(), r.u32());
            case TRENAME -> new Tmessage.Rename(r.u32(), r.u32(), r.string());
            case TREADLINK -> new Tmessage.Readlink(r.u32());
            case TGETATTR -> new Tmessage.Getattr(r.u32(), r.u64());
            case TSETATTR -> new Tmessage.Setattr(r.u32(), r.u32(), r.u32(), r.u32(), r.u32(), r.u64(),
                    r.u64(), r.u64(), r.u64(), r.u64());
            case TXATTRWALK -> new Tmessage.Xattrwalk(r.u32(), r.u32(), r.string());
            case TXATTRCREATE -> new Tmessage.Xattrcreate(r.u32(), r.string(), r.u64(), r.u32());
            case TREADDIR -> new Tmessage.Readdir(r.u32(), r.u64(), r.u32());
            // Kernels before 3.x sent Tfsync without datasync; accept both.
            case TFSYNC -> new Tmessage.Fsync(r.u32(), r.remaining() >= 4 ? r.u32() : 0);
            case TLOCK -> new Tmessage.Lock(r.u32(), r.u8(), r.u32(), r.u64(), r.u64(), r.u32(), r.string());
            case TGETLOCK -> new Tmessage.Getlock(r.u32(), r.u8(), r.u64(), r.u64(), r.u32(), r.string());
            case TLINK -> new Tmessage.Link(r.u32(), r.u32(), r.string());
            case TMKDIR -> new Tmessage.Mkdir(r.u32(), r.string(), r.u32(), r.u32());
            case TRENAMEAT -> new Tmessage.Renameat(r.u32(), r.string(), r.u32(), r.string());
            case TUNLINKAT -> new Tmessage.Unlinkat(r.u32(), r.string(), r.u32());
            default -> throw new ProtocolException(Errno.EOPNOTSUPP, "unknown message type " + type);
        };
    }

    // ---------------------------------------------------------------- replies

    public byte[] encode(int tag, Rmessage message) {
        WireWriter w = header(switch (message) {
            case Rmessage.Read m -> m.data().length;
            case Rmessage.Readdir m -> m.data().length;
            default -> 0;
        });
        switch (message) {
            case Rmessage.Version m -> w.u8(RVERSION).u16(tag).u32(m.msize()).string(m.version());
            case Rmessage.Auth m -> w.u8(RAUTH).u16(tag).qid(m.aqid());
            case Rmessage.Attach m -> w.u8(RATTACH).u16(tag).qid(m.qid());
            case Rmessage.Error m -> {
                w.u8(RERROR).u16(tag).string(m.ename());
                if (dialect == Dialect.P9P2000_U) {
                    w.u32(m.errno());
                }
            }
            case Rmessage.Lerror m -> w.u8(RLERROR).u16(tag).u32(m.errno());
            case Rmessage.Flush m -> w.u8(RFLUSH).u16(tag);
            case Rmessage.Walk m -> {
                w.u8(RWALK).u16(tag).u16(m.qids().size());
                m.qids().forEach(w::qid);
            }
            case Rmessage.Open m -> w.u8(ROPEN).u16(tag).qid(m.qid()).u32(m.iounit());
            case Rmessage.Create m -> w.u8(RCREATE).u16(tag).qid(m.qid()).u32(m.iounit());
            case Rmessage.Read m -> w.u8(RREAD).u16(tag).counted(m.data());
            case Rmessage.Write m -> w.u8(RWRITE).u16(tag).u32(m.count());
            case Rmessage.Clunk m -> w.u8(RCLUNK).u16(tag);
            case Rmessage.Remove m -> w.u8(RREMOVE).u16(tag);
            case Rmessage.Stat m -> {
                byte[] stat = encodeStat(m.stat());
                w.u8(RSTAT).u16(tag).u16(stat.length).raw(stat);
            }
            case Rmessage.Wstat m -> w.u8(RWSTAT).u16(tag);
            case Rmessage.Statfs m -> w.u8(RSTATFS).u16(tag).u32(m.type()).u32(m.bsize()).u64(m.blocks())
                    .u64(m.bfree()).u64(m.bavail()).u64(m.files()).u64(m.ffree()).u64(m.fsid())
                    .u32(m.namelen());
            case Rmessage.Lopen m -> w.u8(RLOPEN).u16(tag).qid(m.qid()).u32(m.iounit());
            case Rmessage.Lcreate m -> w.u8(RLCREATE).u16(tag).qid(m.qid()).u32(m.iounit());
            case Rmessage.Symlink m -> w.u8(RSYMLINK).u16(tag).qid(m.qid());
            case Rmessage.Mknod m -> w.u8(RMKNOD).u16(tag).qid(m.qid());
            case Rmessage.Rename m -> w.u8(RRENAME).u16(tag);
            case Rmessage.Readlink m -> w.u8(RREADLINK).u16(tag).string(m.target());
            case Rmessage.Getattr m -> w.u8(RGETATTR).u16(tag).u64(m.valid()).qid(m.qid()).u32(m.mode())
                    .u32(m.uid()).u32(m.gid()).u64(m.nlink()).u64(m.rdev()).u64(m.size()).u64(m.blksize())
                    .u64(m.blocks()).u64(m.atimeSec()).u64(m.atimeNsec()).u64(m.mtimeSec())
                    .u64(m.mtimeNsec()).u64(m.ctimeSec()).u64(m.ctimeNsec()).u64(m.btimeSec())
                    .u64(m.btimeNsec()).u64(m.gen()).u64(m.dataVersion());
            case Rmessage.Setattr m -> w.u8(RSETATTR).u16(tag);
            case Rmessage.Xattrwalk m -> w.u8(RXATTRWALK).u16(tag).u64(m.size());
            case Rmessage.Xattrcreate m -> w.u8(RXATTRCREATE).u16(tag);
            case Rmessage.Readdir m -> w.u8(RREADDIR).u16(tag).counted(m.data());
            case Rmessage.Fsync m -> w.u8(RFSYNC).u16(tag);
            case Rmessage.Lock m -> w.u8(RLOCK).u16(tag).u8(m.status());
            case Rmessage.Getlock m -> w.u8(RGETLOCK).u16(tag).u8(m.type()).u64(m.start()).u64(m.length())
                    .u32(m.procId()).string(m.clientId());
            case Rmessage.Link m -> w.u8(RLINK).u16(tag);
            case Rmessage.Mkdir m -> w.u8(RMKDIR).u16(tag).qid(m.qid());
            case Rmessage.Renameat m -> w.u8(RRENAMEAT).u16(tag);
            case Rmessage.Unlinkat m -> w.u8(RUNLINKAT).u16(tag);
        }
        return finish(w);
    }

    public Rmessage decodeResponse(Frame frame) throws ProtocolException {
        WireReader r = new WireReader(frame.body());
        return switch (frame.type()) {
            case RVERSION -> new Rmessage.Version(r.u32(), r.string());
            case RAUTH -> new Rmessage.Auth(r.qid());
            case RATTACH -> new Rmessage.Attach(r.qid());
            case RERROR -> new Rmessage.Error(r.string(), dialect == Dialect.P9P2000_U ? r.u32() : 0);
            case RLERROR -> new Rmessage.Lerror(r.u32());
            case RFLUSH -> new Rmessage.Flush();
            case RWALK -> {
                int count = r.u16();
                if (count > MAX_WALK_NAMES) {
                    throw new ProtocolException(Errno.EINVAL, "more than 16 walk qids");
                }
                List<Qid> qids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    qids.add(r.qid());
                }
                yield new Rmessage.Walk(qids);
            }
            case ROPEN -> new Rmessage.Open(r.qid(), r.u32());
            case RCREATE -> new Rmessage.Create(r.qid(), r.u32());
            case RREAD -> new Rmessage.Read(r.bytes(r.u32()));
            case RWRITE -> new Rmessage.Write(r.u32());
            case RCLUNK -> new Rmessage.Clunk();
            case RREMOVE -> new Rmessage.Remove();
            case RSTAT -> {
                r.u16();
                yield new Rmessage.Stat(readStat(r));
            }
            case RWSTAT -> new Rmessage.Wstat();
            case RSTATFS -> new Rmessage.Statfs(r.u32(), r.u32(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(),
                    r.u64(), r.u32());
            case RLOPEN -> new Rmessage.Lopen(r.qid(), r.u32());
            case RLCREATE -> new Rmessage.Lcreate(r.qid(), r.u32());
            case RSYMLINK -> new Rmessage.Symlink(r.qid());
            case RMKNOD -> new Rmessage.Mknod(r.qid());
            case RRENAME -> new Rmessage.Rename();
            case RREADLINK -> new Rmessage.Readlink(r.string());
            case RGETATTR -> new Rmessage.Getattr(r.u64(), r.qid(), r.u32(), r.u32(), r.u32(), r.u64(), r.u64(),
                    r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(), r.u64(),
                    r.u64(), r.u64(), r.u64());
            case RSETATTR -> new Rmessage.Setattr();
            case RXATTRWALK -> new Rmessage.Xattrwalk(r.u64());
            case RXATTRCREATE -> new Rmessage.Xattrcreate();
            case RREADDIR -> new Rmessage.Readdir(r.bytes(r.u32()));
            case RFSYNC -> new Rmessage.Fsync();
            case RLOCK -> new Rmessage.Lock(r.u8());
            case RGETLOCK -> new Rmessage.Getlock(r.u8(), r.u64(), r.u64(), r.u32(), r.string());
            case RLINK -> new Rmessage.Link();
            case RMKDIR -> new Rmessage.Mkdir(r.qid());
            case RRENAMEAT -> new Rmessage.Renameat();
            case RUNLINKAT -> new Rmessage.Unlinkat();
            default -> throw new ProtocolException(Errno.EOPNOTSUPP, "unknown message type " + frame.type());
        };
    }

    // ---------------------------------------------------------------- stat and directory entries

    /** One stat structure, size prefix included: the unit of Rstat, Twstat and 9P2000 directory reads. */
    public byte[] encodeStat(Stat stat) {
        WireWriter w = new WireWriter(64 + stat.name().length());
        w.u16(0).u16(stat.type()).u32(stat.dev()).qid(stat.qid()).u32(stat.mode()).u32(stat.atime())
                .u32(stat.mtime()).u64(stat.length()).string(stat.name()).string(stat.uid())
                .string(stat.gid()).string(stat.muid());
        if (dialect == Dialect.P9P2000_U) {
            w.string(stat.extension()).u32(stat.nUid()).u32(stat.nGid()).u32(stat.nMuid());
        }
        w.patch(0, w.length() - 2, 2);
        return w.toByteArray();
    }

    /** Decodes the stat structures of a 9P2000 directory read. */
    public List<Stat> decodeStats(byte[] data) throws ProtocolException {
        WireReader r = new WireReader(ByteBuffer.wrap(data));
        List<Stat> stats = new ArrayList<>();
        while (r.remaining() > 0) {
            stats.add(readStat(r));
        }
        return stats;
    }

    private Stat readStat(WireReader r) throws ProtocolException {
        r.u16();
        int type = r.u16();
        int dev = r.u32();
        Qid qid = r.qid();
        int mode = r.u32();
        int atime = r.u32();
        int mtime = r.u32();
        long length = r.u64();
        String name = r.string();
        String uid = r.string();
        String gid = r.string();
        String muid = r.string();
        if (dialect == Dialect.P9P2000_U) {
            return new Stat(type, dev, qid, mode, atime, mtime, length, name, uid, gid, muid,
                    r.string(), r.u32(), r.u32(), r.u32());
        }
        return new Stat(type, dev, qid, mode, atime, mtime, length, name, uid, gid, muid, "", ~0, ~0, ~0);
    }

    /** One Rreaddir entry: qid[13] offset[8] type[1] name[s]. */
    public static byte[] encodeEntry(DirectoryEntry entry) {
        return new WireWriter(24 + entry.name().length()).qid(entry.qid()).u64(entry.offset())
                .u8(entry.type()).string(entry.name()).toByteArray();
    }

    /** Decodes the entries of an Rreaddir. */
    public static List<DirectoryEntry> decodeEntries(byte[] data) throws ProtocolException {
        WireReader r = new WireReader(ByteBuffer.wrap(data));
        List<DirectoryEntry> entries = new ArrayList<>();
        while (r.remaining() > 0) {
            entries.add(new DirectoryEntry(r.qid(), r.u64(), r.u8(), r.string()));
        }
        return entries;
    }

    // ---------------------------------------------------------------- framing

    private static WireWriter header(int payload) {
        WireWriter w = new WireWriter(64 + payload);
        w.u32(0);
        return w;
    }

    private static byte[] finish(WireWriter w) {
        w.patch(0, w.length(), 4);
        return w.toByteArray();
    }

    private static int numericUser(WireReader r) throws ProtocolException {
        return r.remaining() >= 4 ? r.u32() : Tmessage.NOFID;
    }

    private boolean allowedInDialect(int type) {
        boolean linuxOnly = type < TVERSION;
        boolean plan9Only = type == TOPEN || type == TCREATE || type == TSTAT || type == TWSTAT;
        return switch (dialect) {
            case P9P2000_L -> !plan9Only;
            case P9P2000, P9P2000_U -> !linuxOnly;
        };
    }
}
