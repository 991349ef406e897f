package io.k9p.kube.tree;

import io.k9p.fs.Directory;
import io.k9p.kube.cluster.Cluster;
import io.k9p.fs.NodeIds;
import java.time.Instant;

/**
 * One context's tree, shared by every attach that names it: the {@link Cluster} it shows, and what
 * the tree keeps of its own: node ids, editors' scratch files, the renderings of objects, and the
 * time it started (the time of the directories and files that have none of their own).
 */
public final class KubeTree {
    final Cluster cluster;
    final Scratch scratch = new Scratch();
    final Renderings renderings;
    final Instant started = Instant.now();
    private final NodeIds ids;

    public KubeTree(Cluster cluster, NodeIds ids) {
        this.cluster = cluster;
        this.ids = ids;
        this.renderings = new Renderings(cluster);
    }

    /** The stable id of a node, by a key that names what it shows. */
    long id(String key) {
        return ids.of(cluster.context() + "|" + key);
    }

    /** The root an attach starts from. */
    public Directory root() {
        return new RootDirectory(this);
    }
}
