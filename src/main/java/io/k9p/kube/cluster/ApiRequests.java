package io.k9p.kube.cluster;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the API server answered k9p's requests, seen from inside fabric8's HTTP client (an
 * interceptor, so every attempt counts, its own retries included): whether the server can be
 * reached at all, and per collection path the refusal its last list or watch got. The watches
 * that fabric8 restarts by itself say why they failed nowhere else.
 *
 * <p>The log gets one line when the server stops answering and one when it answers again,
 * whatever number of requests failed in between; none before it has ever answered (the startup
 * check says why in its own line).
 */
final class ApiRequests implements Interceptor {
    private static final System.Logger LOG = System.getLogger(ApiRequests.class.getName());

    /** Since when, and why, the API server cannot be reached, and whether the log said so; null while it answers. */
    private record Unreachable(String why, Instant since, boolean logged) {}

    private final String server;
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    /** Per collection path, whether its last watch request was accepted. */
    private final Map<String, Boolean> watchAccepted = new ConcurrentHashMap<>();
    private volatile Unreachable unreachable;
    private volatile boolean everAnswered;

    /** @param server the API server's URL, as the log names it */
    ApiRequests(String server) {
        this.server = server;
    }

    @Override
    public void after(HttpRequest request, HttpResponse<?> response, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        answered();
        if (!"GET".equals(request.method())) {
            return;
        }
        String path = request.uri().getPath();
        if (isWatch(request)) {
            watchAccepted.put(path, response.code() < 400);
        }
        if (response.code() >= 400) {
            String verb = isWatch(request) ? "watch" : "list";
            refusals.put(path, (verb + " refused: " + response.code() + " " + Errors.reason(response.code())).strip());
        } else {
            refusals.remove(path);
        }
    }

    @Override
    public void afterConnectionFailure(HttpRequest request, Throwable failure) {
        if (isWatch(request)) {
            watchAccepted.put(request.uri().getPath(), false);
        }
        if (unreachable == null) {
            synchronized (this) {
                if (unreachable == null) {
                    unreachable = new Unreachable(ClusterCheck.unreachableBecause(server, failure), Instant.now(),
                            everAnswered);
                    if (unreachable.logged) {
                        LOG.log(Level.WARNING, "{0} cannot be reached: {1}; reads are served from the cache,"
                                + " changes fail", server, unreachable.why);
                    }
                }
            }
        }
    }

    private void answered() {
        everAnswered = true;
        if (unreachable != null) {
            synchronized (this) {
                Unreachable was = unreachable;
                unreachable = null;
                if (was != null && was.logged) {
                    LOG.log(Level.INFO, "{0} answers again, after {1} s", server,
                            Duration.between(was.since, Instant.now()).toSeconds());
                }
            }
        }
    }

    /**
     * Why lists and watches of a collection path fail now: the server out of reach, or the
     * refusal its last list or watch got; null when neither.
     */
    String failure(String path) {
        Unreachable gone = unreachable;
        if (gone != null) {
            return "the API server cannot be reached: " + gone.why;
        }
        return refusals.get(path);
    }

    /**
     * Whether the last watch of a collection path was accepted, and nothing about the path failed
     * since. fabric8 counts an HTTP streaming watch as watching only once bytes arrive, which a
     * quiet type's watch may not get for minutes; this knows it at the answer's head. It cannot
     * know when a stream ends; fabric8 watches again a second later, and that request tells.
     */
    boolean watchAccepted(String path) {
        return unreachable == null && Boolean.TRUE.equals(watchAccepted.get(path)) && !refusals.containsKey(path);
    }

    /** Whether the failure is the server's being out of reach, which its own log line says. */
    boolean unreachable() {
        return unreachable != null;
    }

    private static boolean isWatch(HttpRequest request) {
        String query = request.uri().getRawQuery();
        return query != null && (query.contains("watch=true") || query.contains("watch=1"));
    }
}
