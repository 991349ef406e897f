package io.k9p.fs;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stable node ids for trees whose nodes are rebuilt on every lookup: the same key gets the same
 * id for the server's lifetime, and no two keys ever share one. A key should name the object, not
 * just the path (a deleted object recreated under the same name is another object).
 */
public final class NodeIds {
    private final ConcurrentHashMap<String, Long> ids = new ConcurrentHashMap<>();
    private final AtomicLong next;

    /** @param first the first id to hand out; trees served side by side use disjoint ranges */
    public NodeIds(long first) {
        this.next = new AtomicLong(first);
    }

    public long of(String key) {
        return ids.computeIfAbsent(key, k -> next.getAndIncrement());
    }
}
