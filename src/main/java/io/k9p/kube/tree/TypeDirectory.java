package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.kube.cluster.Access.Verb;
import io.k9p.kube.cluster.ResourceType;
import io.k9p.protocol.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <type>/}: one directory per object. A YAML (or JSON) file written into it creates the
 * object when closed (or synced) or renamed into place; rmdir of an object's directory deletes a
 * namespaced object, as the burst stop of {@link io.k9p.kube.cluster.DeletionGuard} allows, and
 * never a cluster-scoped one (EPERM; its {@code ctl} deletes it).
 * Files it cannot take stay here, beside {@code .error}, which says why, and says too since when
 * and why the type's objects are not current, when they are not. Its {@code watch} file
 * streams the type's changes; like every file that never ends, it is found by name but not
 * listed, so recursive tools (grep -r, find, du) never wait on it. It hides an object that happens
 * to be named watch.
 */
final class TypeDirectory extends KubeDirectory {
    static final String ERROR_FILE = ".error";

    private final ResourceType type;
    private final String namespace;
    private final String where;
    private final ScratchFiles scratch;

    TypeDirectory(KubeTree tree, ResourceType type, String namespace) {
        super(tree, type.directoryName(), key(type, namespace));
        this.type = type;
        this.namespace = namespace;
        this.where = key(type, namespace);
        this.scratch = new ScratchFiles(tree, where);
    }

    private static String key(ResourceType type, String namespace) {
        return (namespace == null ? "/cluster/" : "/namespaces/" + namespace + "/") + type.directoryName();
    }

    /** Writable where the identity may create objects of the type here. */
    @Override
    int permissions() {
        return access.may(Verb.CREATE, type, namespace) ? 0755 : 0555;
    }

    @Override
    public Node lookup(String name) throws FsException {
        if (name.equals(ERROR_FILE)) {
            return errorFile();
        }
        if (name.equals(WatchFiles.WATCH)) {
            return WatchFiles.ofType(tree, type, namespace, where);
        }
        Node pending = scratch.find(name);
        if (pending != null) {
            return pending((File) pending);
        }
        access.check(where, Verb.GET, type, namespace);
        GenericKubernetesResource object = cluster.cache().get(type, namespace, name);
        if (object == null) {
            throw new FsException(Errno.ENOENT, name + ": no such " + type.kind());
        }
        return new ObjectDirectory(tree, type, object);
    }

    @Override
    public List<Node> list() throws FsException {
        access.check(where, Verb.LIST, type, namespace);
        List<Node> children = new ArrayList<>();
        for (GenericKubernetesResource object : cluster.cache().list(type, namespace)) {
            children.add(new ObjectDirectory(tree, type, object));
        }
        for (Node pending : scratch.list()) {
            children.add(pending((File) pending));
        }
        children.add(errorFile());
        return children;
    }

    @Override
    public File createFile(String name, int permissions) throws FsException {
        access.check(where, Verb.CREATE, type, namespace);
        if (name.equals(ERROR_FILE) || name.equals(WatchFiles.WATCH) || cluster.cache().get(type, namespace, name) != null) {
            throw new FsException(Errno.EEXIST, name + " exists");
        }
        return pending(scratch.create(name, permissions));
    }

    @Override
    public void remove(String name) throws FsException {
        if (name.equals(ERROR_FILE) || name.equals(WatchFiles.WATCH) || scratch.remove(name)) {
            return;
        }
        GenericKubernetesResource object = cluster.cache().get(type, namespace, name);
        if (object == null) {
            throw new FsException(Errno.ENOENT, name + ": no such " + type.kind());
        }
        if (namespace == null) {
            throw access.refuse(where, new FsException(Errno.EPERM, type.kind() + " " + name
                    + " not deleted: rmdir and rm -r never delete a cluster-scoped object. Delete it on purpose with: "
                    + onPurpose(name)));
        }
        access.deletions().admit(where, namespace, type.kind() + " " + name);
        access.writer().delete(ObjectDirectory.key(object), type, object);
    }

    /** The explicit way to delete a cluster-scoped object, as a refused rmdir names it. */
    private String onPurpose(String name) {
        String ctl = "echo 'delete " + name + "' > cluster/" + type.directoryName() + "/" + name + "/" + ControlFile.NAME;
        return type.isCore("namespaces")
                ? ctl + " (the namespace with everything in it), or, once it holds nothing, rmdir namespaces/" + name
                : ctl;
    }

    /** Renaming a scratch file to a YAML name creates the object, as editors save a new file. */
    @Override
    public void rename(String name, Directory target, String newName) throws FsException {
        if (target.id() != id()) {
            throw new FsException(Errno.EXDEV, "files move only within " + name());
        }
        if (!scratch.rename(name, newName)) {
            throw new FsException(Errno.EACCES, "objects are renamed by writing a new one");
        }
        if (createsObject(newName)) {
            commit(newName);
        }
    }

    private static boolean createsObject(String name) {
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** Creates the object from a scratch file; the file goes once the object exists. */
    private void commit(String name) throws FsException {
        GenericKubernetesResource object;
        try {
            object = access.writer().parse(scratch.read(name));
        } catch (FsException e) {
            throw access.fail(where, e);
        }
        access.writer().create(where, type, namespace, object);
        scratch.remove(name);
    }

    private KubeFile errorFile() {
        return errorFile(tree, where, type);
    }

    /**
     * {@code .error} of a directory: the last failed change or refusal recorded at {@code where},
     * and since when and why the cache of the objects listed there ({@code type}'s) is not current.
     */
    static KubeFile errorFile(KubeTree tree, String where, ResourceType type) {
        return new KubeFile(tree, ERROR_FILE, where + "/" + ERROR_FILE) {
            @Override
            byte[] content() {
                return (access.lastError(where) + cluster.cache().staleness(type))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
        };
    }

    /**
     * A file written into the type directory creates the object once closed after its content was
     * set, when its name ends in .yaml, .yml or .json; other names (swap files, temp files) stay.
     */
    private PendingFile pending(File file) {
        return new PendingFile(file, written -> {
            if (createsObject(written.name()) && scratch.find(written.name()) != null) {
                commit(written.name());
            }
        });
    }
}
