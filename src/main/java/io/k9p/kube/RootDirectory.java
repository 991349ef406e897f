package io.k9p.kube;

import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.Errno;
import java.util.List;

/** The root of a cluster's tree: {@code cluster/} for cluster-scoped types, {@code namespaces/}. */
final class RootDirectory extends KubeDirectory {
    RootDirectory(Cluster cluster) {
        super(cluster, "/", "/");
    }

    @Override
    public Node lookup(String name) throws FsException {
        return switch (name) {
            case "cluster" -> new ClusterDirectory(cluster);
            case "namespaces" -> new NamespacesDirectory(cluster);
            default -> throw new FsException(Errno.ENOENT, name + ": not in the root");
        };
    }

    @Override
    public List<Node> list() {
        return List.of(new ClusterDirectory(cluster), new NamespacesDirectory(cluster));
    }
}
