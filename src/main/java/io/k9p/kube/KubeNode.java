package io.k9p.kube;

/** Identity of the tree's nodes: a name, and an id from the cluster's node ids. */
abstract class KubeNode {
    final Cluster cluster;
    private final String name;
    private final long id;

    KubeNode(Cluster cluster, String name, String key) {
        this.cluster = cluster;
        this.name = name;
        this.id = cluster.id(key);
    }

    public final long id() {
        return id;
    }

    public final String name() {
        return name;
    }
}
