package io.k9p.client;

import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** One attach: the root fid every node's walk starts from, and what the tree's nodes share. */
final class RemoteTree {
    final NinePClient client;
    final Fid root;
    /** The gid that files and directories are created with. */
    final int gid;
    /**
     * Counts changes made through this tree. Attributes fetched before the latest change are not
     * reused: a node looked up before a write would otherwise show the old size for a while.
     */
    private final AtomicLong changes = new AtomicLong();

    RemoteTree(NinePClient client, Fid root, int gid) {
        this.client = client;
        this.root = root;
        this.gid = gid;
    }

    /**
     * A fid of the caller's own for the object at {@code path}, which must still be the object
     * {@code id} names: a path that leads nowhere now, or to another object, is ESTALE.
     */
    Fid walkTo(List<String> path, long id) throws FsException, InterruptedException {
        Fid fid;
        try {
            fid = client.walk(root, path);
        } catch (IncompleteWalkException gone) {
            throw stale(gone);
        }
        if (fid.qid().path() != id) {
            client.release(fid);
            throw stale(null);
        }
        return fid;
    }

    static FsException stale(Throwable cause) {
        return new FsException(Errno.ESTALE, "no longer on the server as it was found (moved, removed or replaced)",
                cause);
    }

    long changes() {
        return changes.get();
    }

    void changed() {
        changes.incrementAndGet();
    }
}
