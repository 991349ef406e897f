package io.k9p.server;

import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.DirectoryEntry;
import io.k9p.protocol.Errno;
import io.k9p.protocol.MessageCodec;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The children of a directory as they were when it was opened, served in whole entries: as 9P2000
 * stat records at byte offsets, or as 9P2000.L dirents at cookie offsets.
 */
final class DirectoryListing {
    /** Produces one encoded stat record for a child. */
    interface StatEncoder {
        byte[] encode(Node child) throws FsException;
    }

    private final NodePath directory;
    private final List<Node> children;
    /** 9P2000 stat records encoded so far, and the byte offset each starts at. */
    private final List<byte[]> stats = new ArrayList<>();
    private final List<Long> statOffsets = new ArrayList<>();
    private long encodedBytes;

    DirectoryListing(NodePath directory, List<Node> children) {
        this.directory = directory;
        this.children = List.copyOf(children);
    }

    /**
     * 9P2000 directory read: whole stat records, as many as fit in {@code count}. The offset must
     * be one where an entry starts, which every offset that a previous read ended at is. Records
     * are encoded once, so offsets stay valid even when a child's size changes meanwhile.
     */
    synchronized byte[] readStats(long offset, int count, StatEncoder encoder) throws FsException {
        int index = statIndexAt(offset, encoder);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (; index < children.size(); index++) {
            byte[] stat = stat(index, encoder);
            if (out.size() + stat.length > count) {
                break;
            }
            out.writeBytes(stat);
        }
        // A count too small for the next entry gets an empty reply, not an error: Linux keeps
        // reading until its buffer is full, and its last read is often smaller than an entry.
        return out.toByteArray();
    }

    /**
     * 9P2000.L readdir: "." and ".." first, then the children; an entry's cookie is the index of
     * the entry after it.
     */
    byte[] readEntries(long cookie, int count) throws FsException {
        if (cookie < 0 || cookie > children.size() + 2L) {
            throw new FsException(Errno.EINVAL, "bad readdir offset " + cookie);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int index = (int) cookie; index < children.size() + 2; index++) {
            byte[] entry = MessageCodec.encodeEntry(entry(index));
            if (out.size() + entry.length > count) {
                if (out.size() == 0) {
                    throw new FsException(Errno.EINVAL, "readdir count too small for an entry");
                }
                break;
            }
            out.writeBytes(entry);
        }
        return out.toByteArray();
    }

    private DirectoryEntry entry(int index) {
        return switch (index) {
            case 0 -> dirent(directory.node(), ".", 1);
            case 1 -> dirent(directory.up().node(), "..", 2);
            default -> {
                Node child = children.get(index - 2);
                yield dirent(child, child.name(), index + 1);
            }
        };
    }

    private static DirectoryEntry dirent(Node node, String name, long next) {
        return new DirectoryEntry(Stats.listingQid(node), next, Stats.direntType(node), name);
    }

    private int statIndexAt(long offset, StatEncoder encoder) throws FsException {
        while (encodedBytes < offset && stats.size() < children.size()) {
            stat(stats.size(), encoder);
        }
        if (offset == encodedBytes) {
            return stats.size();
        }
        int index = Collections.binarySearch(statOffsets, offset);
        if (index < 0) {
            throw new FsException(Errno.EINVAL, "directory offset " + offset + " is not an entry's start");
        }
        return index;
    }

    private byte[] stat(int index, StatEncoder encoder) throws FsException {
        while (stats.size() <= index) {
            byte[] stat = encoder.encode(children.get(stats.size()));
            statOffsets.add(encodedBytes);
            stats.add(stat);
            encodedBytes += stat.length;
        }
        return stats.get(index);
    }
}
