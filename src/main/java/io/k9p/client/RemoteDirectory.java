package io.k9p.client;

import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.DirectoryEntry;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Qid;
import io.k9p.protocol.Tmessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/** A directory on the server. */
final class RemoteDirectory extends RemoteNode implements Directory {
    /**
     * How many children list() asks for attributes at once: enough that an ls -l of thousands of
     * entries costs a few round trips per hundred, few enough to hold that many fids at a time.
     */
    static final int PREFETCH_WINDOW = 32;

    RemoteDirectory(RemoteTree tree, List<String> path, Qid qid, FetchedAttributes fetched) {
        super(tree, path, qid, fetched);
    }

    /** One Twalk from the root to the child, then its Tgetattr. */
    @Override
    public Node lookup(String name) throws FsException {
        List<String> childPath = child(name);
        return run(() -> {
            long changes = tree.changes();
            Fid fid;
            try {
                fid = client.walk(tree.root, childPath);
            } catch (IncompleteWalkException e) {
                // Only a walk that reached this directory and stopped at the name says the name is missing.
                boolean reachedHere = e.walked().size() == path.size()
                        && (path.isEmpty() || e.walked().getLast().path() == id());
                throw reachedHere ? e : RemoteTree.stale(e);
            }
            try {
                return RemoteNode.of(tree, childPath, fid.qid(), FetchedAttributes.of(client.getattr(fid), changes));
            } finally {
                client.release(fid);
            }
        });
    }

    /**
     * Treaddir through an opened clone, then every child's attributes: a walk from this directory
     * and a Tgetattr each, {@value #PREFETCH_WINDOW} children at a time. A child whose attributes
     * could not be had (it went meanwhile) is listed as the server listed it, without them; its
     * attributes() then says what is wrong.
     */
    @Override
    public List<Node> list() throws FsException {
        return run(() -> onFid(directory -> {
            long changes = tree.changes();
            return withAttributes(directory, entries(directory), changes);
        }));
    }

    private List<DirectoryEntry> entries(Fid directory) throws FsException, InterruptedException {
        Fid listing = client.walk(directory, List.of());
        try {
            client.lopen(listing, Tmessage.Lopen.O_RDONLY);
            List<DirectoryEntry> entries = new ArrayList<>();
            long offset = 0;
            while (true) {
                List<DirectoryEntry> batch = client.readdir(listing, offset);
                if (batch.isEmpty()) {
                    return entries;
                }
                for (DirectoryEntry entry : batch) {
                    if (!entry.name().equals(".") && !entry.name().equals("..")) {
                        entries.add(entry);
                    }
                }
                offset = batch.getLast().offset();
            }
        } finally {
            client.release(listing);
        }
    }

    private List<Node> withAttributes(Fid directory, List<DirectoryEntry> entries, long changes)
            throws FsException, InterruptedException {
        ExecutorService children = Executors.newVirtualThreadPerTaskExecutor();
        try (children) {
            Semaphore window = new Semaphore(PREFETCH_WINDOW);
            List<Future<Node>> nodes = new ArrayList<>(entries.size());
            for (DirectoryEntry entry : entries) {
                window.acquire();
                nodes.add(children.submit(() -> {
                    try {
                        return withAttributes(directory, entry, changes);
                    } finally {
                        window.release();
                    }
                }));
            }
            List<Node> listed = new ArrayList<>(entries.size());
            for (Future<Node> node : nodes) {
                listed.add(node.get());
            }
            return listed;
        } catch (InterruptedException e) {
            // Each child's call flushes its request when interrupted.
            children.shutdownNow();
            throw e;
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case InterruptedException interrupted -> throw interrupted;
                case FsException failed -> throw failed;
                case RuntimeException bug -> throw bug;
                case Throwable other -> throw new FsException(Errno.EIO, "listing failed", other);
            }
        }
    }

    private Node withAttributes(Fid directory, DirectoryEntry entry, long changes)
            throws FsException, InterruptedException {
        List<String> childPath = child(entry.name());
        try {
            Fid fid = client.walk(directory, List.of(entry.name()));
            try {
                return RemoteNode.of(tree, childPath, fid.qid(), FetchedAttributes.of(client.getattr(fid), changes));
            } finally {
                client.release(fid);
            }
        } catch (FsException e) {
            if (client.closed().isDone()) {
                throw e;
            }
            return RemoteNode.of(tree, childPath, entry.qid(), null);
        }
    }

    /**
     * Tlcreate, then the new file's Tgetattr and the clunk. The file is opened read-only by the
     * create, so that the clunk commits nothing: a server that commits at the last clunk (k9p) would
     * otherwise take the empty new file for what was meant to be written.
     */
    @Override
    public File createFile(String name, int permissions) throws FsException {
        List<String> childPath = child(name);
        return run(() -> onOwnFid(fid -> {
            Fid created = client.lcreate(fid, name, Tmessage.Lopen.O_RDONLY, permissions, tree.gid);
            tree.changed();
            long changes = tree.changes();
            return new RemoteFile(tree, childPath, created.qid(), FetchedAttributes.of(client.getattr(created), changes));
        }));
    }

    @Override
    public Directory createDirectory(String name, int permissions) throws FsException {
        Qid created = change(() -> onFid(fid -> client.mkdir(fid, name, permissions, tree.gid)));
        return new RemoteDirectory(tree, child(name), created, null);
    }

    /**
     * Tunlinkat of a file, and of a directory when the server answers EISDIR: one round trip for
     * the files that most removals are, where asking first would cost two each time. A server
     * without Tunlinkat (diod) gets a walk to the name and Tremove, as Linux sends it.
     */
    @Override
    public void remove(String name) throws FsException {
        change(() -> onFid(fid -> {
            try {
                unlinkat(fid, name);
            } catch (FsException e) {
                if (e.errno() != Errno.EOPNOTSUPP) {
                    throw e;
                }
                client.remove(client.walk(fid, List.of(name)));
            }
            return null;
        }));
    }

    private void unlinkat(Fid directory, String name) throws FsException, InterruptedException {
        try {
            client.unlinkat(directory, name, 0);
        } catch (FsException e) {
            if (e.errno() != Errno.EISDIR) {
                throw e;
            }
            client.unlinkat(directory, name, Tmessage.Unlinkat.REMOVEDIR);
        }
    }

    /**
     * Trenameat, or for a server without it (diod), a walk to the file and Trename, as Linux does;
     * the target must be a directory of the same connection.
     */
    @Override
    public void rename(String name, Directory target, String newName) throws FsException {
        if (!(target instanceof RemoteDirectory to) || to.client != client) {
            throw new FsException(Errno.EXDEV, where() + ": " + name + " can move only within " + client.server());
        }
        change(() -> onFid(from -> {
            if (to.tree == tree && to.path.equals(path)) {
                return rename(from, name, from, newName);
            }
            return to.onFid(into -> rename(from, name, into, newName));
        }));
    }

    private Void rename(Fid from, String name, Fid into, String newName) throws FsException, InterruptedException {
        try {
            client.renameat(from, name, into, newName);
        } catch (FsException e) {
            if (e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            Fid moving = client.walk(from, List.of(name));
            try {
                client.rename(moving, into, newName);
            } finally {
                client.release(moving);
            }
        }
        return null;
    }
}
