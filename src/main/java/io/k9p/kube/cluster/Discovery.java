package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.fs.Waiting;
import io.k9p.fs.FsException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The types the API server offers, from its discovery documents: the core group, then every group
 * at its preferred version, in the server's order. Fetched again when the CRDs change (seen through
 * their watch, so a CRD created while mounted appears at once), when a name is not found (at most
 * every second), and otherwise every five minutes.
 */
public final class Discovery {
    private static final System.Logger LOG = System.getLogger(Discovery.class.getName());
    private static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    private record Snapshot(Map<String, ResourceType> byDirectory, long fetchedAt, String crds) {}

    /** Names the current set of CRDs and their versions, or null when they cannot be watched. */
    interface CrdSignature {
        String get();
    }

    private final KubernetesClient client;
    private final CrdSignature crds;
    private volatile Snapshot snapshot;

    Discovery(KubernetesClient client, CrdSignature crds) {
        this.client = client;
        this.crds = crds;
    }

    /** The types of one scope, by directory name, in discovery order. */
    public List<ResourceType> types(boolean namespaced) throws FsException {
        return current(MAX_AGE).byDirectory.values().stream()
                .filter(type -> type.namespaced() == namespaced)
                .toList();
    }

    public Optional<ResourceType> find(String directoryName, boolean namespaced) throws FsException {
        ResourceType type = current(MAX_AGE).byDirectory.get(directoryName);
        if (type == null) {
            type = current(MIN_INTERVAL).byDirectory.get(directoryName);
        }
        return Optional.ofNullable(type).filter(t -> t.namespaced() == namespaced);
    }

    private Snapshot current(Duration maxAge) throws FsException {
        String crdsNow = crds.get();
        Snapshot known = snapshot;
        if (fresh(known, maxAge, crdsNow)) {
            return known;
        }
        Waiting.mayWait();
        synchronized (this) {
            known = snapshot;
            if (!fresh(known, maxAge, crdsNow)) {
                known = fetch(crdsNow);
                snapshot = known;
            }
            return known;
        }
    }

    private static boolean fresh(Snapshot known, Duration maxAge, String crdsNow) {
        return known != null
                && System.nanoTime() - known.fetchedAt < maxAge.toNanos()
                && java.util.Objects.equals(known.crds, crdsNow);
    }

    private Snapshot fetch(String crdsNow) throws FsException {
        Map<String, ResourceType> byDirectory = new LinkedHashMap<>();
        Set<String> plurals = new HashSet<>();
        addGroup(byDirectory, plurals, "", "v1");
        List<APIGroup> groups;
        try {
            groups = client.getApiGroups().getGroups();
        } catch (RuntimeException e) {
            throw Errors.of("discovery", e);
        }
        for (APIGroup group : groups) {
            String groupVersion = group.getPreferredVersion() != null
                    ? group.getPreferredVersion().getGroupVersion()
                    : group.getVersions().get(0).getGroupVersion();
            addGroup(byDirectory, plurals, group.getName(), groupVersion.substring(groupVersion.indexOf('/') + 1));
        }
        return new Snapshot(Map.copyOf(byDirectory), System.nanoTime(), crdsNow);
    }

    private void addGroup(Map<String, ResourceType> byDirectory, Set<String> plurals, String group, String version) {
        APIResourceList resources;
        try {
            resources = client.getApiResources(group.isEmpty() ? version : group + "/" + version);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "discovery of {0}/{1} failed: {2}", group, version, e.getMessage());
            return;
        }
        if (resources == null) {
            return;
        }
        Set<String> subresources = new HashSet<>();
        for (APIResource resource : resources.getResources()) {
            if (resource.getName().contains("/")) {
                subresources.add(resource.getName());
            }
        }
        List<ResourceType> found = new ArrayList<>();
        for (APIResource resource : resources.getResources()) {
            String plural = resource.getName();
            if (plural.contains("/") || resource.getVerbs() == null || !resource.getVerbs().contains("list")) {
                continue;
            }
            boolean scalable = subresources.contains(plural + "/scale");
            boolean hasLog = subresources.contains(plural + "/log");
            String directory = plurals.add(plural) ? plural : plural + "." + group;
            found.add(new ResourceType(group, version, plural, resource.getKind(),
                    Boolean.TRUE.equals(resource.getNamespaced()), scalable, hasLog, directory));
        }
        found.forEach(type -> byDirectory.putIfAbsent(type.directoryName(), type));
    }
}
