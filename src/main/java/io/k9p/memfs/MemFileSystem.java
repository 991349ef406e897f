package io.k9p.memfs;

import io.k9p.auth.Identity;
import io.k9p.fs.Directory;
import io.k9p.fs.FileSystem;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory read/write tree, shared by every attach: what a user mounts to check a client's
 * setup before pointing it at a cluster, and what the kernel tests exercise the server with.
 */
public final class MemFileSystem implements FileSystem {
    private final AtomicLong ids = new AtomicLong();
    /** Structural changes (create, remove, rename) take this lock, so a rename sees a still tree. */
    final Object treeLock = new Object();
    private final MemDirectory root = new MemDirectory(this, "/", 0755);

    @Override
    public Directory attach(Identity identity, String aname) {
        return root;
    }

    public MemDirectory root() {
        return root;
    }

    long nextId() {
        return ids.incrementAndGet();
    }
}
