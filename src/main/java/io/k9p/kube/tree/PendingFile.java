package io.k9p.kube.tree;

import io.k9p.fs.Attributes;
import io.k9p.fs.CommitPoints;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import java.time.Instant;

/**
 * A scratch file as the directory it was made in shows it: a file in memory until it is closed
 * after its content was set, at the points a document commits ({@link CommitPoints}), when its
 * directory settles it: a new key in {@code data/}, a new object in a type directory. A file that
 * is created and removed unwritten (an editor's probe) never reaches the API server. Its mode and
 * times are the scratch file's own, as sed -i and perl -i give their temporary file the original's.
 */
final class PendingFile implements File {
    /** What the directory makes of the file once it was closed changed. */
    @FunctionalInterface
    interface Settle {
        void settle(PendingFile file) throws FsException;
    }

    private final File file;
    private final Settle settle;

    PendingFile(File file, Settle settle) {
        this.file = file;
        this.settle = settle;
    }

    @Override
    public long id() {
        return file.id();
    }

    @Override
    public String name() {
        return file.name();
    }

    @Override
    public Attributes attributes() throws FsException {
        return file.attributes();
    }

    @Override
    public void setPermissions(int permissions) throws FsException {
        file.setPermissions(permissions);
    }

    @Override
    public void setModified(Instant modified) throws FsException {
        file.setModified(modified);
    }

    @Override
    public OpenFile open(OpenFlags flags) throws FsException {
        OpenFile open = file.open(flags);
        return flags.changes() ? CommitPoints.document(open, flags, () -> settle.settle(this)) : open;
    }
}
