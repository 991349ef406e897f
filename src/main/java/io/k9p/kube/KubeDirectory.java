package io.k9p.kube;

import io.k9p.fs.Attributes;
import io.k9p.fs.Directory;
import java.time.Instant;

/** What the tree's directories share: identity from the cluster's node ids, read-only by default. */
abstract class KubeDirectory implements Directory {
    final Cluster cluster;
    private final String name;
    private final long id;

    KubeDirectory(Cluster cluster, String name, String key) {
        this.cluster = cluster;
        this.name = name;
        this.id = cluster.id(key);
    }

    @Override
    public final long id() {
        return id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public Attributes attributes() {
        return new Attributes(permissions(), 0, modified(), 0);
    }

    int permissions() {
        return 0555;
    }

    Instant modified() {
        return cluster.started;
    }
}
