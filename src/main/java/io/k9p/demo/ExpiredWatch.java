package io.k9p.demo;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer to a watch from a resourceVersion older than the server still has events for, as a
 * 1.32 watch cache gives it: the watch is accepted (HTTP 200), then one ERROR event whose object
 * is a Status 410 Expired, and the stream ends; the client must list again.
 */
final class ExpiredWatch extends WebSocketListener {
    private final long since;
    private final long oldest;

    ExpiredWatch(long since, long oldest) {
        this.since = since;
        this.oldest = oldest;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        ObjectNode event = ApiResponses.object();
        event.put("type", "ERROR");
        event.set("object", ApiResponses.status(410, "Expired",
                "too old resource version: %d (%d)".formatted(since, oldest - 1), null, null));
        webSocket.send(ApiResponses.write(event));
        webSocket.close(1000, "");
    }
}
