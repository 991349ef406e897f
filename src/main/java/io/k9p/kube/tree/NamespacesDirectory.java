package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.k9p.fs.Directory;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.kube.cluster.Access.Verb;
import io.k9p.protocol.Errno;
import java.util.List;

/** {@code /namespaces}: one directory per namespace; mkdir creates one, rmdir deletes one. */
final class NamespacesDirectory extends KubeDirectory {
    private static final String WHERE = "/namespaces";

    NamespacesDirectory(KubeTree tree) {
        super(tree, "namespaces", WHERE);
    }

    /** Writable where the identity may create namespaces (mkdir). */
    @Override
    int permissions() {
        return access.may(Verb.CREATE, cluster.namespaces(), null) ? 0755 : 0555;
    }

    @Override
    public Node lookup(String name) throws FsException {
        if (cluster.cache().get(cluster.namespaces(), null, name) == null) {
            throw new FsException(Errno.ENOENT, name + ": no such namespace");
        }
        return new NamespaceDirectory(tree, name);
    }

    /**
     * The namespaces the identity may see: all of them where it may list namespaces, else those it
     * may get by name. It reaches any other by name still, for the objects it may read there.
     */
    @Override
    public List<Node> list() throws FsException {
        boolean all = access.may(Verb.LIST, cluster.namespaces(), null);
        return cluster.namespaceObjects().stream()
                .filter(namespace -> all || mayGet(namespace.getMetadata().getName()))
                .map(namespace -> (Node) new NamespaceDirectory(tree, namespace.getMetadata().getName()))
                .toList();
    }

    /** A namespace is in itself, as the API server's request attributes have it for RBAC. */
    private boolean mayGet(String namespace) {
        return access.may(Verb.GET, "", "namespaces", namespace, namespace);
    }

    @Override
    public Directory createDirectory(String name, int permissions) throws FsException {
        GenericKubernetesResource namespace = new GenericKubernetesResource();
        namespace.setMetadata(new ObjectMetaBuilder().withName(name).build());
        access.writer().create(WHERE, cluster.namespaces(), null, namespace);
        return new NamespaceDirectory(tree, name);
    }

    @Override
    public void remove(String name) throws FsException {
        GenericKubernetesResource namespace = cluster.cache().get(cluster.namespaces(), null, name);
        if (namespace == null) {
            throw new FsException(Errno.ENOENT, name + ": no such namespace");
        }
        access.writer().delete(WHERE, cluster.namespaces(), namespace);
    }
}
