package io.k9p.kube.tree;

import io.k9p.fs.Waiting;
import io.k9p.fs.Attributes;
import io.k9p.fs.BlockingStream;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;

/**
 * A file with no end: each open starts a stream (a watch, a followed log) whose reads wait for
 * what happens next. Its size is 0, as for any file whose length is not known ahead.
 */
abstract class StreamFile extends KubeNode implements File {

    StreamFile(KubeTree tree, String name, String key) {
        super(tree, name, key);
    }

    /** Starts what feeds one open (an upstream watch or log stream, so never quickly); closed with the open. */
    abstract BlockingStream.Source start() throws FsException;

    @Override
    public Attributes attributes() {
        return new Attributes(0444, 0, tree.started, 0);
    }

    @Override
    public OpenFile open(OpenFlags flags) throws FsException {
        if (flags.write()) {
            throw new FsException(Errno.EACCES, name() + " is read-only");
        }
        Waiting.mayWait();
        return new BlockingStream(start());
    }
}
