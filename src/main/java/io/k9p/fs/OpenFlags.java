package io.k9p.fs;

/** How a file is opened, reduced from the dialects' open modes to what a file needs to know. */
public record OpenFlags(boolean read, boolean write, boolean truncate, boolean append) {
    public static final OpenFlags READ = new OpenFlags(true, false, false, false);
    public static final OpenFlags WRITE = new OpenFlags(false, true, false, false);

    private static final int O_ACCMODE = 03;
    private static final int O_WRONLY = 01;
    private static final int O_RDWR = 02;
    private static final int O_TRUNC = 01000;
    private static final int O_APPEND = 02000;

    /** Linux's open(2) flags, which 9P2000.L and FUSE both carry as they are. */
    public static OpenFlags ofLinux(int flags) {
        int access = flags & O_ACCMODE;
        return new OpenFlags(access != O_WRONLY, access == O_WRONLY || access == O_RDWR,
                (flags & O_TRUNC) != 0, (flags & O_APPEND) != 0);
    }
}
