package io.k9p.kube.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One listable type the API server offers, as discovery describes it.
 *
 * @param directoryName the name its directory has: the plural, or {@code plural.group} when
 *     another group serves the same plural and is preferred (kubectl's convention)
 */
public record ResourceType(String group, String version, String plural, String kind, boolean namespaced,
                           boolean scalable, boolean hasLog, String directoryName) {

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public boolean isCore(String plural) {
        return group.isEmpty() && this.plural.equals(plural);
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group)
                .withVersion(version)
                .withPlural(plural)
                .withKind(kind)
                .withNamespaced(namespaced)
                .build();
    }
}
