package io.k9p.fuse;

import io.k9p.fs.Directory;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * The nodes the kernel holds, by FUSE inode number, with the kernel's lookup count of each: every
 * reply that hands out an entry adds one, and FORGET takes them back; at zero the node is dropped.
 * A node keeps its number for the life of the mount, even after it was forgotten, so tools that
 * compare inode numbers over time (find, cp, tar) see one file as one file.
 */
final class Inodes {
    static final long ROOT = 1;

    private static final class Live {
        Node node;
        /** The directory it was last found in, for the ".." of its listing. */
        long parent;
        long lookups;

        Live(Node node, long parent) {
            this.node = node;
            this.parent = parent;
        }
    }

    private final Map<Long, Long> numbers = new HashMap<>();
    private final Map<Long, Live> live = new HashMap<>();
    private long next = ROOT + 1;

    Inodes(Directory root) {
        numbers.put(root.id(), ROOT);
        Live entry = new Live(root, ROOT);
        entry.lookups = 1;
        live.put(ROOT, entry);
    }

    /** The number of a node, without counting a lookup: for entries the kernel will not keep. */
    synchronized long number(Node node) {
        return numbers.computeIfAbsent(node.id(), id -> next++);
    }

    /** Counts one lookup of a node found in {@code parent}, keeps its latest instance, returns its number. */
    synchronized long remember(long parent, Node node) {
        long ino = number(node);
        Live entry = live.computeIfAbsent(ino, n -> new Live(node, parent));
        entry.node = node;
        entry.parent = parent;
        entry.lookups++;
        return ino;
    }

    synchronized void forget(long ino, long lookups) {
        Live entry = live.get(ino);
        if (entry != null && ino != ROOT && (entry.lookups -= lookups) <= 0) {
            live.remove(ino);
        }
    }

    synchronized Node node(long ino) throws FsException {
        Live entry = live.get(ino);
        if (entry == null) {
            throw new FsException(Errno.ESTALE, "inode " + ino + " was forgotten");
        }
        return entry.node;
    }

    synchronized long parent(long ino) {
        Live entry = live.get(ino);
        return entry == null ? ino : entry.parent;
    }
}
