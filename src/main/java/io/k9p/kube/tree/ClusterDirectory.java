package io.k9p.kube.tree;

import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.Errno;
import java.util.List;

/** {@code /cluster}: one directory per cluster-scoped type that discovery lists. */
final class ClusterDirectory extends KubeDirectory {
    ClusterDirectory(KubeTree tree) {
        super(tree, "cluster", "/cluster");
    }

    @Override
    public Node lookup(String name) throws FsException {
        return cluster.discovery().find(name, false)
                .map(type -> (Node) new TypeDirectory(tree, type, null))
                .orElseThrow(() -> new FsException(Errno.ENOENT, name + ": no such cluster-scoped type"));
    }

    @Override
    public List<Node> list() throws FsException {
        return cluster.discovery().types(false).stream()
                .map(type -> (Node) new TypeDirectory(tree, type, null))
                .toList();
    }
}
