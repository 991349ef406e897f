package io.k9p.memfs;

import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import java.time.Instant;

/** What memfs files and directories share: identity, name, permissions and change tracking. */
abstract sealed class MemNode permits MemDirectory, MemFile {
    private static final int MAX_NAME_BYTES = 255;

    final MemFileSystem fileSystem;
    private final long id;
    private volatile String name;
    private volatile int permissions;
    private volatile Instant modified = Instant.now();
    private volatile long version;

    MemNode(MemFileSystem fileSystem, String name, int permissions) {
        this.fileSystem = fileSystem;
        this.id = fileSystem.nextId();
        this.name = name;
        this.permissions = permissions;
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    void rename(String newName) {
        this.name = newName;
    }

    public void setPermissions(int permissions) {
        this.permissions = permissions;
        changed();
    }

    public void setModified(Instant modified) {
        this.modified = modified;
    }

    int permissions() {
        return permissions;
    }

    Instant modified() {
        return modified;
    }

    long version() {
        return version;
    }

    /** Records a change of content: new mtime and qid version. */
    void changed() {
        modified = Instant.now();
        version++;
    }

    static void checkName(String name) throws FsException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new FsException(Errno.EINVAL, "invalid name: " + name);
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new FsException(Errno.ENAMETOOLONG, "name longer than 255 bytes");
        }
    }
}
