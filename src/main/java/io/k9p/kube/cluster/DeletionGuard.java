package io.k9p.kube.cluster;

import io.k9p.fs.FsException;
import io.k9p.fs.Waiting;
import io.k9p.protocol.Errno;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The stop on bursts of deletions through the tree, one per identity and context: a recursive rm
 * reaching far more than its user meant deletes {@link Limit#burst} objects or keys at most, then
 * every further deletion is refused with EPERM until the user writes {@code allow-deletions} to the
 * root's {@code ctl}. An rmdir or unlink that deletes counts; a {@code ctl} delete does not, as it
 * names its object on purpose.
 */
public final class DeletionGuard {
    private static final System.Logger LOG = System.getLogger(DeletionGuard.class.getName());
    /** How long {@code allow-deletions N} lets its N deletions pass: a planned batch, not a standing leave. */
    private static final Duration ALLOWANCE_LIFETIME = Duration.ofMinutes(10);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** Deletions stop at the first one beyond {@code burst} within {@code window}. */
    public record Limit(int burst, Duration window) {
        public static final int DEFAULT_BURST = 20;
        public static final int DEFAULT_WINDOW_SECONDS = 10;
        public static final Limit DEFAULT = new Limit(DEFAULT_BURST, Duration.ofSeconds(DEFAULT_WINDOW_SECONDS));

        public Limit {
            if (burst < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a burst of at least 0 deletions within a positive window");
            }
        }
    }

    private final Access access;
    private final Limit limit;
    /** When the deletions counted in the current window happened, oldest first. */
    private final Deque<Instant> recent = new ArrayDeque<>();
    /** The last deletion in each namespace, kept for one window. */
    private final Map<String, Instant> lastIn = new HashMap<>();
    private Instant stoppedAt;
    /** How many deletions the window held when they stopped. */
    private int stoppedAfter;
    private int allowance;
    private Instant allowanceEnds = Instant.MIN;

    DeletionGuard(Access access, Limit limit) {
        this.access = access;
        this.limit = limit;
    }

    /**
     * Counts one deletion of {@code what} in {@code namespace}, or refuses it with EPERM and the
     * reason at {@code where}. Called before anything is deleted, and before the caller may wait.
     */
    public void admit(String where, String namespace, String what) throws FsException {
        Waiting.mayWait();
        synchronized (this) {
            Instant now = Instant.now();
            forgetBefore(now.minus(limit.window()));
            if (stoppedAt == null && !allowed(now) && recent.size() >= limit.burst()) {
                stoppedAt = now;
                stoppedAfter = recent.size();
                LOG.log(Level.WARNING, "{0}: {1}", access.describe(), stopped());
            }
            if (stoppedAt != null) {
                throw access.refuse(where, new FsException(Errno.EPERM, what + " not deleted: " + stopped()));
            }
            if (allowed(now)) {
                allowance--;
            } else {
                recent.addLast(now);
            }
            lastIn.put(namespace, now);
        }
    }

    /**
     * Counts the deletion of a namespace as {@link #admit} does, and refuses it with EPERM when
     * deletions through the tree emptied it just now: a recursive rm that removes a namespace's
     * objects one by one would otherwise delete the namespace too, and a namespace goes with its
     * contents only on purpose, through its {@code ctl}.
     */
    public void admitNamespace(String where, String namespace) throws FsException {
        Waiting.mayWait();
        synchronized (this) {
            Instant last = lastIn.get(namespace);
            if (last != null && last.isAfter(Instant.now().minus(limit.window()))) {
                throw access.refuse(where, new FsException(Errno.EPERM, "namespace " + namespace
                        + " not deleted: objects in it were deleted through the tree at " + CLOCK.format(last)
                        + ", and a namespace emptied by rm -r is not deleted with them. Delete it on purpose with: "
                        + "echo 'delete " + namespace + "' > cluster/namespaces/" + namespace + "/ctl"));
            }
        }
        admit(where, namespace, "namespace " + namespace);
    }

    /**
     * {@code allow-deletions [N]}: deletions resume, counted afresh; the next {@code extra} pass
     * uncounted within {@link #ALLOWANCE_LIFETIME}.
     */
    public synchronized void resume(int extra) {
        if (stoppedAt != null) {
            LOG.log(Level.INFO, "{0}: deletions through the tree resumed{1}", access.describe(),
                    extra > 0 ? " with " + extra + " allowed at once" : "");
        }
        stoppedAt = null;
        recent.clear();
        allowance = extra;
        allowanceEnds = Instant.now().plus(ALLOWANCE_LIFETIME);
    }

    private boolean allowed(Instant now) {
        return allowance > 0 && now.isBefore(allowanceEnds);
    }

    private void forgetBefore(Instant horizon) {
        while (!recent.isEmpty() && recent.peekFirst().isBefore(horizon)) {
            recent.removeFirst();
        }
        lastIn.values().removeIf(time -> time.isBefore(horizon));
    }

    private String stopped() {
        return "deletions through the tree stopped at " + CLOCK.format(stoppedAt) + " after " + stoppedAfter
                + " within " + limit.window().toSeconds() + " s, the most one burst may delete. Resume with:"
                + " echo allow-deletions > MOUNTPOINT/ctl (or 'allow-deletions N' to let a planned batch of N through)";
    }
}
