package io.k9p.protocol;

/**
 * One entry of a 9P2000.L Rreaddir: {@code offset} is the cookie that continues the listing after
 * this entry; {@code type} is the Linux dirent type (DT_DIR, DT_REG).
 */
public record DirectoryEntry(Qid qid, long offset, int type, String name) {
    public static final int DT_DIR = 4;
    public static final int DT_REG = 8;
}
