package io.k9p.kube.tree;

import io.k9p.kube.cluster.Access;
import io.k9p.kube.cluster.Cluster;

/**
 * Identity of the tree's nodes: a name, and an id from the tree's node ids; the cluster they show,
 * and the access of the identity they are shown to.
 */
abstract class KubeNode {
    final KubeTree tree;
    final Cluster cluster;
    final Access access;
    private final String name;
    private final long id;

    KubeNode(KubeTree tree, String name, String key) {
        this.tree = tree;
        this.cluster = tree.cluster;
        this.access = tree.access;
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
