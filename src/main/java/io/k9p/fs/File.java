package io.k9p.fs;

/** A file: everything about its content happens through an {@link OpenFile}. */
public non-sealed interface File extends Node {

    /**
     * Opens the file. A file that presents a snapshot takes it here, so that every read of this open
     * sees the same bytes and the size stat reported.
     */
    OpenFile open(OpenFlags flags) throws FsException;

    /** truncate(2) of a file no one has open: through a short open of its own. */
    default void truncate(long size) throws FsException {
        OpenFile open = open(OpenFlags.WRITE);
        try {
            open.truncate(size);
        } finally {
            open.close();
        }
    }
}
