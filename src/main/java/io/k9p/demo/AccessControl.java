package io.k9p.demo;

import io.fabric8.mockwebserver.http.MockResponse;
import io.k9p.demo.AccessPolicy.Attributes;
import io.k9p.demo.AccessPolicy.Subject;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the API server does with a request before anything answers it, as a real server's
 * authentication, impersonation and authorization filters do: who the request acts as (the
 * kubeconfig's admin when it brings no credentials, else its bearer token's subject, or whom it
 * impersonates), whether the {@link AccessPolicy} lets that subject make it, and the 400, 401 or 403
 * the real server answers when not. Every request made as a subject other than the admin is
 * recorded, with the status it was answered.
 */
final class AccessControl {
    private static final String BEARER = "bearer ";
    static final String IMPERSONATE_USER = "Impersonate-User";
    private static final String IMPERSONATE_GROUP = "Impersonate-Group";
    private static final String UNAUTHENTICATED = "system:unauthenticated";

    private final AccessPolicy policy;
    /** In arrival order; each entry gets its status when the answer's head is written. */
    private final Queue<AtomicReference<SubjectRequest>> subjectRequests = new ConcurrentLinkedQueue<>();

    AccessControl(AccessPolicy policy) {
        this.policy = policy;
    }

    AccessPolicy policy() {
        return policy;
    }

    List<SubjectRequest> subjectRequests() {
        return subjectRequests.stream().map(AtomicReference::get).toList();
    }

    /**
     * Authenticates and authorizes a request, and records it when it acts as a subject.
     *
     * @return null when the request may be answered, else the refusal to answer it with
     */
    MockResponse admit(HttpServerRequest request) {
        Subject requester = null;
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            requester = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? policy.authenticate(authorization.substring(BEARER.length()).strip()).orElse(null)
                    : null;
            if (requester == null) {
                return ApiResponses.unauthorized();
            }
        }
        String user = request.getHeader(IMPERSONATE_USER);
        List<String> groups = request.headers().getAll(IMPERSONATE_GROUP);
        if (user == null) {
            if (!groups.isEmpty()) {
                return ApiResponses.badRequest("requested groups " + groups + " without impersonating a user");
            }
            return requester == null ? null : actingAs(request, requester, false, null);
        }
        MockResponse refused = requester == null ? null : refuseImpersonation(requester, user, groups);
        return refused != null ? actingAs(request, requester, false, refused)
                : actingAs(request, impersonated(user, groups), true, null);
    }

    /**
     * Authorizes a request made as a subject, unless it is refused already, and records it.
     *
     * @param refused the refusal decided already, or null
     */
    private MockResponse actingAs(HttpServerRequest request, Subject subject, boolean impersonated,
            MockResponse refused) {
        String method = request.method().name();
        MockResponse refusal = refused != null ? refused : authorize(subject, method, request.uri());
        record(request, new SubjectRequest(method, request.uri(), subject.user(), subject.groups(), impersonated, 0),
                refusal == null && HttpFront.isWebSocketUpgrade(request));
        return refusal;
    }

    /**
     * What a request asks to do to which resource, read from its method and path as the real
     * server reads them; empty for a path that names no resource.
     */
    static Optional<Attributes> attributes(String method, String requestTarget) {
        ApiDispatcher.Target target = ApiDispatcher.Target.of(requestTarget);
        return ApiPath.parse(target.path()).map(path -> {
            String name = path.name() == null ? "" : path.name();
            String namespace = path.namespace() != null ? path.namespace()
                    : path.resource().equals("namespaces") ? name : "";
            String verb = switch (method) {
                case "GET", "HEAD" -> !name.isEmpty() ? "get" : target.watch() ? "watch" : "list";
                case "POST" -> "create";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> name.isEmpty() ? "deletecollection" : "delete";
                default -> method.toLowerCase(Locale.ROOT);
            };
            if (verb.equals("list") || verb.equals("watch")) {
                // a list or watch of one object by field selector is authorized as of that object
                name = selectedName(target.query().get("fieldSelector"));
            }
            return new Attributes(verb, path.group(), path.resource(),
                    path.subresource() == null ? "" : path.subresource(), namespace, name);
        });
    }

    /** The name a field selector requires ({@code metadata.name=NAME} among its terms), or "". */
    private static String selectedName(String fieldSelector) {
        if (fieldSelector != null) {
            for (String term : fieldSelector.split(",")) {
                for (String equals : List.of("metadata.name==", "metadata.name=")) {
                    if (term.strip().startsWith(equals)) {
                        return term.strip().substring(equals.length());
                    }
                }
            }
        }
        return "";
    }

    /** The real server's impersonated user: the groups asked for, and the authenticated users' group. */
    private static Subject impersonated(String user, List<String> groups) {
        List<String> all = new ArrayList<>(groups);
        if (!all.contains(AccessPolicy.AUTHENTICATED) && !all.contains(UNAUTHENTICATED)) {
            all.add(AccessPolicy.AUTHENTICATED);
        }
        return new Subject(user, all);
    }

    /** The 403 for the first user or group the requester may not impersonate, or null. */
    private MockResponse refuseImpersonation(Subject requester, String user, List<String> groups) {
        List<Attributes> asked = new ArrayList<>();
        asked.add(new Attributes("impersonate", "", "users", "", "", user));
        groups.forEach(group -> asked.add(new Attributes("impersonate", "", "groups", "", "", group)));
        for (Attributes attributes : asked) {
            if (!policy.authorize(requester, attributes).allowed()) {
                return forbidden(requester.user(), attributes);
            }
        }
        return null;
    }

    /** The 403 for a request the policy does not allow its subject, or null. */
    private MockResponse authorize(Subject subject, String method, String requestTarget) {
        Optional<Attributes> attributes = attributes(method, requestTarget);
        if (attributes.isEmpty()) {
            String verb = method.toLowerCase(Locale.ROOT);
            String path = ApiDispatcher.Target.of(requestTarget).path();
            return policy.authorizePath(subject, verb, path).allowed() ? null
                    : ApiResponses.forbidden("forbidden: User \"%s\" cannot %s path \"%s\"".formatted(
                            subject.user(), verb, path), "", "", "");
        }
        return policy.authorize(subject, attributes.get()).allowed() ? null
                : forbidden(subject.user(), attributes.get());
    }

    /** The real server's 403 Status, worded as its authorization filter words it. */
    static MockResponse forbidden(String user, Attributes denied) {
        String qualified = denied.group().isEmpty() ? denied.resource() : denied.resource() + "." + denied.group();
        String what = denied.name().isEmpty() ? qualified : qualified + " \"" + denied.name() + "\"";
        String scope = denied.namespace().isEmpty() ? "at the cluster scope"
                : "in the namespace \"" + denied.namespace() + "\"";
        return ApiResponses.forbidden("%s is forbidden: User \"%s\" cannot %s resource \"%s\" in API group \"%s\" %s"
                .formatted(what, user, denied.verb(), denied.resourcePath(), denied.group(), scope),
                denied.group(), denied.resource(), denied.name());
    }

    /**
     * Records a request, to be given its status when its answer's head is written. The head of an
     * accepted WebSocket upgrade is written where this server does not see it, so an upgrade counts
     * as answered 101 unless it is answered over plain HTTP instead (refused, or not found).
     */
    private void record(HttpServerRequest request, SubjectRequest received, boolean upgrade) {
        AtomicReference<SubjectRequest> entry = new AtomicReference<>(upgrade ? received.answered(101) : received);
        subjectRequests.add(entry);
        HttpServerResponse response = request.response();
        response.headersEndHandler(v -> entry.updateAndGet(r -> r.answered(response.getStatusCode())));
    }
}
