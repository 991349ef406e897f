package io.k9p.demo;

import io.fabric8.mockwebserver.http.MockResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The failures of a real API server, switched on and off by a test, each answered as Kubernetes
 * 1.32 (or what stands in front of it) answers:
 *
 * <pre>{@code
 * ApiFaults faults = api.faults();
 * faults.closeWatches();                            // every open watch ends, as when the server restarts
 * faults.refuse(ApiFaults.Refusal.TOO_MANY_REQUESTS); // lists and watches get 429 until end()
 * faults.refuse(ApiFaults.Refusal.FORBIDDEN, "configmaps");
 * faults.compact();                                 // a watch from an older resourceVersion gets 410
 * faults.unreachable();                             // connections are refused until end()
 * faults.end();
 * }</pre>
 *
 * Refusals answer lists and watches only (a list is a watch's first step, and API Priority and
 * Fairness refuses both alike): creations, updates and deletions go through, so that a test can
 * change the objects that a client cannot see change, and a write made during the fault lands.
 * They answer new requests; watches that are open stay open until {@link #closeWatches()}.
 */
public final class ApiFaults {
    /** What a refused list or watch is answered. */
    public enum Refusal {
        /** API Priority and Fairness rejecting a request: 429 with a Retry-After, in plain text. */
        TOO_MANY_REQUESTS,
        /** A load balancer with no healthy API server behind it: 503, its own HTML page. */
        UNAVAILABLE,
        /** RBAC no longer allowing the list or watch: 403 Forbidden, a Status. */
        FORBIDDEN,
        /** The resource no longer served (its CRD deleted): 404 NotFound, a Status. */
        NOT_FOUND
    }

    /** The seconds API Priority and Fairness asks a client to wait before it tries again. */
    public static final int RETRY_AFTER_SECONDS = 1;
    private static final String ALL = "";

    private final HttpFront front;
    private final ApiDispatcher dispatcher;
    /** The refusal in force per resource (plural), ALL for every resource; empty when none. */
    private volatile Map<String, Refusal> refusals = Map.of();

    ApiFaults(HttpFront front, ApiDispatcher dispatcher) {
        this.front = front;
        this.dispatcher = dispatcher;
    }

    /** Ends every open watch, as an API server that restarts does; clients watch again from where they were. */
    public ApiFaults closeWatches() {
        dispatcher.journal().closeAll();
        return this;
    }

    /**
     * Answers new lists and watches of the given resources (plural names; every resource when none
     * is given) with {@code refusal} until {@link #end()}.
     */
    public ApiFaults refuse(Refusal refusal, String... resources) {
        Map<String, Refusal> now = new HashMap<>(refusals);
        if (resources.length == 0) {
            now.put(ALL, refusal);
        }
        for (String resource : resources) {
            now.put(resource, refusal);
        }
        refusals = Map.copyOf(now);
        return this;
    }

    /**
     * Forgets every change so far, as etcd's compaction does: a watch from an older resourceVersion
     * is answered 200, then one ERROR event with a Status 410 Expired, and the stream ends.
     */
    public ApiFaults compact() {
        dispatcher.compact();
        return this;
    }

    /**
     * Sends every open watch one event its client cannot read, as a proxy that mangles a stream
     * would; fabric8's informers stop for good on it.
     */
    public ApiFaults garbleWatches() {
        dispatcher.journal().garbleAll();
        return this;
    }

    /** Stops listening and drops every connection, until {@link #end()}: the API server is gone. */
    public ApiFaults unreachable() {
        front.disconnect();
        return this;
    }

    /** Ends every refusal, and listens again (on the same port) if the server was unreachable. */
    public ApiFaults end() {
        refusals = Map.of();
        front.reconnect();
        return this;
    }

    /** How many watches this server has answered with the 410 Expired ERROR event, since it started. */
    public long expiredWatches() {
        return dispatcher.journal().expiredAnswers();
    }

    /** The answer to a request that a refusal in force refuses, or null to answer it as usual. */
    MockResponse refusal(HttpServerRequest request) {
        Map<String, Refusal> now = refusals;
        if (now.isEmpty() || request.method() != HttpMethod.GET) {
            return null;
        }
        ApiDispatcher.Target target = ApiDispatcher.Target.of(request.uri());
        Optional<ApiPath> path = ApiPath.parse(target.path());
        if (path.isEmpty() || path.get().name() != null || path.get().subresource() != null) {
            return null;
        }
        ApiPath api = path.get();
        Refusal refusal = now.getOrDefault(api.resource(), now.get(ALL));
        if (refusal == null) {
            return null;
        }
        return switch (refusal) {
            case TOO_MANY_REQUESTS -> ApiResponses.text(429, "Too many requests, please try again later.\n")
                    .setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
                    .setHeader("X-Content-Type-Options", "nosniff");
            case UNAVAILABLE -> new MockResponse().setResponseCode(503)
                    .setHeader("Content-Type", "text/html")
                    .setHeader("Cache-Control", "no-cache")
                    .setBody("<html><body><h1>503 Service Unavailable</h1>\n"
                            + "No server is available to handle this request.\n</body></html>\n");
            case FORBIDDEN -> AccessControl.forbidden(user(request), new AccessPolicy.Attributes(
                    target.watch() ? "watch" : "list", api.group(), api.resource(), "",
                    api.namespace() == null ? "" : api.namespace(), ""));
            case NOT_FOUND -> ApiResponses.noSuchPath();
        };
    }

    /** Whom a refused request acts as, for the 403's message: whom it impersonates, else the kubeconfig's admin. */
    private static String user(HttpServerRequest request) {
        String impersonated = request.getHeader(AccessControl.IMPERSONATE_USER);
        return impersonated != null ? impersonated : "kubernetes-admin";
    }
}
