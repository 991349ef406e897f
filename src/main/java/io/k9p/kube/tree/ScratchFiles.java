package io.k9p.kube.tree;

import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFlags;
import io.k9p.memfs.MemDirectory;
import io.k9p.protocol.Errno;
import java.io.ByteArrayOutputStream;
import java.util.List;

/** The scratch files of one place in the tree, and the moves between them. */
final class ScratchFiles {
    private final MemDirectory directory;

    ScratchFiles(KubeTree tree, String where) {
        this.directory = tree.scratch.of(where);
    }

    Node find(String name) {
        try {
            return directory.lookup(name);
        } catch (FsException e) {
            return null;
        }
    }

    List<Node> list() {
        return directory.list();
    }

    File create(String name, int permissions) throws FsException {
        return directory.createFile(name, permissions);
    }

    boolean remove(String name) throws FsException {
        if (find(name) == null) {
            return false;
        }
        directory.remove(name);
        return true;
    }

    /** Renames within these scratch files; false if {@code name} is not one of them. */
    boolean rename(String name, String newName) throws FsException {
        if (find(name) == null) {
            return false;
        }
        directory.rename(name, directory, newName);
        return true;
    }

    void put(String name, byte[] content) throws FsException {
        remove(name);
        directory.createFile(name, 0644).open(OpenFlags.WRITE).write(0, content);
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
