package io.k9p.fs;

/** How a file is opened, reduced from the dialects' open modes to what a file needs to know. */
public record OpenFlags(boolean read, boolean write, boolean truncate, boolean append) {
    public static final OpenFlags READ = new OpenFlags(true, false, false, false);
    public static final OpenFlags WRITE = new OpenFlags(false, true, false, false);
}
