package io.k9p.kube.tree;

import io.k9p.fs.Attributes;
import io.k9p.fs.Directory;
import java.time.Instant;

/** What the tree's directories share: identity from the cluster's node ids, read-only by default. */
abstract class KubeDirectory extends KubeNode implements Directory {
    KubeDirectory(KubeTree tree, String name, String key) {
        super(tree, name, key);
    }

    @Override
    public Attributes attributes() {
        return new Attributes(permissions(), 0, modified(), 0);
    }

    int permissions() {
        return 0555;
    }

    Instant modified() {
        return tree.started;
    }
}
