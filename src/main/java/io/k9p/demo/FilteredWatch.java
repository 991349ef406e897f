package io.k9p.demo;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Puts a real API server's watch semantics on CRUD mode's watch, which replays every stored object
 * as ADDED when it opens and knows only simple selectors:
 * <ul>
 * <li>a watch from resourceVersion N (N not 0) gets no ADDED event for objects at or before N: the
 * client has them from its list;</li>
 * <li>a watch from resourceVersion N is told first of the objects deleted after N, from the
 * {@link WatchJournal}, and each DELETED event carries the resourceVersion of its deletion;</li>
 * <li>events pass the watch's full selector (see {@link Selector}); an object that stops matching
 * is reported DELETED, one that starts matching ADDED.</li>
 * </ul>
 * It wraps CRUD mode's listener and the socket handed to it, so the same code serves WebSocket
 * watches and HTTP streaming watches.
 */
final class FilteredWatch extends WebSocketListener {
    private final WebSocketListener inner;
    private final Predicate<JsonNode> selector;
    private final long sinceVersion;
    private final WatchJournal journal;
    /** Whether a deleted object was of the watched resource (and namespace). */
    private final Predicate<JsonNode> watched;
    /** The uids of matching objects the client knows about. */
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile FilteringSocket socket;

    /**
     * @param sinceVersion the watch's resourceVersion, or -1 to replay the stored objects
     * @param watched whether an object is of the watched resource and namespace, selector aside
     */
    FilteredWatch(WebSocketListener inner, Predicate<JsonNode> selector, long sinceVersion, WatchJournal journal,
            Predicate<JsonNode> watched) {
        this.inner = inner;
        this.selector = selector;
        this.sinceVersion = sinceVersion;
        this.journal = journal;
        this.watched = watched;
    }

    private WebSocket wrap(WebSocket webSocket) {
        FilteringSocket s = socket;
        if (s == null || s.outer != webSocket) {
            s = new FilteringSocket(webSocket);
            socket = s;
        }
        return s;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        inner.onBeforeAccept(wrap(webSocket), response);
    }

    /**
     * The deletions the client missed go first, before CRUD mode's replay of what exists: an
     * object deleted and created again under its name must end up there.
     */
    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        journal.opened(webSocket);
        WebSocket wrapped = wrap(webSocket);
        if (sinceVersion >= 0) {
            for (JsonNode deleted : journal.deletedSince(sinceVersion, watched.and(selector))) {
                ObjectNode event = ApiResponses.object();
                event.put("type", "DELETED");
                event.set("object", deleted);
                webSocket.send(ApiResponses.write(event));
            }
        }
        inner.onOpen(wrapped, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        inner.onMessage(wrap(webSocket), text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        inner.onMessage(wrap(webSocket), bytes);
    }

    @Override
    public void onPing(WebSocket webSocket, byte[] payload) {
        inner.onPing(wrap(webSocket), payload);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        inner.onClosing(wrap(webSocket), code, reason);
    }

    /**
     * Passed on from a thread of its own: CRUD mode's listener waits for its pending events to be
     * sent, and sending a WebSocket message waits for the event loop this may be called on.
     */
    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        journal.closed(webSocket);
        WebSocket wrapped = wrap(webSocket);
        Thread.ofVirtual().name("watch-closed").start(() -> inner.onClosed(wrapped, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
        journal.closed(webSocket);
        inner.onFailure(wrap(webSocket), error, response);
    }

    /** The event to send in place of a watch event, or null to send nothing. */
    String filter(String text) {
        JsonNode event = ApiResponses.parse(text);
        if (event == null || !event.path("object").isObject()) {
            return text;
        }
        String type = event.path("type").asString("");
        JsonNode object = event.path("object");
        String uid = object.path("metadata").path("uid").asString("");
        boolean matches = selector.test(object);
        boolean wasKnown = known.contains(uid);
        switch (type) {
            case "ADDED" -> {
                if (!matches) {
                    return null;
                }
                known.add(uid);
                long version = parseVersion(object.path("metadata").path("resourceVersion").asString(""));
                return sinceVersion >= 0 && version >= 0 && version <= sinceVersion ? null : text;
            }
            case "MODIFIED" -> {
                if (matches) {
                    known.add(uid);
                    return wasKnown ? text : retype(event, "ADDED");
                }
                known.remove(uid);
                return wasKnown ? retype(event, "DELETED") : null;
            }
            case "DELETED" -> {
                known.remove(uid);
                if (!matches && !wasKnown) {
                    return null;
                }
                long deletedAt = journal.deletionVersion(uid);
                ObjectNode copy = (ObjectNode) event.deepCopy();
                if (deletedAt < 0 || !(copy.path("object").path("metadata") instanceof ObjectNode metadata)) {
                    return text;
                }
                metadata.put("resourceVersion", Long.toString(deletedAt));
                return ApiResponses.write(copy);
            }
            default -> {
                return text;
            }
        }
    }

    private static String retype(JsonNode event, String type) {
        ObjectNode copy = (ObjectNode) event.deepCopy();
        copy.put("type", type);
        return ApiResponses.write(copy);
    }

    static long parseVersion(String resourceVersion) {
        try {
            return resourceVersion.isEmpty() ? -1 : Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private final class FilteringSocket implements WebSocket {
        private final WebSocket outer;

        FilteringSocket(WebSocket outer) {
            this.outer = outer;
        }

        @Override
        public RecordedRequest request() {
            return outer.request();
        }

        @Override
        public boolean send(String text) {
            String event = filter(text);
            return event == null || outer.send(event);
        }

        @Override
        public boolean send(byte[] bytes) {
            return outer.send(bytes);
        }

        @Override
        public boolean close(int code, String reason) {
            return outer.close(code, reason);
        }
    }
}
