package io.k9p.fs;

import io.k9p.protocol.Tmessage.Lopen;

/** How a file is opened, reduced from the dialects' open modes to what a file needs to know. */
public record OpenFlags(boolean read, boolean write, boolean truncate, boolean append) {
    public static final OpenFlags READ = new OpenFlags(true, false, false, false);
    public static final OpenFlags WRITE = new OpenFlags(false, true, false, false);

    /** Linux's open(2) flags, which 9P2000.L and FUSE both carry as they are. */
    public static OpenFlags ofLinux(int flags) {
        int access = flags & Lopen.O_ACCMODE;
        return new OpenFlags(access != Lopen.O_WRONLY, access == Lopen.O_WRONLY || access == Lopen.O_RDWR,
                (flags & Lopen.O_TRUNC) != 0, (flags & Lopen.O_APPEND) != 0);
    }

    /** Whether the open may change the file: it writes, or truncates. */
    public boolean changes() {
        return write || truncate;
    }

    /** These flags as Linux's open(2) flags, for a 9P2000.L client's Tlopen. */
    public int linux() {
        int access = !write ? Lopen.O_RDONLY : read ? Lopen.O_RDWR : Lopen.O_WRONLY;
        return access | (truncate ? Lopen.O_TRUNC : 0) | (append ? Lopen.O_APPEND : 0);
    }
}
