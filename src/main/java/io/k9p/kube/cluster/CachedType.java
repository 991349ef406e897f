package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One type's objects, as its informer keeps them: when they were last read, and since when and
 * why they are not current (the watch down, or the informer listing again after errors). The
 * informer restarts its watch by itself; one that stopped for good is replaced, at a use, no
 * sooner than its {@link #nextAttempt} allows.
 */
final class CachedType {
    private static final System.Logger LOG = System.getLogger(CachedType.class.getName());
    /** The first wait before an informer that stopped is replaced; it doubles up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    final ResourceType type;
    /** The collection path its informer lists and watches. */
    final String path;
    final SharedIndexInformer<GenericKubernetesResource> informer;
    /** The last failure fabric8 reported to the informer's exception handler. */
    private final AtomicReference<Throwable> lastFailure;
    private volatile long lastUse = System.nanoTime();
    /** Since when the informer has not been watching; null while it watches. */
    private volatile Instant notCurrentSince;
    private volatile String why;
    /** Whether the log said this type is not current, so that it says when it is again. */
    private boolean logged;
    /** No replacement is started before this (System.nanoTime()); 0: none tried yet. */
    private long nextAttempt;
    private Duration backoff = FIRST_BACKOFF;
    private boolean replacing;
    /** Why the last replacement failed; null if none did. */
    private String replacementFailure;

    CachedType(ResourceType type, SharedIndexInformer<GenericKubernetesResource> informer,
            AtomicReference<Throwable> lastFailure) {
        this.type = type;
        this.path = path(type);
        this.informer = informer;
        this.lastFailure = lastFailure;
    }

    /** The path an informer of the type, in every namespace, lists and watches. */
    static String path(ResourceType type) {
        return (type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version())
                + "/" + type.plural();
    }

    void used() {
        lastUse = System.nanoTime();
    }

    /** Takes over the time of last use of the one this replaces. */
    void usedAsOf(CachedType replaced) {
        lastUse = replaced.lastUse;
    }

    boolean idleFor(Duration idle) {
        return System.nanoTime() - lastUse > idle.toNanos();
    }

    boolean stopped() {
        return informer.stopped().toCompletableFuture().isDone();
    }

    /**
     * Looks at the informer again: whether it watches, and if not, why. The log says when the type
     * stops being current for a reason (a refusal, the informer stopped), and when it is current
     * again: one line each, however often fabric8 retries in between.
     *
     * @param requests what the API server answered the type's lists and watches
     */
    synchronized void check(ApiRequests requests) {
        if (!stopped() && (informer.isWatching() || requests.watchAccepted(path))) {
            Instant since = notCurrentSince;
            notCurrentSince = null;
            why = null;
            if (since != null && logged) {
                logged = false;
                LOG.log(Level.INFO, "{0}: current again, after {1} s", type.directoryName(),
                        Duration.between(since, Instant.now()).toSeconds());
            }
            return;
        }
        if (notCurrentSince == null) {
            notCurrentSince = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        String refused = requests.failure(path);
        Throwable failure = lastFailure.get();
        if (stopped() && replacementFailure != null) {
            why = "the informer stopped, and listing again failed: " + replacementFailure + " (trying again at a read"
                    + " after " + Duration.ofNanos(Math.max(0, nextAttempt - System.nanoTime())).toSeconds() + " s)";
        } else if (stopped()) {
            why = "the informer stopped" + (failure == null ? "" : ": " + Errors.describe(failure))
                    + " (listing again at the next read)";
        } else {
            why = (refused != null ? refused : "the watch ended") + " (retrying)";
        }
        // A watch that ends and starts again without a refusal is routine; an unreachable server has its own line.
        if (!logged && (refused != null || stopped()) && !requests.unreachable()) {
            logged = true;
            LOG.log(Level.WARNING, "{0}", staleness().strip());
        }
    }

    /** The line that says since when and why the type is not current; empty while it is. */
    String staleness() {
        Instant since = notCurrentSince;
        String reason = why;
        return since == null || reason == null ? "" : type.directoryName() + ": not current since " + since + ": "
                + reason + "\n";
    }

    /** Whether a replacement may be started now; if so, the next one waits twice as long. */
    synchronized boolean mayReplace() {
        long now = System.nanoTime();
        if (replacing || now < nextAttempt) {
            return false;
        }
        replacing = true;
        nextAttempt = now + backoff.toNanos();
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        return true;
    }

    /** A replacement failed: the informer stays, stopped, until the backoff allows another. */
    synchronized void replacementFailed(String reason) {
        replacing = false;
        replacementFailure = reason;
    }
}
