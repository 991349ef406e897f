package io.k9p.fs;

/** A file: everything about its content happens through an {@link OpenFile}. */
public non-sealed interface File extends Node {

    /**
     * Opens the file. A file that presents a snapshot takes it here, so that every read of this open
     * sees the same bytes and the size stat reported.
     */
    OpenFile open(OpenFlags flags) throws FsException;
}
