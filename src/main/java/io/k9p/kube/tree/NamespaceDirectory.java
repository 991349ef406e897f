package io.k9p.kube.tree;

import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.protocol.Errno;
import java.util.List;

/**
 * {@code /namespaces/<namespace>}: one directory per namespaced type that discovery lists, and the
 * namespace's stream files {@code watch} (every change) and {@code events.follow}, found by name
 * but not listed, so that recursive tools never wait on them.
 */
final class NamespaceDirectory extends KubeDirectory {
    private final String namespace;

    NamespaceDirectory(KubeTree tree, String namespace) {
        super(tree, namespace, "/namespaces/" + namespace);
        this.namespace = namespace;
    }

    @Override
    public Node lookup(String name) throws FsException {
        if (name.equals(WatchFiles.WATCH)) {
            return WatchFiles.ofNamespace(tree, namespace);
        }
        if (name.equals(WatchFiles.EVENTS)) {
            return WatchFiles.ofEvents(tree, namespace);
        }
        return cluster.discovery().find(name, true)
                .map(type -> (Node) new TypeDirectory(tree, type, namespace))
                .orElseThrow(() -> new FsException(Errno.ENOENT, name + ": no such namespaced type"));
    }

    @Override
    public List<Node> list() throws FsException {
        return cluster.discovery().types(true).stream()
                .map(type -> (Node) new TypeDirectory(tree, type, namespace))
                .toList();
    }
}
