package io.k9p.fs;

import io.k9p.protocol.Errno;
import java.util.List;

/**
 * A directory whose children may be computed on demand. The mutating operations are hooks: a
 * directory that does not support one leaves the default, which refuses with EACCES, the error
 * a read-only directory gives.
 */
public non-sealed interface Directory extends Node {

    /** The child of that name, or ENOENT. Names are never "." or "..": the server resolves those. */
    Node lookup(String name) throws FsException;

    /** A snapshot of the children, taken when a client opens the directory for reading. */
    List<Node> list() throws FsException;

    default File createFile(String name, int permissions) throws FsException {
        throw refused("create " + name);
    }

    default Directory createDirectory(String name, int permissions) throws FsException {
        throw refused("mkdir " + name);
    }

    /** Removes a child; a directory must be empty (ENOTEMPTY) unless removing it means more. */
    default void remove(String name) throws FsException {
        throw refused("remove " + name);
    }

    /**
     * Moves child {@code name} to {@code target} as {@code newName}, replacing what is there. This
     * is where a file renamed onto another (sed -i, editors' save) is committed.
     */
    default void rename(String name, Directory target, String newName) throws FsException {
        throw refused("rename " + name);
    }

    private FsException refused(String operation) {
        return new FsException(Errno.EACCES, operation + ": not allowed in " + name());
    }
}
