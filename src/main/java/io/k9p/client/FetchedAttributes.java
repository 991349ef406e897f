package io.k9p.client;

import io.k9p.fs.Attributes;
import io.k9p.protocol.Rmessage;
import java.time.Duration;
import java.time.Instant;

/**
 * Attributes as a Tgetattr returned them, and when: what a node found by lookup or listing carries,
 * so that the stat which follows (ls -l, FUSE's lookup reply) costs no round trip of its own.
 *
 * @param changes the tree's change count before the Tgetattr went out
 */
record FetchedAttributes(Attributes attributes, long fetchedAt, long changes) {
    /** How long fetched attributes stand for the remote object's, as a kernel's attribute cache would. */
    static final Duration FRESH = Duration.ofSeconds(1);
    private static final int PERMISSION_BITS = 07777;

    static FetchedAttributes of(Rmessage.Getattr reply, long changes) {
        Attributes attributes = new Attributes(reply.mode() & PERMISSION_BITS, Math.max(0, reply.size()),
                Instant.ofEpochSecond(reply.mtimeSec(), reply.mtimeNsec()),
                Integer.toUnsignedLong(reply.qid().version()));
        return new FetchedAttributes(attributes, System.nanoTime(), changes);
    }

    /** Whether these still serve: recent, and nothing changed through this tree since they were asked for. */
    boolean fresh(RemoteTree tree) {
        return changes == tree.changes() && System.nanoTime() - fetchedAt < FRESH.toNanos();
    }
}
