package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.kube.cluster.Access;
import io.k9p.protocol.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code data/} of a configmap or secret: one file per key, of {@code data} and a configmap's
 * {@code binaryData}, holding the value itself (base64 decoded). A key takes what was written as a
 * whole, like data.yaml: at fsync(2), at close(2), or when a file is renamed onto it; removing one
 * deletes the key, renaming one renames it. Each change is one JSON patch that tests the key's value
 * as its writer read it, so it fails (ESTALE) only when that key changed meanwhile, never because
 * another key, a label or the status did.
 *
 * <p>A file created here is a scratch file, in memory, until it becomes a key: when it is closed
 * after its content was set, still there under a name a key may have, or when it is renamed onto a
 * key's name. So editors' probes (vim's 4913 and .swpx), created and removed without a write, never
 * reach the API server. Tools that write a temporary file, close it and rename it (and vim's swap
 * file, written and closed before it is removed) are known by name, {@link #TOOL_FILE}: those stay
 * scratch files until renamed onto a key. A key renamed to a name that is no key's (an editor's
 * backup, {@code key~}) leaves a scratch copy and the key as it is.
 */
final class DataDirectory extends KubeDirectory {
    /** The characters the API server allows in a configmap or secret key. */
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    /** Tools' files that are closed before they are renamed or removed, each name as strace showed it. */
    private static final Pattern TOOL_FILE = Pattern.compile(String.join("|",
            // vim's swap files (.KEY.swp, .swo, ... .swa, .svz, ...), and nano's lock file .KEY.swp
            "\\..+\\.s[a-w][a-z]",
            // GNU sed -i
            "sed[A-Za-z0-9]{6}",
            // perl -i (since 5.28): XXXXXXXX with the last six replaced by mkstemp
            "XX[A-Za-z0-9]{6}",
            // python's tempfile.mkstemp and NamedTemporaryFile
            "tmp[a-z0-9_]{8}",
            // kakoune's writemethod=replace
            "\\..+\\.kak\\.[A-Za-z0-9]{6}"));

    private final ObjectDirectory owner;
    private final boolean secret;
    private final KeyValues keys;
    private final ScratchFiles scratch;

    DataDirectory(ObjectDirectory owner) {
        super(owner.tree, "data", owner.path("data"));
        this.owner = owner;
        this.secret = owner.type().isCore("secrets");
        this.keys = new KeyValues(secret);
        this.scratch = new ScratchFiles(tree, owner.path("data"));
    }

    /** Whether a file of that name stays a scratch file until it is renamed onto a key's name. */
    static boolean staysScratch(String name) {
        return !KEY.matcher(name).matches() || TOOL_FILE.matcher(name).matches();
    }

    ObjectDirectory owner() {
        return owner;
    }

    /** Whether the identity may change the keys: by a JSON patch, so RBAC's patch verb. */
    private boolean writable() {
        return access.may(Access.Verb.PATCH, owner.type(), owner.namespace());
    }

    @Override
    int permissions() {
        return writable() ? 0755 : 0555;
    }

    @Override
    public Node lookup(String name) throws FsException {
        if (keys.names(owner.current()).contains(name)) {
            return new KeyFile(name);
        }
        Node found = scratch.find(name);
        if (found == null) {
            throw new FsException(Errno.ENOENT, name + ": no such key");
        }
        return pending((File) found);
    }

    @Override
    public List<Node> list() throws FsException {
        List<Node> children = new ArrayList<>();
        Set<String> names = keys.names(owner.current());
        for (String key : names) {
            children.add(new KeyFile(key));
        }
        for (Node file : scratch.list()) {
            if (!names.contains(file.name())) {
                children.add(pending((File) file));
            }
        }
        return children;
    }

    @Override
    public File createFile(String name, int permissions) throws FsException {
        GenericKubernetesResource now = owner.current();
        if (keys.names(now).contains(name)) {
            throw new FsException(Errno.EEXIST, name + " exists");
        }
        File created = scratch.create(name, permissions);
        tree.scratch.remember(created.id(), now);
        return pending(created);
    }

    @Override
    public void remove(String name) throws FsException {
        if (removeScratch(name)) {
            return;
        }
        GenericKubernetesResource now = owner.current();
        KeyValues.Stored stored = keys.stored(now, name);
        if (stored == null) {
            throw new FsException(Errno.ENOENT, name + ": no such key");
        }
        access.deletions().admit(owner.where(), owner.namespace(), "key " + name + " of " + owner.name());
        change(now, List.of(new KeyValues.Change(name, stored, null)));
    }

    @Override
    public void rename(String name, Directory target, String newName) throws FsException {
        if (target.id() != id()) {
            throw new FsException(Errno.EXDEV, "keys move only within " + owner.name() + "/data");
        }
        GenericKubernetesResource now = owner.current();
        Node source = scratch.find(name);
        KeyValues.Stored stored = keys.stored(now, name);
        if (source == null && stored == null) {
            throw new FsException(Errno.ENOENT, name + ": no such key");
        }
        if (name.equals(newName)) {
            return;
        }
        if (staysScratch(newName)) {
            removeScratch(newName);
            if (source == null) {
                scratch.put(newName, keys.bytes(name, stored));
                tree.scratch.remember(scratch.find(newName).id(), now);
            } else {
                scratch.rename(name, newName);
            }
            return;
        }
        if (source != null) {
            GenericKubernetesResource origin = tree.scratch.origin(source.id());
            set(newName, keys.stored(origin == null ? now : origin, newName), scratch.read(name));
            removeScratch(name);
            return;
        }
        change(now, List.of(new KeyValues.Change(name, stored, null),
                new KeyValues.Change(newName, keys.stored(now, newName), keys.bytes(name, stored))));
        removeScratch(newName);
    }

    /** Sets a key from a scratch file of the object's directory renamed into this one. */
    void commit(String key, byte[] value) throws FsException {
        set(key, keys.stored(owner.current(), key), value);
    }

    /** Sets a key that held {@code expected} when its writer read it; a scratch file of its name goes. */
    private void set(String key, KeyValues.Stored expected, byte[] value) throws FsException {
        change(owner.current(), List.of(new KeyValues.Change(key, expected, value)));
        removeScratch(key);
    }

    private void change(GenericKubernetesResource now, List<KeyValues.Change> changes) throws FsException {
        access.writer().patch(owner.where(), owner.type(), now, current -> keys.patch(changes, current));
    }

    private boolean removeScratch(String name) throws FsException {
        Node file = scratch.find(name);
        if (file == null) {
            return false;
        }
        scratch.remove(name);
        tree.scratch.forget(file.id());
        return true;
    }

    private final class KeyFile extends ObjectFile {
        KeyFile(String key) {
            super(DataDirectory.this.owner, key, "data/" + key);
        }

        @Override
        byte[] content() throws FsException {
            return keys.bytes(name(), keys.stored(owner.current(), name()));
        }

        @Override
        int permissions() {
            int readable = secret ? 0400 : 0444;
            return writable() ? readable | 0200 : readable;
        }

        /** A whole value, committed as data.yaml is; each commit is based on the one before it. */
        @Override
        OpenFile openForWriting(OpenFlags flags) throws FsException {
            KeyValues.Stored[] expected = {keys.stored(owner.current(), name())};
            if (expected[0] == null) {
                throw new FsException(Errno.ENOENT, name() + ": no such key");
            }
            return BufferedOpenFile.document(keys.bytes(name(), expected[0]), flags, written -> {
                set(name(), expected[0], written);
                expected[0] = keys.encode(written);
            });
        }
    }

    /**
     * A scratch file made here becomes the key of its name once closed after its content was set (a
     * write, or O_TRUNC: a shell's {@code : > key}), if it is still there and its name may be a key's.
     * Its content is tried once, and the file goes either way: a refusal is reported where it
     * happened.
     */
    private PendingFile pending(File file) {
        return new PendingFile(file, this::becomeKey);
    }

    private void becomeKey(PendingFile file) throws FsException {
        String name = file.name();
        Node current = scratch.find(name);
        if (staysScratch(name) || current == null || current.id() != file.id()) {
            return;
        }
        GenericKubernetesResource origin = tree.scratch.origin(file.id());
        try {
            set(name, origin == null ? null : keys.stored(origin, name), scratch.read(name));
        } finally {
            removeScratch(name);
        }
    }
}
