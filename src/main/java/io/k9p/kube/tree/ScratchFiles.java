package io.k9p.kube.tree;

import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFlags;
import io.k9p.memfs.MemDirectory;
import io.k9p.protocol.Errno;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The scratch files of one place in the tree, and the moves between them. The place's directory
 * is made by the first file created there: most places (every object listed) never hold one.
 */
final class ScratchFiles {
    private final Scratch scratch;
    private final String where;

    ScratchFiles(KubeTree tree, String where) {
        this.scratch = tree.scratch;
        this.where = where;
    }

    Node find(String name) {
        MemDirectory directory = scratch.existing(where);
        if (directory == null) {
            return null;
        }
        try {
            return directory.lookup(name);
        } catch (FsException e) {
            return null;
        }
    }

    List<Node> list() {
        MemDirectory directory = scratch.existing(where);
        return directory == null ? List.of() : directory.list();
    }

    File create(String name, int permissions) throws FsException {
        return scratch.of(where).createFile(name, permissions);
    }

    boolean remove(String name) throws FsException {
        if (find(name) == null) {
            return false;
        }
        scratch.of(where).remove(name);
        return true;
    }

    /** Renames within these scratch files; false if {@code name} is not one of them. */
    boolean rename(String name, String newName) throws FsException {
        if (find(name) == null) {
            return false;
        }
        MemDirectory directory = scratch.of(where);
        directory.rename(name, directory, newName);
        return true;
    }

    void put(String name, byte[] content) throws FsException {
        remove(name);
        create(name, 0644).open(OpenFlags.WRITE).write(0, content);
    }

    byte[] read(String name) throws FsException {
        Node node = find(name);
        if (!(node instanceof File file)) {
            throw new FsException(Errno.ENOENT, name + ": no such file");
        }
        var open = file.open(OpenFlags.READ);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (byte[] chunk; (chunk = open.read(out.size(), 1 << 16)).length > 0; ) {
                out.writeBytes(chunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EINTR, "interrupted");
        }
        return out.toByteArray();
    }
}
