package io.k9p.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The discovery documents of the API server ({@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/GROUP}, {@code /apis/GROUP/VERSION}) and the catalogue behind them: the built-in
 * resources listed in {@code api-resources.txt}, and the custom resources of the
 * CustomResourceDefinitions stored at the moment of asking.
 */
final class DiscoveryDocuments {
    private static final String TABLE = "api-resources.txt";
    private static final List<String> CRUD_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

    /** Where a resource keeps its replica counts, as a CRD's {@code subresources.scale} says. */
    record ScalePaths(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {
        /** Deployments, StatefulSets, ReplicaSets and ReplicationControllers. */
        static final ScalePaths BUILT_IN = new ScalePaths(".spec.replicas", ".status.replicas", null);
    }

    /** One resource (never a subresource) of one group version. */
    record ApiResource(String group, String version, String name, String singularName, List<String> shortNames,
            boolean namespaced, String kind, List<String> verbs, List<String> categories,
            Map<String, List<String>> subresources, ScalePaths scale) {

        String groupVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        boolean hasSubresource(String subresource) {
            return subresources.containsKey(subresource);
        }
    }

    private final List<ApiResource> builtIn;
    private final Supplier<List<JsonNode>> customResourceDefinitions;

    /**
     * @param customResourceDefinitions the stored CustomResourceDefinitions, asked for each time a
     *        document or a lookup needs custom resources
     */
    DiscoveryDocuments(Supplier<List<JsonNode>> customResourceDefinitions) {
        this.builtIn = readTable();
        this.customResourceDefinitions = customResourceDefinitions;
    }

    /** The built-in or custom resource named by a group, version and plural. */
    Optional<ApiResource> find(String group, String version, String plural) {
        Optional<ApiResource> found = builtIn.stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version) && r.name().equals(plural))
                .findFirst();
        if (found.isPresent() || group.isEmpty()) {
            return found;
        }
        return customResources().stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version) && r.name().equals(plural))
                .findFirst();
    }

    /** {@code /api}: the core group's versions. */
    ObjectNode apiVersions() {
        ObjectNode versions = ApiResponses.object();
        versions.put("kind", "APIVersions");
        versions.putArray("versions").add("v1");
        ObjectNode address = versions.putArray("serverAddressByClientCIDRs").addObject();
        address.put("clientCIDR", "0.0.0.0/0");
        address.put("serverAddress", "127.0.0.1:6443");
        return versions;
    }

    /** {@code /apis}: every named group, custom ones included. */
    ObjectNode groupList() {
        ObjectNode list = ApiResponses.object();
        list.put("kind", "APIGroupList");
        list.put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        groupVersions().forEach((group, versions) -> groups.add(group(group, versions)));
        return list;
    }

    /** {@code /apis/GROUP}. */
    Optional<ObjectNode> group(String group) {
        List<String> versions = groupVersions().get(group);
        if (versions == null) {
            return Optional.empty();
        }
        ObjectNode document = group(group, versions);
        document.put("kind", "APIGroup");
        document.put("apiVersion", "v1");
        return Optional.of(document);
    }

    /** {@code /api/v1} (group "") or {@code /apis/GROUP/VERSION}. */
    Optional<ObjectNode> resourceList(String group, String version) {
        List<ApiResource> resources = allResources().stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version))
                .toList();
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode list = ApiResponses.object();
        list.put("kind", "APIResourceList");
        list.put("apiVersion", "v1");
        list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode entries = list.putArray("resources");
        for (ApiResource resource : resources) {
            ObjectNode entry = entries.addObject();
            entry.put("name", resource.name());
            entry.put("singularName", resource.singularName());
            entry.put("namespaced", resource.namespaced());
            entry.put("kind", resource.kind());
            strings(entry.putArray("verbs"), resource.verbs());
            if (!resource.shortNames().isEmpty()) {
                strings(entry.putArray("shortNames"), resource.shortNames());
            }
            if (!resource.categories().isEmpty()) {
                strings(entry.putArray("categories"), resource.categories());
            }
            resource.subresources().forEach((subresource, verbs) -> {
                ObjectNode sub = entries.addObject();
                sub.put("name", resource.name() + "/" + subresource);
                sub.put("singularName", "");
                sub.put("namespaced", resource.namespaced());
                if (subresource.equals("scale")) {
                    sub.put("group", "autoscaling");
                    sub.put("version", "v1");
                    sub.put("kind", "Scale");
                } else {
                    sub.put("kind", resource.kind());
                }
                strings(sub.putArray("verbs"), verbs);
            });
        }
        return Optional.of(list);
    }

    /**
     * {@code /openapi/v3}: an entry for every group version. Its documents ({@link #openApi}) have no
     * schemas; they only tell kubectl that the server takes {@code fieldValidation}, which makes
     * kubectl leave validation to the server (which does none) instead of wanting OpenAPI v2.
     */
    ObjectNode openApiRoot() {
        ObjectNode root = ApiResponses.object();
        ObjectNode paths = root.putObject("paths");
        Set<String> seen = new LinkedHashSet<>();
        for (ApiResource resource : allResources()) {
            String key = resource.group().isEmpty() ? "api/" + resource.version()
                    : "apis/" + resource.group() + "/" + resource.version();
            if (seen.add(key)) {
                String hash = Integer.toHexString(ApiResponses.write(
                        openApi(resource.group(), resource.version()).orElseThrow()).hashCode());
                paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash);
            }
        }
        return root;
    }

    /** {@code /openapi/v3/api/v1} or {@code /openapi/v3/apis/GROUP/VERSION}: see {@link #openApiRoot}. */
    Optional<ObjectNode> openApi(String group, String version) {
        List<ApiResource> resources = allResources().stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version))
                .toList();
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode document = ApiResponses.object();
        document.put("openapi", "3.0.0");
        ObjectNode info = document.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", ApiServer.KUBERNETES_VERSION);
        ObjectNode paths = document.putObject("paths");
        String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        for (ApiResource resource : resources) {
            String collection = prefix + (resource.namespaced() ? "/namespaces/{namespace}/" : "/") + resource.name();
            ObjectNode item = paths.putObject(collection + "/{name}");
            for (String method : List.of("put", "patch")) {
                operation(item.putObject(method), resource);
            }
            operation(paths.putObject(collection).putObject("post"), resource);
        }
        document.putObject("components").putObject("schemas");
        return Optional.of(document);
    }

    private static void operation(ObjectNode operation, ApiResource resource) {
        ObjectNode gvk = operation.putObject("x-kubernetes-group-version-kind");
        gvk.put("group", resource.group());
        gvk.put("version", resource.version());
        gvk.put("kind", resource.kind());
        ObjectNode parameter = operation.putArray("parameters").addObject();
        parameter.put("name", "fieldValidation");
        parameter.put("in", "query");
        parameter.putObject("schema").put("type", "string");
        operation.putObject("responses");
    }

    private static ObjectNode group(String name, List<String> versions) {
        ObjectNode group = ApiResponses.object();
        group.put("name", name);
        ArrayNode list = group.putArray("versions");
        for (String version : versions) {
            ObjectNode entry = list.addObject();
            entry.put("groupVersion", name + "/" + version);
            entry.put("version", version);
        }
        ObjectNode preferred = group.putObject("preferredVersion");
        preferred.put("groupVersion", name + "/" + versions.get(0));
        preferred.put("version", versions.get(0));
        return group;
    }

    /** Named groups in order, each with its versions, the preferred one first. */
    private Map<String, List<String>> groupVersions() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (ApiResource resource : builtIn) {
            if (!resource.group().isEmpty()) {
                List<String> versions = groups.computeIfAbsent(resource.group(), g -> new ArrayList<>());
                if (!versions.contains(resource.version())) {
                    versions.add(resource.version());
                }
            }
        }
        Map<String, Set<String>> custom = new LinkedHashMap<>();
        for (ApiResource resource : customResources()) {
            if (!groups.containsKey(resource.group())) {
                custom.computeIfAbsent(resource.group(), g -> new LinkedHashSet<>()).add(resource.version());
            }
        }
        custom.forEach((group, versions) -> groups.put(group,
                versions.stream().sorted(DiscoveryDocuments::compareVersionPriority).toList()));
        return groups;
    }

    /** Every built-in and custom resource. */
    List<ApiResource> all() {
        return allResources();
    }

    private List<ApiResource> allResources() {
        List<ApiResource> all = new ArrayList<>(builtIn);
        all.addAll(customResources());
        return all;
    }

    /** The served versions of the stored CustomResourceDefinitions, one resource each. */
    List<ApiResource> customResources() {
        List<ApiResource> resources = new ArrayList<>();
        for (JsonNode crd : customResourceDefinitions.get()) {
            if (crd.path("metadata").has("deletionTimestamp")) {
                continue;
            }
            JsonNode spec = crd.path("spec");
            JsonNode names = spec.path("names");
            String group = spec.path("group").asString("");
            String plural = names.path("plural").asString("");
            if (group.isEmpty() || plural.isEmpty()) {
                continue;
            }
            for (JsonNode version : spec.path("versions")) {
                if (!version.path("served").asBoolean(true)) {
                    continue;
                }
                Map<String, List<String>> subresources = new LinkedHashMap<>();
                JsonNode declared = version.path("subresources");
                ScalePaths scale = null;
                if (declared.has("scale")) {
                    JsonNode s = declared.path("scale");
                    scale = new ScalePaths(s.path("specReplicasPath").asString(".spec.replicas"),
                            s.path("statusReplicasPath").asString(".status.replicas"),
                            s.path("labelSelectorPath").asString(null));
                    subresources.put("scale", SUBRESOURCE_VERBS);
                }
                if (declared.has("status")) {
                    subresources.put("status", SUBRESOURCE_VERBS);
                }
                resources.add(new ApiResource(group, version.path("name").asString(""), plural,
                        names.path("singular").asString(plural.toLowerCase()),
                        strings(names.path("shortNames")),
                        !"Cluster".equals(spec.path("scope").asString("Namespaced")),
                        names.path("kind").asString(""), CRUD_VERBS, strings(names.path("categories")),
                        subresources, scale));
            }
        }
        return resources;
    }

    private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    /** Kubernetes' version priority: GA before beta before alpha, higher numbers first, others last. */
    static int compareVersionPriority(String a, String b) {
        return Comparator.comparing(DiscoveryDocuments::priorityKey).compare(a, b);
    }

    private static String priorityKey(String version) {
        Matcher m = KUBE_VERSION.matcher(version);
        if (!m.matches()) {
            return "9" + version;
        }
        int stability = m.group(2) == null ? 0 : m.group(2).equals("beta") ? 1 : 2;
        long major = Long.parseLong(m.group(1));
        long minor = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        return "%d%010d%010d".formatted(stability, 9_999_999_999L - major, 9_999_999_999L - minor);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asString()));
        return List.copyOf(values);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static List<ApiResource> readTable() {
        List<ApiResource> resources = new ArrayList<>();
        Map<String, Map<String, List<String>>> subresources = new LinkedHashMap<>();
        try (InputStream in = DiscoveryDocuments.class.getResourceAsStream(TABLE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TABLE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\s+");
                if (f.length != 8) {
                    throw new IllegalStateException(TABLE + ":" + number + ": expected 8 columns: " + line);
                }
                String groupVersion = f[0];
                int slash = groupVersion.indexOf('/');
                String group = slash < 0 ? "" : groupVersion.substring(0, slash);
                String version = groupVersion.substring(slash + 1);
                List<String> verbs = f[6].equals("crud") ? CRUD_VERBS : list(f[6]);
                int sub = f[1].indexOf('/');
                if (sub >= 0) {
                    subresources.computeIfAbsent(groupVersion + " " + f[1].substring(0, sub),
                            k -> new LinkedHashMap<>()).put(f[1].substring(sub + 1), verbs);
                    continue;
                }
                resources.add(new ApiResource(group, version, f[1], f[2].equals("-") ? "" : f[2], list(f[3]),
                        Boolean.parseBoolean(f[4]), f[5], verbs, list(f[7]), Map.of(), null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ApiResource> complete = new ArrayList<>();
        for (ApiResource r : resources) {
            Map<String, List<String>> subs = subresources.getOrDefault(r.groupVersion() + " " + r.name(), Map.of());
            complete.add(new ApiResource(r.group(), r.version(), r.name(), r.singularName(), r.shortNames(),
                    r.namespaced(), r.kind(), r.verbs(), r.categories(), Collections.unmodifiableMap(subs),
                    subs.containsKey("scale") ? ScalePaths.BUILT_IN : null));
        }
        return List.copyOf(complete);
    }

    private static List<String> list(String column) {
        return column.equals("-") ? List.of() : Arrays.asList(column.split(","));
    }
}
