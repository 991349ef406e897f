package io.k9p.server;

import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;

/**
 * A client's handle on a node. The path can change (walk onto itself, rename); the open state is
 * set once, by open or create.
 */
final class Fid {
    /** What an open fid reads from. */
    sealed interface Opened {}

    /** @param forWriting opened to write or truncate, so its clunk may commit */
    record OpenedFile(OpenFile file, boolean forWriting, boolean removeOnClose, StreamReads streamReads)
            implements Opened {
        OpenedFile(OpenFile file, boolean forWriting, boolean removeOnClose) {
            this(file, forWriting, removeOnClose, file.blocking() ? new StreamReads(file) : null);
        }

        byte[] read(long offset, int count) throws FsException, InterruptedException {
            return streamReads != null ? streamReads.read(offset, count) : file.read(offset, count);
        }
    }

    record OpenedDirectory(DirectoryListing listing) implements Opened {}

    final int number;
    /** The attaching user, for the owner fields of stat and getattr. */
    final User user;
    private volatile NodePath path;
    private volatile Opened opened;

    Fid(int number, NodePath path, User user) {
        this.number = number;
        this.path = path;
        this.user = user;
    }

    NodePath path() {
        return path;
    }

    void moveTo(NodePath path) {
        this.path = path;
    }

    Opened opened() {
        return opened;
    }

    void open(Opened opened) {
        this.opened = opened;
    }
}
