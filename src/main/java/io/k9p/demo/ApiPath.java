package io.k9p.demo;

import java.util.List;
import java.util.Optional;

/**
 * A resource path of the Kubernetes API, taken apart:
 * {@code /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]]} and the same under
 * {@code /apis/GROUP/VERSION}. The core group is the empty string; absent parts are null.
 */
record ApiPath(String group, String version, String namespace, String resource, String name,
        String subresource) {

    /** Subresources of a namespace, which would otherwise read as resources in it. */
    private static final List<String> NAMESPACE_SUBRESOURCES = List.of("status", "finalize");

    /** The path part of a request target (no query), or empty when it is no resource path. */
    static Optional<ApiPath> parse(String path) {
        String[] parts = path.split("/", -1);
        // parts[0] is the empty string before the leading slash
        int at;
        String group;
        String version;
        if (parts.length >= 4 && parts[1].equals("api")) {
            group = "";
            version = parts[2];
            at = 3;
        } else if (parts.length >= 5 && parts[1].equals("apis")) {
            group = parts[2];
            version = parts[3];
            at = 4;
        } else {
            return Optional.empty();
        }
        List<String> rest = List.of(parts).subList(at, parts.length);
        if (rest.stream().anyMatch(String::isEmpty)) {
            return Optional.empty();
        }
        String namespace = null;
        if (rest.size() >= 3 && rest.get(0).equals("namespaces")
                && !NAMESPACE_SUBRESOURCES.contains(rest.get(2))) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty() || rest.size() > 3) {
            return Optional.empty();
        }
        return Optional.of(new ApiPath(group, version, namespace, rest.get(0),
                rest.size() > 1 ? rest.get(1) : null, rest.size() > 2 ? rest.get(2) : null));
    }

    String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The path of the whole object this path names (drops the subresource). */
    String objectPath() {
        StringBuilder path = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + groupVersion());
        if (namespace != null) {
            path.append("/namespaces/").append(namespace);
        }
        path.append('/').append(resource);
        if (name != null) {
            path.append('/').append(name);
        }
        return path.toString();
    }
}
