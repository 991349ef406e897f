package io.k9p.demo;

import io.fabric8.mockwebserver.http.WebSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a real API server's watch cache knows that CRUD mode does not: the deletions of a recent
 * window of resourceVersions, so that a watch resumed from resourceVersion N is told of every
 * object deleted after N (CRUD mode replays only the objects that exist), and where that window
 * starts, so that a watch from before it gets 410 Expired and its client lists again. The window
 * holds the last {@value #CAPACITY} deletions, and {@link #compact} empties it, as etcd's
 * compaction does. It also knows the watches open now, so that they can be ended together.
 */
final class WatchJournal {
    static final int CAPACITY = 10_000;

    /** One deletion: the object as it was, at the resourceVersion of its deletion. */
    private record Deletion(long version, String uid, JsonNode object) {}

    private final Deque<Deletion> deletions = new ArrayDeque<>();
    private final Map<String, Long> deletionVersions = new ConcurrentHashMap<>();
    /** Watches from before this resourceVersion are too old: the events after them are gone. */
    private long oldest;
    private final Set<WebSocket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong expiredAnswers = new AtomicLong();

    /** Records an object's deletion; {@code json} is the object as it was stored. */
    synchronized void deleted(String json, long version) {
        JsonNode parsed = ApiResponses.parse(json);
        if (!(parsed instanceof ObjectNode object) || !(object.path("metadata") instanceof ObjectNode metadata)) {
            return;
        }
        metadata.put("resourceVersion", Long.toString(version));
        String uid = metadata.path("uid").asString("");
        deletions.addLast(new Deletion(version, uid, object));
        deletionVersions.put(uid, version);
        while (deletions.size() > CAPACITY) {
            Deletion dropped = deletions.removeFirst();
            deletionVersions.remove(dropped.uid);
            oldest = dropped.version;
        }
    }

    /** The resourceVersion at which the object with this uid was deleted, or -1. */
    long deletionVersion(String uid) {
        return deletionVersions.getOrDefault(uid, -1L);
    }

    /** The objects deleted after {@code since} that {@code watched} selects, oldest first. */
    synchronized List<JsonNode> deletedSince(long since, Predicate<JsonNode> watched) {
        return deletions.stream()
                .filter(deletion -> deletion.version > since && watched.test(deletion.object))
                .map(Deletion::object)
                .toList();
    }

    /** Forgets every event up to {@code version}: a watch from before it is too old. */
    synchronized void compact(long version) {
        deletions.clear();
        deletionVersions.clear();
        oldest = version;
    }

    /** Whether a watch from {@code since} asks for events this server no longer has; counts those that do. */
    synchronized boolean expired(long since) {
        boolean expired = since >= 0 && since < oldest;
        if (expired) {
            expiredAnswers.incrementAndGet();
        }
        return expired;
    }

    /** How many watches were answered 410 Expired. */
    long expiredAnswers() {
        return expiredAnswers.get();
    }

    /** The oldest resourceVersion a watch may start from. */
    synchronized long oldest() {
        return oldest;
    }

    void opened(WebSocket watch) {
        open.add(watch);
    }

    void closed(WebSocket watch) {
        open.remove(watch);
    }

    /** How many watches are open. */
    int open() {
        return open.size();
    }

    /** How many watches of one collection path (no query) are open. */
    int open(String path) {
        return (int) open.stream()
                .filter(watch -> ApiDispatcher.Target.of(watch.request().getPath()).path().equals(path))
                .count();
    }

    /** Ends every open watch, as an API server that restarts does: each client sees its stream end. */
    void closeAll() {
        for (WebSocket watch : List.copyOf(open)) {
            watch.close(1000, "");
            open.remove(watch);
        }
    }

    /** Sends every open watch one line its client cannot read, as a proxy that mangles a stream would. */
    void garbleAll() {
        for (WebSocket watch : List.copyOf(open)) {
            watch.send("{\"type\":\"MODIFIED\",\"object\":");
        }
    }
}
