package io.k9p.protocol;

/**
 * The server's unique identification of a file: {@code path} names the object for the server's
 * lifetime, {@code version} changes whenever its content does, {@code type} mirrors the file's mode.
 */
public record Qid(int type, int version, long path) {
    public static final int QTDIR = 0x80;
    public static final int QTAPPEND = 0x40;
    public static final int QTEXCL = 0x20;
    public static final int QTAUTH = 0x08;
    public static final int QTTMP = 0x04;
    public static final int QTSYMLINK = 0x02;
    public static final int QTFILE = 0x00;

    /** Encoded size on the wire: type[1] version[4] path[8]. */
    public static final int SIZE = 13;

    public boolean isDirectory() {
        return (type & QTDIR) != 0;
    }
}
