package io.k9p.client;

import io.k9p.fs.Attributes;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Qid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What remote files and directories share: a node is the path from its tree's root and the qid
 * found there. It holds no fid; each operation walks to one of its own.
 */
abstract sealed class RemoteNode permits RemoteDirectory, RemoteFile {
    /** Work on the server, in terms of the client's calls. */
    @FunctionalInterface
    interface Operation<T> {
        T run() throws FsException, InterruptedException;
    }

    /** Work on a fid for this node. */
    @FunctionalInterface
    interface FidOperation<T> {
        T apply(Fid fid) throws FsException, InterruptedException;
    }

    final RemoteTree tree;
    final NinePClient client;
    final List<String> path;
    final Qid qid;
    private volatile FetchedAttributes fetched;

    RemoteNode(RemoteTree tree, List<String> path, Qid qid, FetchedAttributes fetched) {
        this.tree = tree;
        this.client = tree.client;
        this.path = List.copyOf(path);
        this.qid = qid;
        this.fetched = fetched;
    }

    /** A directory or a file, as the qid says. */
    static Node of(RemoteTree tree, List<String> path, Qid qid, FetchedAttributes fetched) {
        return qid.isDirectory()
                ? new RemoteDirectory(tree, path, qid, fetched)
                : new RemoteFile(tree, path, qid, fetched);
    }

    /** The qid's path: the server's identity of the object, stable for as long as it exists. */
    public long id() {
        return qid.path();
    }

    public String name() {
        return path.isEmpty() ? "/" : path.getLast();
    }

    /** Tgetattr, unless attributes fetched with this node are still fresh. */
    public Attributes attributes() throws FsException {
        Attributes known = freshAttributes();
        if (known != null) {
            return known;
        }
        return run(() -> {
            long changes = tree.changes();
            FetchedAttributes now = onFid(fid -> FetchedAttributes.of(client.getattr(fid), changes));
            fetched = now;
            return now.attributes();
        });
    }

    /** The attributes fetched with this node or since, while they are fresh; else null. */
    Attributes freshAttributes() {
        FetchedAttributes known = fetched;
        return known != null && known.fresh(tree) ? known.attributes() : null;
    }

    /** Tsetattr of the mode's permission bits. */
    public void setPermissions(int permissions) throws FsException {
        change(() -> onFid(fid -> {
            client.chmod(fid, permissions);
            return null;
        }));
    }

    /** Tsetattr of the modification time. */
    public void setModified(Instant modified) throws FsException {
        change(() -> onFid(fid -> {
            client.setModified(fid, modified);
            return null;
        }));
    }

    /** Runs the operation on a fid for this node: the root's own, or one walked to and released after. */
    <T> T onFid(FidOperation<T> operation) throws FsException, InterruptedException {
        if (path.isEmpty()) {
            return operation.apply(tree.root);
        }
        return onOwnFid(operation);
    }

    /** Runs the operation on a fid walked to for it alone, which it may open or move; released after. */
    <T> T onOwnFid(FidOperation<T> operation) throws FsException, InterruptedException {
        Fid fid = tree.walkTo(path, id());
        try {
            return operation.apply(fid);
        } finally {
            client.release(fid);
        }
    }

    /** Runs work on the server, its failures named after this node, an interrupt as EINTR. */
    <T> T run(Operation<T> operation) throws FsException {
        try {
            return operation.run();
        } catch (FsException e) {
            throw failed(e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Runs work that changes the tree: cached attributes from before it no longer serve. */
    <T> T change(Operation<T> operation) throws FsException {
        try {
            return run(operation);
        } finally {
            tree.changed();
        }
    }

    FsException failed(FsException e) {
        return new FsException(e.errno(), where() + ": " + e.getMessage(), e);
    }

    /** The interrupt stays set for the caller to see; the filesystem interface can only say EINTR. */
    FsException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new FsException(Errno.EINTR, where() + ": interrupted", e);
    }

    List<String> child(String name) {
        List<String> child = new ArrayList<>(path.size() + 1);
        child.addAll(path);
        child.add(name);
        return child;
    }

    String where() {
        return client.server() + ":/" + String.join("/", path);
    }

    @Override
    public String toString() {
        return where();
    }
}
