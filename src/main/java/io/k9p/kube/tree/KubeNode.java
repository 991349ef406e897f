package io.k9p.kube.tree;

import io.k9p.kube.cluster.Cluster;

/** Identity of the tree's nodes: a name, and an id from the tree's node ids; and the cluster they show. */
abstract class KubeNode {
    final KubeTree tree;
    final Cluster cluster;
    private final String name;
    private final long id;

    KubeNode(KubeTree tree, String name, String key) {
        this.tree = tree;
        this.cluster = tree.cluster;
        this.name = name;
        this.id = tree.id(key);
    }

    public final long id() {
        return id;
    }

    public final String name() {
        return name;
    }
}
