package io.k9p.demo;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.KeyCertOptions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP side of the API server, on Vert.x like fabric8's mock web server. Ordinary requests and
 * WebSocket watches go through mockwebserver's request handler to the {@link ApiDispatcher}; the
 * two answers that stream over plain HTTP are served here: watches ({@code ?watch=true} without a
 * WebSocket upgrade, as kubectl and fabric8's HTTP watch ask) and followed pod logs
 * ({@code pods/NAME/log?follow=true}).
 */
final class HttpFront implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HttpFront.class.getName());
    private static final List<String> CHANNEL_PROTOCOLS =
            List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");

    private final Vertx vertx;
    private final HttpServerOptions options;
    /** The listening server; null while {@link ApiFaults#unreachable()} has it gone. */
    private HttpServer server;
    /** The port listened on, kept when the server stops listening and listens again. */
    private int port;
    private final ApiDispatcher dispatcher;
    private final ApiFaults faults;
    private final LogStore logs;
    private final HttpServerRequestHandler ordinary;
    /** What ends each open stream, so close() can end them. */
    private final Set<Runnable> streams = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong streamedWatches = new AtomicLong();
    private final Map<String, LongAdder> requestsByKind = new ConcurrentHashMap<>();
    /** Requests by kind and path (no query): "GET watch /api/v1/configmaps". */
    private final Map<String, LongAdder> requestsByPath = new ConcurrentHashMap<>();
    /** Every distinct Authorization header received. */
    private final Set<String> authorizations = ConcurrentHashMap.newKeySet();

    /** @param tls the key and certificate to serve HTTPS with, or null for plain HTTP */
    private HttpFront(String host, int port, ApiDispatcher dispatcher, LogStore logs, KeyCertOptions tls) {
        this.dispatcher = dispatcher;
        this.logs = logs;
        this.faults = new ApiFaults(this, dispatcher);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4));
        this.ordinary = new HttpServerRequestHandler(vertx) {
            @Override
            protected MockResponse onHttpRequest(RecordedRequest request) {
                return dispatcher.dispatch(request);
            }
        };
        this.options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setWebSocketSubProtocols(CHANNEL_PROTOCOLS)
                .setHandle100ContinueAutomatically(true)
                .setWebSocketClosingTimeout(1);
        if (tls != null) {
            options.setSsl(true).setKeyCertOptions(tls);
        }
        this.server = newServer();
    }

    private HttpServer newServer() {
        return vertx.createHttpServer(options).requestHandler(request -> {
            String authorization = request.getHeader("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            handle(request);
        });
    }

    static HttpFront start(String host, int port, ApiDispatcher dispatcher, LogStore logs, KeyCertOptions tls) {
        HttpFront front = new HttpFront(host, port, dispatcher, logs, tls);
        try {
            front.port = await(front.server.listen()).actualPort();
        } catch (RuntimeException e) {
            front.close();
            throw e;
        }
        return front;
    }

    synchronized int port() {
        return port;
    }

    ApiFaults faults() {
        return faults;
    }

    /** Stops listening and drops every connection, open streams included: the server is gone. */
    synchronized void disconnect() {
        if (server == null) {
            return;
        }
        endStreams();
        await(server.close());
        server = null;
    }

    /** Listens again on the same port after {@link #disconnect()}. */
    synchronized void reconnect() {
        if (server != null) {
            return;
        }
        HttpServer again = newServer();
        await(again.listen(port, options.getHost()));
        server = again;
    }

    @Override
    public void close() {
        synchronized (this) {
            endStreams();
            try {
                if (server != null) {
                    await(server.close());
                }
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing the HTTP server", e);
            }
        }
        await(vertx.close());
    }

    private void endStreams() {
        for (Runnable stream : List.copyOf(streams)) {
            stream.run();
        }
    }

    /** The distinct Authorization headers received so far. */
    Set<String> authorizations() {
        return Set.copyOf(authorizations);
    }

    /** The requests received so far, every kind together. */
    long requestCount() {
        return requests.get();
    }

    /** The requests received so far by {@link #kind kind}, sorted by kind. */
    Map<String, Long> requestCounts() {
        Map<String, Long> counts = new TreeMap<>();
        requestsByKind.forEach((kind, count) -> counts.put(kind, count.sum()));
        return counts;
    }

    /** The watches served as HTTP streams (rather than over WebSocket) so far. */
    long streamedWatches() {
        return streamedWatches.get();
    }

    /** The requests received so far of one {@link #kind kind} at one path (without its query). */
    long requestCount(String kind, String path) {
        LongAdder count = requestsByPath.get(kind + " " + path);
        return count == null ? 0 : count.sum();
    }

    /**
     * What a request asks for, as its method and the kind of path: {@code GET collection} (a list),
     * {@code GET watch} (HTTP or WebSocket), {@code GET object}, {@code PUT object}, a subresource
     * ({@code GET log}, {@code PUT scale}), or {@code GET discovery} for any path that names no
     * resource (discovery, version, health, OpenAPI).
     */
    static String kind(String method, String uri) {
        ApiDispatcher.Target target = ApiDispatcher.Target.of(uri);
        Optional<ApiPath> path = ApiPath.parse(target.path());
        String kind;
        if (path.isEmpty()) {
            kind = "discovery";
        } else if (path.get().subresource() != null) {
            kind = path.get().subresource();
        } else if (path.get().name() != null) {
            kind = "object";
        } else {
            kind = target.watch() ? "watch" : "collection";
        }
        return method + " " + kind;
    }

    /** Every request comes in here, to be authorized first: ordinary ones, streamed watches and logs, WebSocket upgrades. */
    private void handle(HttpServerRequest request) {
        requests.incrementAndGet();
        String kind = kind(request.method().name(), request.uri());
        requestsByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        requestsByPath.computeIfAbsent(kind + " " + ApiDispatcher.Target.of(request.uri()).path(), k -> new LongAdder())
                .increment();
        MockResponse refusal = faults.refusal(request);
        if (refusal == null) {
            refusal = dispatcher.access().admit(request);
        }
        if (refusal != null) {
            send(request.response(), refusal);
            return;
        }
        if (request.method() == io.vertx.core.http.HttpMethod.GET && !isWebSocketUpgrade(request)) {
            ApiDispatcher.Target target = ApiDispatcher.Target.of(request.uri());
            if (target.watch()) {
                watch(request, target);
                return;
            }
            Optional<ApiPath> path = ApiPath.parse(target.path());
            if ("true".equals(target.query().get("follow")) && path.isPresent()
                    && path.get().group().isEmpty() && "pods".equals(path.get().resource())
                    && "log".equals(path.get().subresource()) && !"true".equals(target.query().get("previous"))) {
                followLog(request, path.get(), target.query());
                return;
            }
        }
        ordinary.handle(request);
    }

    /** A watch streamed as newline-separated JSON events on a chunked response. */
    private void watch(HttpServerRequest request, ApiDispatcher.Target target) {
        RecordedRequest recorded = recorded(request);
        MockResponse response = dispatcher.dispatch(recorded);
        WebSocketListener listener = response.getWebSocketListener();
        HttpServerResponse out = request.response();
        if (listener == null) {
            send(out, response);
            return;
        }
        out.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
        out.writeHead();
        streamedWatches.incrementAndGet();
        HttpWatchSocket socket = new HttpWatchSocket(recorded, out, s -> vertx.executeBlocking(() -> {
            listener.onClosed(s, 1000, "watch closed");
            return null;
        }));
        Runnable end = () -> socket.close(1000, "watch closed");
        streams.add(end);
        out.closeHandler(v -> {
            streams.remove(end);
            end.run();
        });
        String timeout = target.query().get("timeoutSeconds");
        if (timeout != null && timeout.matches("\\d{1,9}") && Long.parseLong(timeout) > 0) {
            vertx.setTimer(TimeUnit.SECONDS.toMillis(Long.parseLong(timeout)), id -> {
                streams.remove(end);
                end.run();
            });
        }
        listener.onBeforeAccept(socket, response);
        listener.onOpen(socket, response);
    }

    /** A pod log that goes on as the {@link LogStore} appends to it. */
    private void followLog(HttpServerRequest request, ApiPath path, Map<String, String> query) {
        HttpServerResponse out = request.response();
        PodLogs.Resolution resolution = dispatcher.podLogs().resolve(path, query);
        if (resolution.error() != null) {
            send(out, resolution.error());
            return;
        }
        PodLogs.Target t = resolution.target();
        if (!t.live()) {
            // A run that has ended, or none: the kubelet sends what there is and ends the stream.
            send(out, dispatcher.podLogs().respond(path, query));
            return;
        }
        out.setStatusCode(200).setChunked(true).putHeader("Content-Type", "text/plain; charset=utf-8");
        out.writeHead();
        AtomicBoolean first = new AtomicBoolean(true);
        AutoCloseable following = logs.follow(t.namespace(), t.pod(), t.container(), text -> {
            String chunk = first.getAndSet(false) && query.containsKey("tailLines")
                    ? PodLogs.tail(text, parseOr(query.get("tailLines"), -1))
                    : text;
            if (!chunk.isEmpty() && !out.ended()) {
                try {
                    out.write(chunk);
                } catch (IllegalStateException e) {
                    LOG.log(Level.FINE, "the log follower went away", e);
                }
            }
        });
        AtomicBoolean closed = new AtomicBoolean();
        Runnable end = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    following.close();
                } catch (Exception e) {
                    LOG.log(Level.FINE, "unfollowing a log", e);
                }
                end(out, "ending a log");
            }
        };
        streams.add(end);
        out.closeHandler(v -> {
            streams.remove(end);
            end.run();
        });
    }

    private static long parseOr(String value, long fallback) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Ends a streamed response, unless the client went away first. */
    private static void end(HttpServerResponse out, String what) {
        try {
            if (!out.ended()) {
                out.end();
            }
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, what, e);
        }
    }

    private static void send(HttpServerResponse out, MockResponse response) {
        out.setStatusCode(response.code() == 0 ? 200 : response.code());
        response.getHeaders().toMultimap().forEach((key, values) -> out.headers().add(key, values));
        if (response.getBody() != null && response.getBody().size() > 0) {
            out.end(io.vertx.core.buffer.Buffer.buffer(response.getBody().getBytes()));
        } else {
            out.end();
        }
    }

    private static RecordedRequest recorded(HttpServerRequest request) {
        return new RecordedRequest(request.version().alpnName().toUpperCase(Locale.ROOT),
                HttpMethod.fromVertx(request.method()), request.uri(),
                Headers.builder().addAll(request.headers()).build(), new Buffer());
    }

    static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the API server's HTTP side failed: " + e.getMessage(), e);
        }
    }

    /**
     * The socket a watch listener writes its events to, as lines of a chunked HTTP response.
     * Closing it, from either side, ends the response and tells the listener once.
     */
    private static final class HttpWatchSocket implements WebSocket {
        private final RecordedRequest request;
        private final HttpServerResponse out;
        private final Consumer<HttpWatchSocket> onClosed;
        private final AtomicBoolean closed = new AtomicBoolean();

        HttpWatchSocket(RecordedRequest request, HttpServerResponse out,
                Consumer<HttpWatchSocket> onClosed) {
            this.request = request;
            this.out = out;
            this.onClosed = onClosed;
        }

        @Override
        public RecordedRequest request() {
            return request;
        }

        @Override
        public synchronized boolean send(String text) {
            if (out.ended()) {
                return false;
            }
            try {
                out.write(text + "\n");
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }

        @Override
        public boolean send(byte[] bytes) {
            return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public boolean close(int code, String reason) {
            if (!closed.compareAndSet(false, true)) {
                return true;
            }
            synchronized (this) {
                end(out, "ending a watch");
            }
            onClosed.accept(this);
            return true;
        }
    }
}
