package io.k9p.kube.tree;

import io.k9p.auth.Identity;
import io.k9p.fs.Directory;
import io.k9p.fs.NodeIds;
import io.k9p.kube.cluster.Access;
import io.k9p.kube.cluster.Cluster;
import java.time.Instant;

/**
 * One identity's tree of one context: the {@link Access} it acts with and the {@link Cluster}
 * behind it, and what the tree keeps of its own: editors' scratch files. The node ids, the
 * renderings of objects and the time it started (of the directories and files that have none of
 * their own) are the context's, shared with every other identity's tree, so a path is the same
 * node whoever looks.
 */
public final class KubeTree {
    final Cluster cluster;
    final Access access;
    final Scratch scratch = new Scratch();
    final Renderings renderings;
    final Instant started;
    private final NodeIds ids;

    /** The owner's tree of a context. */
    public KubeTree(Cluster cluster, NodeIds ids) {
        this(cluster.access(Identity.OWNER), ids, new Renderings(cluster), Instant.now());
    }

    private KubeTree(Access access, NodeIds ids, Renderings renderings, Instant started) {
        this.cluster = access.cluster();
        this.access = access;
        this.ids = ids;
        this.renderings = renderings;
        this.started = started;
    }

    /** The same context's tree for another identity. */
    public KubeTree as(Access other) {
        if (other.cluster() != cluster) {
            throw new IllegalArgumentException("an access to another cluster");
        }
        return new KubeTree(other, ids, renderings, started);
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
