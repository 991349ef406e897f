package io.k9p.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * The names of an API server's nodes, namespaces and CRDs, sorted: what a test compares before and
 * after something that must delete none of them.
 */
public record ClusterScoped(List<String> nodes, List<String> namespaces, List<String> crds) {
    public static ClusterScoped of(KubernetesClient kube) {
        return new ClusterScoped(names(kube.nodes().list().getItems()), names(kube.namespaces().list().getItems()),
                names(kube.apiextensions().v1().customResourceDefinitions().list().getItems()));
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(object -> object.getMetadata().getName()).sorted().toList();
    }
}
