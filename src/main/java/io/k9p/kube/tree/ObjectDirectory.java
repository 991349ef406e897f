package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.kube.cluster.Access.Verb;
import io.k9p.kube.cluster.ResourceType;
import io.k9p.kube.ctl.ObjectCommands;
import io.k9p.kube.ctl.ObjectCommands.ObjectTarget;
import io.k9p.kube.render.EventLines;
import io.k9p.kube.render.Fields;
import io.k9p.kube.render.StatusSummary;
import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <type>/<name>/}: the files of one object. Editors' scratch files may be created here;
 * renaming one onto {@code data.yaml} or {@code data.json} replaces the object (sed -i), and removing one of the
 * object's own files succeeds and deletes nothing, so that {@code rm -r} reaches the rmdir that
 * deletes the object. Its {@code ctl} takes the commands that name the object on purpose.
 */
final class ObjectDirectory extends KubeDirectory {
    /** Pods' never-ending log files: found by name, not listed, so grep -r does not wait on them. */
    static final String FOLLOW = "follow";

    private final ResourceType type;
    private final GenericKubernetesResource object;
    private final String where;
    private final ScratchFiles scratch;

    ObjectDirectory(KubeTree tree, ResourceType type, GenericKubernetesResource object) {
        super(tree, object.getMetadata().getName(), key(object));
        this.type = type;
        this.object = object;
        this.where = key(object);
        this.scratch = new ScratchFiles(tree, where);
    }

    /** Objects are keyed by uid: one recreated under the same name is another object. */
    static String key(GenericKubernetesResource object) {
        return "uid:" + object.getMetadata().getUid();
    }

    /** Writable where the identity may update the object: editors make their scratch files here. */
    @Override
    int permissions() {
        return writable() ? 0755 : 0555;
    }

    /** Whether the identity may change the object, which the write bits of its files say. */
    boolean writable() {
        return access.may(Verb.UPDATE, type, namespace());
    }

    @Override
    Instant modified() {
        return lastChange();
    }

    /** When the object last changed, as its files show it. */
    Instant lastChange() {
        try {
            return Fields.lastChange(current());
        } catch (FsException e) {
            return Fields.lastChange(object);
        }
    }

    /**
     * The object as the cache has it now, or ENOENT once it is gone; EACCES when the identity may
     * no longer read it.
     */
    GenericKubernetesResource current() throws FsException {
        var metadata = object.getMetadata();
        access.check(where, Verb.GET, type, metadata.getNamespace());
        GenericKubernetesResource now = cluster.cache().get(type, metadata.getNamespace(), metadata.getName());
        if (now == null || !java.util.Objects.equals(now.getMetadata().getUid(), metadata.getUid())) {
            throw new FsException(Errno.ENOENT, metadata.getName() + " no longer exists");
        }
        return now;
    }

    @Override
    public Node lookup(String name) throws FsException {
        if (type.hasLog() && name.equals(FOLLOW)) {
            return LogsDirectory.followers(this);
        }
        for (Node file : files()) {
            if (file.name().equals(name)) {
                return file;
            }
        }
        Node found = scratch.find(name);
        if (found == null) {
            throw new FsException(Errno.ENOENT, name + ": no such file");
        }
        return found;
    }

    @Override
    public List<Node> list() throws FsException {
        List<Node> children = new ArrayList<>(files());
        children.addAll(scratch.list());
        return children;
    }

    private List<Node> files() {
        List<Node> files = new ArrayList<>();
        for (Renderings.Format format : Renderings.Format.values()) {
            files.add(new DocumentFile(this, format));
        }
        files.add(readOnly("status", () -> StatusSummary.of(current(), type.isCore("pods")).getBytes(StandardCharsets.UTF_8)));
        files.add(readOnly("events", () -> {
            access.check(where, Verb.LIST, cluster.events(), namespace());
            return EventLines.of(cluster.eventsInvolving(current()));
        }));
        files.add(readOnly("error", () -> (access.lastError(where) + cluster.cache().staleness(type))
                .getBytes(StandardCharsets.UTF_8)));
        if (type.scalable()) {
            files.add(new ScaleFile(this));
        }
        if (type.hasLog()) {
            files.add(LogsDirectory.snapshots(this));
        }
        if (type.isCore("configmaps") || type.isCore("secrets")) {
            files.add(new DataDirectory(this));
        }
        files.add(new ControlFile<>(tree, path(ControlFile.NAME), ObjectCommands.of(type),
                () -> new ObjectTarget(access, type, current(), where)));
        return files;
    }

    @Override
    public File createFile(String name, int permissions) throws FsException {
        if (name.equals(FOLLOW)) {
            throw new FsException(Errno.EEXIST, name + " exists");
        }
        for (Node file : files()) {
            if (file.name().equals(name)) {
                throw new FsException(Errno.EEXIST, name + " exists");
            }
        }
        return scratch.create(name, permissions);
    }

    @Override
    public void remove(String name) throws FsException {
        if (!scratch.remove(name)) {
            lookup(name);
        }
    }

    /**
     * A scratch file renamed onto data.yaml or data.json (or into data/) is committed there; one of
     * the object's files renamed away (an editor's backup) leaves a scratch copy and the object as
     * it is.
     */
    @Override
    public void rename(String name, Directory target, String newName) throws FsException {
        Node source = lookup(name);
        boolean fromScratch = scratch.find(name) != null;
        if (target instanceof DataDirectory data && data.owner().where().equals(where) && fromScratch) {
            data.commit(newName, scratch.read(name));
            scratch.remove(name);
            return;
        }
        if (target.id() != id()) {
            throw new FsException(Errno.EXDEV, "files move only within " + name());
        }
        Renderings.Format document = Renderings.Format.named(newName);
        if (fromScratch && document != null) {
            new DocumentFile(this, document).commit(scratch.read(name));
            scratch.remove(name);
        } else if (fromScratch) {
            scratch.rename(name, newName);
        } else if (source instanceof KubeFile file) {
            scratch.put(newName, file.content());
        } else {
            throw new FsException(Errno.EACCES, name + " cannot be moved");
        }
    }

    ResourceType type() {
        return type;
    }

    /** The object's namespace; null for a cluster-scoped one. */
    String namespace() {
        return object.getMetadata().getNamespace();
    }

    String where() {
        return where;
    }

    String path(String file) {
        return where + "/" + file;
    }

    private interface Content {
        byte[] get() throws FsException;
    }

    private KubeFile readOnly(String name, Content content) {
        return new ObjectFile(this, name) {
            @Override
            byte[] content() throws FsException {
                return content.get();
            }
        };
    }
}
