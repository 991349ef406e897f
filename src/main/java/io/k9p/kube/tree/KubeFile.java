package io.k9p.kube.tree;

import io.k9p.fs.Attributes;
import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import java.time.Instant;

/**
 * A file of the tree whose content is computed from the cluster. Read-only unless a subclass
 * overrides {@link #openForWriting}; the size in stat is exact, because it is the length of the same content
 * a read returns.
 */
abstract class KubeFile extends KubeNode implements File {
    KubeFile(KubeTree tree, String name, String key) {
        super(tree, name, key);
    }

    /** The content as of now. */
    abstract byte[] content() throws FsException;

    @Override
    public Attributes attributes() throws FsException {
        return new Attributes(permissions(), size(), modified(), version());
    }

    long size() throws FsException {
        return content().length;
    }

    int permissions() {
        return 0444;
    }

    Instant modified() {
        return tree.started;
    }

    long version() {
        return 0;
    }

    @Override
    public final OpenFile open(OpenFlags flags) throws FsException {
        return flags.write() ? openForWriting(flags) : openForReading(flags);
    }

    /** A snapshot of the content as of open. */
    OpenFile openForReading(OpenFlags flags) throws FsException {
        return BufferedOpenFile.document(content(), flags, content -> {
        });
    }

    /** An open that may write, which files that can be written give; the others refuse it. */
    OpenFile openForWriting(OpenFlags flags) throws FsException {
        throw new FsException(Errno.EACCES, name() + " is read-only");
    }
}
