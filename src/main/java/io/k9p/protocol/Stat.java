package io.k9p.protocol;

/**
 * The 9P2000 directory entry, as carried by Rstat, Twstat and directory reads. The last four
 * fields exist on the wire only in 9P2000.u.
 */
public record Stat(
        int type,
        int dev,
        Qid qid,
        int mode,
        int atime,
        int mtime,
        long length,
        String name,
        String uid,
        String gid,
        String muid,
        String extension,
        int nUid,
        int nGid,
        int nMuid) {

    public static final int DMDIR = 0x80000000;
    public static final int DMAPPEND = 0x40000000;
    public static final int DMEXCL = 0x20000000;
    public static final int DMTMP = 0x04000000;
    public static final int DMSYMLINK = 0x02000000;
    public static final int DMDEVICE = 0x00800000;
    public static final int DMNAMEDPIPE = 0x00200000;
    public static final int DMSOCKET = 0x00100000;

    /** Twstat's "don't touch" value for numeric fields. */
    public static final int KEEP_INT = ~0;
    public static final long KEEP_LONG = ~0L;

    /** Whether a Twstat stat asks to keep the file's length. */
    public boolean keepsLength() {
        return length == KEEP_LONG;
    }

    public boolean keepsMode() {
        return mode == KEEP_INT;
    }

    public boolean keepsMtime() {
        return mtime == KEEP_INT;
    }

    /** Twstat's empty name means "keep the name". */
    public boolean keepsName() {
        return name.isEmpty();
    }
}
