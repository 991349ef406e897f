package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.k9p.fs.Directory;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.kube.cluster.Access.Verb;
import io.k9p.kube.cluster.NamespaceContents;
import io.k9p.protocol.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /namespaces}: one directory per namespace; mkdir creates one, rmdir deletes one that holds
 * no objects (ENOTEMPTY otherwise, as POSIX says), and {@code .error} says why the last such change
 * failed. A namespace goes with its contents only through its object's {@code ctl}.
 */
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
        if (name.equals(TypeDirectory.ERROR_FILE)) {
            return errorFile();
        }
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
        List<Node> children = new ArrayList<>();
        for (GenericKubernetesResource namespace : cluster.namespaceObjects()) {
            if (all || mayGet(namespace.getMetadata().getName())) {
                children.add(new NamespaceDirectory(tree, namespace.getMetadata().getName()));
            }
        }
        children.add(errorFile());
        return children;
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

    /**
     * Deletes a namespace that holds no objects, as the API server lists them to the identity. One
     * that does, or whose contents the identity may not list, stays: deleting a namespace deletes
     * everything in it, which only its {@code ctl} does.
     */
    @Override
    public void remove(String name) throws FsException {
        if (name.equals(TypeDirectory.ERROR_FILE)) {
            return;
        }
        GenericKubernetesResource namespace = cluster.cache().get(cluster.namespaces(), null, name);
        if (namespace == null) {
            throw new FsException(Errno.ENOENT, name + ": no such namespace");
        }
        String onPurpose = "To delete it with everything in it: echo 'delete " + name + "' > cluster/namespaces/"
                + name + "/" + ControlFile.NAME;
        List<String> held;
        try {
            held = NamespaceContents.sample(access, name);
        } catch (FsException e) {
            throw access.refuse(WHERE, new FsException(e.errno(), "namespace " + name
                    + " not deleted: cannot tell whether it holds objects: " + e.getMessage() + ". " + onPurpose, e));
        }
        if (!held.isEmpty()) {
            throw access.refuse(WHERE, new FsException(Errno.ENOTEMPTY, "namespace " + name
                    + " not deleted: it holds objects (" + some(held) + "); rmdir deletes only an"
                    + " empty namespace. " + onPurpose));
        }
        access.deletions().admitNamespace(WHERE, name);
        access.writer().delete(WHERE, cluster.namespaces(), namespace);
    }

    private KubeFile errorFile() {
        return TypeDirectory.errorFile(tree, WHERE, cluster.namespaces());
    }

    /** The first few, as a refusal names them. */
    private static String some(List<String> objects) {
        int shown = Math.min(objects.size(), 5);
        return String.join(", ", objects.subList(0, shown))
                + (objects.size() > shown ? " and objects of " + (objects.size() - shown) + " more types" : "");
    }
}
