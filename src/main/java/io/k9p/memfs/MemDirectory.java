package io.k9p.memfs;

import io.k9p.fs.Attributes;
import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.Errno;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/** A directory whose children live in memory, listed in name order. */
public final class MemDirectory extends MemNode implements Directory {
    private final ConcurrentSkipListMap<String, Node> children = new ConcurrentSkipListMap<>();

    MemDirectory(MemFileSystem fileSystem, String name, int permissions) {
        super(fileSystem, name, permissions);
    }

    @Override
    public Attributes attributes() {
        return new Attributes(permissions(), 0, modified(), version());
    }

    @Override
    public Node lookup(String name) throws FsException {
        Node child = children.get(name);
        if (child == null) {
            throw new FsException(Errno.ENOENT, name + ": no such file");
        }
        return child;
    }

    @Override
    public List<Node> list() {
        return List.copyOf(children.values());
    }

    @Override
    public File createFile(String name, int permissions) throws FsException {
        return add(new MemFile(fileSystem, name, permissions));
    }

    @Override
    public Directory createDirectory(String name, int permissions) throws FsException {
        return add(new MemDirectory(fileSystem, name, permissions));
    }

    /**
     * Adds a node built elsewhere, such as a file with behaviour of its own; its id must come from
     * a source that never repeats one of this tree's.
     */
    public <N extends Node> N add(N node) throws FsException {
        checkName(node.name());
        synchronized (fileSystem.treeLock) {
            if (children.putIfAbsent(node.name(), node) != null) {
                throw new FsException(Errno.EEXIST, node.name() + " exists");
            }
            changed();
        }
        return node;
    }

    @Override
    public void remove(String name) throws FsException {
        synchronized (fileSystem.treeLock) {
            Node child = lookup(name);
            if (child instanceof MemDirectory directory && !directory.children.isEmpty()) {
                throw new FsException(Errno.ENOTEMPTY, name + " is not empty");
            }
            children.remove(name);
            changed();
        }
    }

    /** POSIX rename(2): replaces an existing target of the same kind, an empty one for directories. */
    @Override
    public void rename(String name, Directory target, String newName) throws FsException {
        checkName(newName);
        if (!(target instanceof MemDirectory destination) || destination.fileSystem != fileSystem) {
            throw new FsException(Errno.EXDEV, "rename across filesystems");
        }
        synchronized (fileSystem.treeLock) {
            Node moving = lookup(name);
            if (destination == this && name.equals(newName)) {
                return;
            }
            if (moving instanceof MemDirectory directory && destination.isWithin(directory)) {
                throw new FsException(Errno.EINVAL, "cannot move a directory into itself");
            }
            Node replaced = destination.children.get(newName);
            if (replaced != null) {
                checkReplaceable(moving, replaced, newName);
            }
            children.remove(name);
            ((MemNode) moving).rename(newName);
            destination.children.put(newName, moving);
            changed();
            destination.changed();
        }
    }

    private static void checkReplaceable(Node moving, Node replaced, String newName) throws FsException {
        if (replaced instanceof MemDirectory directory) {
            if (!(moving instanceof MemDirectory)) {
                throw new FsException(Errno.EISDIR, newName + " is a directory");
            }
            if (!directory.children.isEmpty()) {
                throw new FsException(Errno.ENOTEMPTY, newName + " is not empty");
            }
        } else if (moving instanceof MemDirectory) {
            throw new FsException(Errno.ENOTDIR, newName + " is not a directory");
        }
    }

    private boolean isWithin(MemDirectory ancestor) {
        if (this == ancestor) {
            return true;
        }
        for (Node child : ancestor.children.values()) {
            if (child instanceof MemDirectory directory && isWithin(directory)) {
                return true;
            }
        }
        return false;
    }
}
