package io.k9p.demo;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API server's request router. Objects are kept by fabric8's CRUD-mode dispatcher; this
 * class answers what CRUD mode does not (discovery, version, {@code pods/log}, {@code scale}),
 * checks paths against discovery the way a real server does (unknown resources are 404), and
 * corrects CRUD mode's answers where clients notice: typed list kinds, full label and field
 * selectors, watches from a resourceVersion, Status bodies on 404 and 409, established CRDs.
 */
final class ApiDispatcher extends Dispatcher {
    private static final Logger LOG = Logger.getLogger(ApiDispatcher.class.getName());
    private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final String MERGE_PATCH = "application/merge-patch+json";
    private static final String JSON_PATCH = "application/json-patch+json";
    /** The API server's default --max-request-body-bytes... its MaxRequestBodyBytes, 3 MiB. */
    private static final int MAX_REQUEST_BODY = 3 * 1024 * 1024;
    /** How often a JSON patch is applied again when another write came between its read and its write. */
    private static final int PATCH_ATTEMPTS = 10;

    private final WatchJournal journal = new WatchJournal();
    private final JournaledCrud crud = new JournaledCrud(journal);
    private final DiscoveryDocuments discovery = new DiscoveryDocuments(this::storedCustomResourceDefinitions);
    private final LogStore logStore;
    private final PodLogs podLogs;
    private final ScaleSubresource scale;
    private final ObjectNode version;
    private final AccessControl access;
    private final AccessReviews reviews;
    /** Requests other than reads, by the path of the object each names (a creation: the one it makes). */
    private final Map<String, LongAdder> writesByObject = new ConcurrentHashMap<>();

    ApiDispatcher(LogStore logStore, ObjectNode version, AccessPolicy policy) {
        this.logStore = logStore;
        this.version = version;
        this.access = new AccessControl(policy);
        this.reviews = new AccessReviews(policy);
        this.podLogs = new PodLogs(logStore, this::getObject);
        this.scale = new ScaleSubresource(new ScaleSubresource.Objects() {
            @Override
            public JsonNode get(String path) {
                return getObject(path);
            }

            @Override
            public MockResponse put(String path, JsonNode object, String manager) {
                String body = ManagedFields.stamp(ApiResponses.write(object), object, manager, "Update");
                return crud.handleUpdate(request(HttpMethod.PUT, path, "application/json", body));
            }
        });
    }

    PodLogs podLogs() {
        return podLogs;
    }

    /** Who each request acts as and whether it may: the HTTP front asks before anything is answered. */
    AccessControl access() {
        return access;
    }

    AccessReviews reviews() {
        return reviews;
    }

    /** The deletions watches are told of, the oldest resourceVersion they may start from, the open watches. */
    WatchJournal journal() {
        return journal;
    }

    /** Forgets every change so far, as etcd's compaction does: a watch from before now gets 410. */
    void compact() {
        crud.compact();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return route(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "failed to serve " + request.getRequestLine(), e);
            return ApiResponses.failure(500, "InternalError", "an error on the server (\"" + e + "\")");
        }
    }

    @Override
    public void shutdown() {
        crud.shutdown();
    }

    @Override
    public void releaseResources() {
        crud.releaseResources();
    }

    long writesTo(String objectPath) {
        LongAdder count = writesByObject.get(objectPath);
        return count == null ? 0 : count.sum();
    }

    private void countWrite(HttpMethod method, ApiPath api, RecordedRequest request) {
        if (method == HttpMethod.GET) {
            return;
        }
        String path = api.objectPath();
        if (api.name() == null && method == HttpMethod.POST) {
            String name = ApiResponses.parse(body(request)) instanceof ObjectNode object
                    ? object.path("metadata").path("name").asString("") : "";
            path = name.isEmpty() ? null : path + "/" + name;
        } else if (api.name() == null) {
            path = null;
        }
        if (path != null) {
            writesByObject.computeIfAbsent(path, key -> new LongAdder()).increment();
        }
    }

    /** A request target taken apart. */
    record Target(String path, Map<String, String> query) {
        static Target of(String requestTarget) {
            int q = requestTarget.indexOf('?');
            String path = q < 0 ? requestTarget : requestTarget.substring(0, q);
            Map<String, String> query = new LinkedHashMap<>();
            if (q >= 0) {
                for (String pair : requestTarget.substring(q + 1).split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    query.putIfAbsent(key, value);
                }
            }
            return new Target(path, query);
        }

        boolean watch() {
            String watch = query.get("watch");
            return "true".equals(watch) || "1".equals(watch);
        }
    }

    private MockResponse route(RecordedRequest request) {
        HttpMethod method = request.method();
        if (method == null || method == HttpMethod.OPTIONS || method == HttpMethod.CONNECT) {
            return ApiResponses.methodNotAllowed();
        }
        Target target = Target.of(request.getPath());
        MockResponse document = document(method, target.path());
        if (document != null) {
            return document;
        }
        Optional<ApiPath> parsed = ApiPath.parse(target.path());
        if (parsed.isEmpty()) {
            return ApiResponses.noSuchPath();
        }
        ApiPath api = parsed.get();
        countWrite(method, api, request);
        Optional<DiscoveryDocuments.ApiResource> known = discovery.find(api.group(), api.version(), api.resource());
        if (known.isEmpty() || (!known.get().namespaced() && api.namespace() != null)) {
            return ApiResponses.noSuchPath();
        }
        DiscoveryDocuments.ApiResource resource = known.get();
        if (target.query().containsKey("dryRun") && method != HttpMethod.GET) {
            return ApiResponses.badRequest("dryRun is not supported by this API server");
        }
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            if (request.getBody() != null && request.getBody().size() > MAX_REQUEST_BODY) {
                return ApiResponses.tooLarge("limit is " + MAX_REQUEST_BODY);
            }
            MockResponse refused = checkBody(request);
            if (refused != null) {
                return refused;
            }
        }
        if (AccessReviews.reviews(api)) {
            return reviews.answer(method, api, body(request));
        }
        if (api.subresource() != null) {
            return subresource(request, method, target, api, resource);
        }
        if (method == HttpMethod.GET && api.name() == null) {
            return target.watch() ? watch(target, api, resource) : list(target, api, resource);
        }
        if (method == HttpMethod.POST) {
            return create(request, api, resource, manager(request, target));
        }
        if (api.name() == null && method != HttpMethod.DELETE) {
            return ApiResponses.methodNotAllowed();
        }
        if (method == HttpMethod.PATCH && isJsonPatch(request.getHeader("Content-Type"))) {
            return jsonPatch(request, target, api, resource);
        }
        if (method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            JsonNode body = ApiResponses.parse(body(request));
            MockResponse invalid = ObjectLimits.check(api, method == HttpMethod.PUT || body == null
                    ? body : MergePatch.apply(getObject(api.objectPath()), body));
            if (invalid != null) {
                return invalid;
            }
        }
        // a named request's query (fieldManager, propagationPolicy, ...) means nothing to CRUD mode;
        // a collection DELETE keeps its labelSelector
        String delegated = api.name() != null ? api.objectPath() : request.getPath();
        boolean crd = api.group().equals("apiextensions.k8s.io") && api.resource().equals("customresourcedefinitions");
        JsonNode before = method == HttpMethod.DELETE && crd && api.name() != null ? getObject(api.objectPath()) : null;
        String body = body(request);
        if (api.name() != null && (method == HttpMethod.PUT || method == HttpMethod.PATCH)) {
            body = ManagedFields.stamp(body, getObject(api.objectPath()), manager(request, target), "Update");
        }
        MockResponse response = crud.dispatch(
                request(method, delegated, patchType(request.getHeader("Content-Type")), body));
        if (method == HttpMethod.DELETE && response.code() == 200 && api.name() != null) {
            deleted(api, before);
        }
        return finish(response, method, api, resource);
    }

    private static boolean isJsonPatch(String contentType) {
        return contentType != null && contentType.split(";")[0].strip().equals(JSON_PATCH);
    }

    /**
     * A JSON patch, as the real server applies one: to the object as stored, then stored on the
     * condition that nothing was written in between (or applied again to what was), unless the
     * patched object names a resourceVersion itself, which must then be the stored one (409).
     */
    private MockResponse jsonPatch(RecordedRequest request, Target target, ApiPath api,
            DiscoveryDocuments.ApiResource resource) {
        ApiJsonPatch patch;
        try {
            patch = ApiJsonPatch.parse(body(request));
        } catch (IllegalArgumentException e) {
            return ApiResponses.badRequest(e.getMessage());
        }
        if (patch.size() > ApiJsonPatch.MAX_OPERATIONS) {
            return ApiResponses.tooLarge("The allowed maximum operations in a JSON patch is %d, got %d"
                    .formatted(ApiJsonPatch.MAX_OPERATIONS, patch.size()));
        }
        MockResponse response = null;
        for (int attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
            JsonNode stored = getObject(api.objectPath());
            if (stored == null) {
                return finish(new MockResponse().setResponseCode(404), HttpMethod.PATCH, api, resource);
            }
            JsonNode patched;
            try {
                patched = patch.applyTo(stored);
            } catch (ApiJsonPatch.NotApplicable e) {
                return ApiResponses.patchNotApplied();
            }
            if (!(patched.path("metadata") instanceof ObjectNode metadata)) {
                return ApiResponses.badRequest("the patched object has no metadata");
            }
            String storedVersion = stored.path("metadata").path("resourceVersion").asString("");
            String given = metadata.path("resourceVersion").asString("");
            boolean named = !given.isEmpty();
            metadata.put("resourceVersion", named ? given : storedVersion);
            MockResponse invalid = ObjectLimits.check(api, patched);
            if (invalid != null) {
                return invalid;
            }
            String body = ManagedFields.stamp(ApiResponses.write(patched), stored, manager(request, target), "Update");
            response = crud.handleUpdate(request(HttpMethod.PUT, api.objectPath(), "application/json", body));
            if (response.code() != 409 || named) {
                break;
            }
        }
        return finish(response, HttpMethod.PATCH, api, resource);
    }

    /** The answer at a path that holds no objects (discovery, version, health, OpenAPI), or null. */
    private MockResponse document(HttpMethod method, String path) {
        if (path.equals("/healthz") || path.equals("/livez") || path.equals("/readyz")) {
            return ApiResponses.text(200, "ok");
        }
        String[] parts = path.split("/");
        Optional<ObjectNode> document;
        if (path.equals("/")) {
            document = Optional.of(rootPaths());
        } else if (path.equals("/version")) {
            document = Optional.of(version);
        } else if (path.equals("/api")) {
            document = Optional.of(discovery.apiVersions());
        } else if (path.equals("/api/v1")) {
            document = discovery.resourceList("", "v1");
        } else if (path.equals("/apis")) {
            document = Optional.of(discovery.groupList());
        } else if (parts.length == 3 && parts[1].equals("apis")) {
            document = discovery.group(parts[2]);
        } else if (parts.length == 4 && parts[1].equals("apis")) {
            document = discovery.resourceList(parts[2], parts[3]);
        } else if (path.equals("/openapi/v3")) {
            document = Optional.of(discovery.openApiRoot());
        } else if (path.startsWith("/openapi/v3/api/") && parts.length == 5) {
            document = discovery.openApi("", parts[4]);
        } else if (path.startsWith("/openapi/v3/apis/") && parts.length == 6) {
            document = discovery.openApi(parts[4], parts[5]);
        } else {
            return null;
        }
        if (document.isEmpty()) {
            return ApiResponses.noSuchPath();
        }
        return method == HttpMethod.GET ? ApiResponses.json(200, document.get()) : ApiResponses.methodNotAllowed();
    }

    /** Strategic merge patches are taken as merge patches: lists are replaced, not merged by key. */
    private static String patchType(String contentType) {
        return contentType != null && contentType.startsWith("application/strategic-merge-patch+json")
                ? MERGE_PATCH
                : contentType;
    }

    /**
     * What a real server's controllers do after a delete, done at once: a pod's logs go, a
     * namespace's objects go, a CRD's custom resources go.
     *
     * @param crd the deleted CustomResourceDefinition as it was, or null
     */
    private void deleted(ApiPath api, JsonNode crd) {
        if (crd != null) {
            String group = crd.path("spec").path("group").asString("");
            String plural = crd.path("spec").path("names").path("plural").asString("");
            if (group.isEmpty() || plural.isEmpty()) {
                return;
            }
            for (JsonNode version : crd.path("spec").path("versions")) {
                crud.handleDelete("/apis/" + group + "/" + version.path("name").asString("") + "/" + plural);
            }
        } else if (api.group().isEmpty() && api.resource().equals("pods")) {
            logStore.remove(api.namespace(), api.name());
        } else if (api.group().isEmpty() && api.resource().equals("namespaces")) {
            logStore.removeNamespace(api.name());
            for (DiscoveryDocuments.ApiResource r : discovery.all()) {
                if (r.namespaced()) {
                    String prefix = r.group().isEmpty() ? "/api/" + r.version() : "/apis/" + r.groupVersion();
                    crud.handleDelete(prefix + "/namespaces/" + api.name() + "/" + r.name());
                }
            }
        }
    }

    /** A 415 or 400 for a body this server cannot read (protobuf, broken JSON), else null. */
    private static MockResponse checkBody(RecordedRequest request) {
        String contentType = request.getHeader("Content-Type");
        String type = contentType == null ? "application/json" : contentType.split(";")[0].strip();
        if (type.equals("application/vnd.kubernetes.protobuf") || type.equals("application/cbor")) {
            return ApiResponses.failure(415, "UnsupportedMediaType",
                    "the content type " + type + " is not supported by this API server: send JSON");
        }
        if (type.equals("application/json") || type.endsWith("+json")) {
            JsonNode body = ApiResponses.parse(body(request));
            if (body == null || !(body.isObject() || body.isArray() && type.equals("application/json-patch+json"))) {
                return ApiResponses.badRequest("the body of the request was in an unknown format - accepted media"
                        + " types include: application/json, application/yaml, application/json-patch+json,"
                        + " application/merge-patch+json, application/strategic-merge-patch+json");
            }
        }
        return null;
    }

    private MockResponse subresource(RecordedRequest request, HttpMethod method, Target target, ApiPath api,
            DiscoveryDocuments.ApiResource resource) {
        String sub = api.subresource();
        if (sub.equals("log") && api.group().isEmpty() && api.resource().equals("pods")) {
            return method == HttpMethod.GET ? podLogs.respond(api, target.query()) : ApiResponses.methodNotAllowed();
        }
        if (!resource.hasSubresource(sub)) {
            return ApiResponses.noSuchPath();
        }
        if (sub.equals("scale")) {
            return scale.handle(api, resource, method.name(), request.getHeader("Content-Type"), body(request),
                    manager(request, target));
        }
        if (sub.equals("status")) {
            if (method == HttpMethod.GET) {
                return finish(crud.handleGet(api.objectPath()), method, api, resource);
            }
            if (method == HttpMethod.PUT || method == HttpMethod.PATCH) {
                return finish(crud.dispatch(request(method, api.objectPath() + "/status",
                        patchType(request.getHeader("Content-Type")), body(request))), method, api, resource);
            }
        }
        return ApiResponses.methodNotAllowed();
    }

    private static String manager(RecordedRequest request, Target target) {
        return ManagedFields.manager(target.query().get("fieldManager"), request.getHeader("User-Agent"));
    }

    private MockResponse create(RecordedRequest request, ApiPath api, DiscoveryDocuments.ApiResource resource,
            String manager) {
        if (api.name() != null || (resource.namespaced() && api.namespace() == null)) {
            return ApiResponses.methodNotAllowed();
        }
        String body = ManagedFields.stamp(body(request), null, manager, "Update");
        JsonNode object = ApiResponses.parse(body);
        MockResponse invalid = ObjectLimits.check(api, object);
        if (invalid != null) {
            return invalid;
        }
        if (object instanceof ObjectNode o) {
            boolean changed = false;
            if (!resource.namespaced() && o.path("metadata") instanceof ObjectNode metadata
                    && metadata.has("namespace")) {
                metadata.remove("namespace");
                changed = true;
            }
            if (api.group().equals("apiextensions.k8s.io") && api.resource().equals("customresourcedefinitions")) {
                establish(o);
                changed = true;
            }
            if (changed) {
                body = ApiResponses.write(o);
            }
        }
        return finish(crud.handleCreate(request(HttpMethod.POST, api.objectPath(), "application/json", body)),
                HttpMethod.POST, api, resource);
    }

    /** Gives a new CRD the status a real server gives it once it serves the CRD's resources. */
    private static void establish(ObjectNode crd) {
        JsonNode spec = crd.path("spec");
        ObjectNode status = crd.putObject("status");
        if (spec.path("names").isObject()) {
            status.set("acceptedNames", spec.path("names").deepCopy());
        }
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        ArrayNode conditions = status.putArray("conditions");
        for (String[] c : new String[][] {
                {"NamesAccepted", "NoConflicts", "no conflicts found"},
                {"Established", "InitialNamesAccepted", "the initial names have been accepted"}}) {
            ObjectNode condition = conditions.addObject();
            condition.put("type", c[0]);
            condition.put("status", "True");
            condition.put("lastTransitionTime", now);
            condition.put("reason", c[1]);
            condition.put("message", c[2]);
        }
        ArrayNode stored = status.putArray("storedVersions");
        for (JsonNode version : spec.path("versions")) {
            if (version.path("storage").asBoolean(false)) {
                stored.add(version.path("name").asString(""));
            }
        }
    }

    private MockResponse list(Target target, ApiPath api, DiscoveryDocuments.ApiResource resource) {
        Predicate<JsonNode> selector;
        try {
            selector = selector(target, api);
        } catch (IllegalArgumentException e) {
            return ApiResponses.badRequest(e.getMessage());
        }
        MockResponse response = crud.handleGet(api.objectPath());
        JsonNode list = ApiResponses.parse(ApiResponses.bodyText(response));
        if (response.code() != 200 || list == null || !list.path("items").isArray()) {
            return finish(response, HttpMethod.GET, api, resource);
        }
        ObjectNode typed = ApiResponses.object();
        typed.put("kind", resource.kind() + "List");
        typed.put("apiVersion", resource.groupVersion());
        ObjectNode metadata = typed.putObject("metadata");
        metadata.put("resourceVersion", list.path("metadata").path("resourceVersion").asString(""));
        ArrayNode items = typed.putArray("items");
        for (JsonNode item : list.path("items")) {
            if (selector.test(item)) {
                items.add(item);
            }
        }
        return ApiResponses.json(200, typed);
    }

    private MockResponse watch(Target target, ApiPath api, DiscoveryDocuments.ApiResource resource) {
        Predicate<JsonNode> selector;
        try {
            selector = selector(target, api);
        } catch (IllegalArgumentException e) {
            return ApiResponses.badRequest(e.getMessage());
        }
        String since = target.query().getOrDefault("resourceVersion", "");
        long sinceVersion = since.equals("0") ? -1 : FilteredWatch.parseVersion(since);
        if (journal.expired(sinceVersion)) {
            return new MockResponse().setResponseCode(200)
                    .withWebSocketUpgrade(new ExpiredWatch(sinceVersion, journal.oldest()));
        }
        MockResponse response = crud.handleGet(api.objectPath() + "?watch=true");
        WebSocketListener listener = response.getWebSocketListener();
        if (listener == null) {
            return finish(response, HttpMethod.GET, api, resource);
        }
        return new MockResponse().setResponseCode(200).withWebSocketUpgrade(
                new FilteredWatch(listener, selector, sinceVersion, journal, watched(api, resource)));
    }

    /** Whether an object is of the watched resource, and in the watched namespace if the watch names one. */
    private static Predicate<JsonNode> watched(ApiPath api, DiscoveryDocuments.ApiResource resource) {
        return object -> {
            String apiVersion = object.path("apiVersion").asString("");
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            return group.equals(resource.group()) && object.path("kind").asString("").equals(resource.kind())
                    && (api.namespace() == null
                            || api.namespace().equals(object.path("metadata").path("namespace").asString("")));
        };
    }

    /** The request's selectors, plus what keeps a core-group request from seeing a named group's objects. */
    private static Predicate<JsonNode> selector(Target target, ApiPath api) {
        Selector selector = Selector.parse(target.query().get("labelSelector"), target.query().get("fieldSelector"));
        if (!api.group().isEmpty()) {
            return selector;
        }
        // CRUD mode matches /api/v1/events against events.k8s.io/v1 Events too (same version and plural)
        return selector.and(object -> !object.path("apiVersion").asString("").contains("/"));
    }

    /** Puts a Status body on CRUD mode's bare errors and the real server's codes on its successes. */
    private static MockResponse finish(MockResponse response, HttpMethod method, ApiPath api,
            DiscoveryDocuments.ApiResource resource) {
        String qualified = resource.group().isEmpty() ? resource.name() : resource.name() + "." + resource.group();
        int code = response.code();
        if (code == 404) {
            return ApiResponses.notFound(qualified, api.name() == null ? "" : api.name());
        }
        if (code == 409) {
            JsonNode status = ApiResponses.parse(ApiResponses.bodyText(response));
            String name = api.name();
            if (name == null && status != null) {
                name = status.path("message").asString("").replaceAll(".*'(.*)'.*", "$1");
            }
            if (method == HttpMethod.POST) {
                return ApiResponses.json(409, ApiResponses.status(409, "AlreadyExists",
                        "%s \"%s\" already exists".formatted(qualified, name), resource.name(), name));
            }
            return ApiResponses.json(409, ApiResponses.status(409, "Conflict",
                    ("Operation cannot be fulfilled on %s \"%s\": the object has been modified;"
                            + " please apply your changes to the latest version and try again").formatted(qualified, name),
                    resource.name(), name));
        }
        if (code == 202 && method == HttpMethod.PATCH) {
            response.setResponseCode(200);
        }
        if (response.getBody() != null && response.getBody().size() > 0 && response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    private static ObjectNode rootPaths() {
        ObjectNode root = ApiResponses.object();
        ArrayNode paths = root.putArray("paths");
        for (String p : List.of("/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version")) {
            paths.add(p);
        }
        return root;
    }

    /** The stored object at a path, or null. */
    JsonNode getObject(String path) {
        MockResponse response = crud.handleGet(path);
        return response.code() == 200 ? ApiResponses.parse(ApiResponses.bodyText(response)) : null;
    }

    private List<JsonNode> storedCustomResourceDefinitions() {
        JsonNode list = ApiResponses.parse(ApiResponses.bodyText(crud.handleGet(CRD_PATH)));
        List<JsonNode> crds = new ArrayList<>();
        if (list != null) {
            list.path("items").forEach(crds::add);
        }
        return crds;
    }

    private static String body(RecordedRequest request) {
        return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    private static RecordedRequest request(HttpMethod method, String path, String contentType, String body) {
        Headers.Builder headers = Headers.builder();
        if (contentType != null) {
            headers.add("Content-Type", contentType);
        }
        return new RecordedRequest("HTTP/1.1", method, path, headers.build(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }
}
