package io.k9p.kube.cluster;

import io.k9p.fs.FsException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps fetched content for a moment, so a stat and the open that follows it (one command's work)
 * cost one API request and agree on the bytes, while a later command sees fresh content.
 */
final class ShortLivedCache {
    interface Fetch {
        byte[] get() throws FsException;
    }

    private record Entry(byte[] content, long fetchedAt) {}

    private final Duration lifetime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    ShortLivedCache(Duration lifetime) {
        this.lifetime = lifetime;
    }

    byte[] get(String key, Fetch fetch) throws FsException {
        long now = System.nanoTime();
        Entry entry = entries.get(key);
        if (entry != null && now - entry.fetchedAt < lifetime.toNanos()) {
            return entry.content;
        }
        entries.values().removeIf(old -> now - old.fetchedAt >= lifetime.toNanos());
        byte[] content = fetch.get();
        entries.put(key, new Entry(content, now));
        return content;
    }
}
