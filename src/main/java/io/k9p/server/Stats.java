package io.k9p.server;

import io.k9p.fs.Attributes;
import io.k9p.fs.Directory;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.DirectoryEntry;
import io.k9p.protocol.Qid;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Stat;
import java.time.Instant;

/** Translates a node's attributes into each dialect's way of describing a file. */
final class Stats {
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    private static final int BLOCK_SIZE = 4096;

    private Stats() {
    }

    static Qid qid(Node node) throws FsException {
        return qid(node, node.attributes());
    }

    /**
     * A qid without the version, for listings: asking every child for its attributes would cost a
     * content snapshot each, and Linux reads only path and type from directory entries.
     */
    static Qid listingQid(Node node) {
        return new Qid(node instanceof Directory ? Qid.QTDIR : Qid.QTFILE, 0, node.id());
    }

    static int direntType(Node node) {
        return node instanceof Directory ? DirectoryEntry.DT_DIR : DirectoryEntry.DT_REG;
    }

    static Stat plan9(Node node, String name, User user) throws FsException {
        Attributes attributes = node.attributes();
        boolean directory = node instanceof Directory;
        int seconds = (int) attributes.modified().getEpochSecond();
        return new Stat(0, 0, qid(node, attributes),
                (directory ? Stat.DMDIR : 0) | attributes.permissions(),
                seconds, seconds, directory ? 0 : attributes.size(),
                name, user.name(), user.name(), user.name(), "",
                user.ownerId(), user.ownerId(), user.ownerId());
    }

    static Rmessage.Getattr linux(Node node, User user) throws FsException {
        Attributes attributes = node.attributes();
        boolean directory = node instanceof Directory;
        long size = directory ? 0 : attributes.size();
        Instant modified = attributes.modified();
        long seconds = modified.getEpochSecond();
        long nanos = modified.getNano();
        return new Rmessage.Getattr(Rmessage.Getattr.BASIC, qid(node, attributes),
                (directory ? S_IFDIR : S_IFREG) | attributes.permissions(),
                user.ownerId(), user.ownerId(), directory ? 2 : 1, 0, size, BLOCK_SIZE,
                (size + 511) / 512, seconds, nanos, seconds, nanos, seconds, nanos, 0, 0, 0, 0);
    }

    private static Qid qid(Node node, Attributes attributes) {
        return new Qid(node instanceof Directory ? Qid.QTDIR : Qid.QTFILE,
                (int) attributes.version(), node.id());
    }
}
