package io.k9p.kube.tree;

import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.kube.ctl.RootCommands;
import io.k9p.protocol.Errno;
import java.util.List;

/**
 * The root of a cluster's tree: {@code cluster/} for cluster-scoped types, {@code namespaces/},
 * and {@code ctl}, the tree's own commands ({@code allow-deletions}).
 */
final class RootDirectory extends KubeDirectory {
    RootDirectory(KubeTree tree) {
        super(tree, "/", "/");
    }

    @Override
    public Node lookup(String name) throws FsException {
        return switch (name) {
            case "cluster" -> new ClusterDirectory(tree);
            case "namespaces" -> new NamespacesDirectory(tree);
            case ControlFile.NAME -> control();
            default -> throw new FsException(Errno.ENOENT, name + ": not in the root");
        };
    }

    @Override
    public List<Node> list() {
        return List.of(new ClusterDirectory(tree), control(), new NamespacesDirectory(tree));
    }

    private ControlFile<RootCommands.Root> control() {
        return new ControlFile<>(tree, "/" + ControlFile.NAME, RootCommands.COMMANDS, () -> new RootCommands.Root(access));
    }
}
