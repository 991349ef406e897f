package io.k9p.fs;

import io.k9p.protocol.Errno;
import java.time.Instant;

/** A file or a directory of a synthetic tree. */
public sealed interface Node permits Directory, File {

    /** Identifies this object for the whole life of the server, and is never given to another. */
    long id();

    String name();

    Attributes attributes() throws FsException;

    /**
     * chmod. Most synthetic files have fixed permissions; a chmod to the ones they have changes
     * nothing and succeeds, as editors that save by renaming a new file into place restore the
     * old file's mode on it (kakoune).
     */
    default void setPermissions(int permissions) throws FsException {
        if (permissions != attributes().permissions()) {
            throw new FsException(Errno.EPERM, name() + ": permissions are fixed");
        }
    }

    /** utimensat, as touch and cp -p do it; ignored where times are derived from the content. */
    default void setModified(Instant modified) throws FsException {
    }
}
