package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code data/} of a configmap or secret: one file per key holding the value itself (secrets
 * decoded). Writing a file updates that key alone, sent with the resourceVersion seen at open;
 * creating a file adds the key, empty until written; removing one deletes it, renaming one renames
 * the key.
 *
 * <p>Editors and tools make temporary files beside the file they change (vim's swap file, backup
 * and {@code 4913} probe, sed's temp file). Those names stay in memory as scratch files and never
 * become keys; a scratch file renamed onto a key sets it (sed -i, editors' save), and a key renamed
 * to a scratch name (an editor's backup) leaves a copy and the key as it is.
 */
final class DataDirectory extends KubeDirectory {
    /** The characters the API server allows in a configmap or secret key. */
    private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    /**
     * vim's swap files (.key.swp, then .key.swo down to .key.swa, then .key.svz, ...) and its probe
     * whether long names work (.key.swx), and sed's temp file (sedXXXXXX).
     */
    private static final Pattern TOOL_FILE = Pattern.compile("\\..+\\.s[a-w][a-z]|sed[a-zA-Z0-9]{6}");
    /** vim's probe whether it may create files here: 4913, then 4913 + 123 * n while that exists. */
    private static final int VIM_PROBE = 4913;
    private static final int VIM_PROBE_STEP = 123;

    private final ObjectDirectory owner;
    private final boolean secret;
    private final ScratchFiles scratch;

    DataDirectory(ObjectDirectory owner) {
        super(owner.tree, "data", owner.path("data"));
        this.owner = owner;
        this.secret = owner.type().isCore("secrets");
        this.scratch = new ScratchFiles(tree, owner.path("data"));
    }

    /** Whether a name is a tool's temporary file rather than a key. */
    static boolean isScratchName(String name) {
        if (!KEY.matcher(name).matches() || TOOL_FILE.matcher(name).matches()) {
            return true;
        }
        if (name.length() > 5 || !name.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int number = Integer.parseInt(name);
        return number >= VIM_PROBE && (number - VIM_PROBE) % VIM_PROBE_STEP == 0;
    }

    ObjectDirectory owner() {
        return owner;
    }

    @Override
    int permissions() {
        return owner.writable() ? 0755 : 0555;
    }

    @Override
    public Node lookup(String name) throws FsException {
        if (ObjectDirectory.data(owner.current()).containsKey(name)) {
            return new KeyFile(name);
        }
        Node found = scratch.find(name);
        if (found == null) {
            throw new FsException(Errno.ENOENT, name + ": no such key");
        }
        return found;
    }

    @Override
    public List<Node> list() throws FsException {
        List<Node> children = new ArrayList<>();
        for (String key : ObjectDirectory.data(owner.current()).keySet()) {
            children.add(new KeyFile(key));
        }
        children.addAll(scratch.list());
        return children;
    }

    @Override
    public File createFile(String name, int permissions) throws FsException {
        if (ObjectDirectory.data(owner.current()).containsKey(name)) {
            throw new FsException(Errno.EEXIST, name + " exists");
        }
        if (isScratchName(name)) {
            return scratch.create(name, permissions);
        }
        // The key exists from now on, empty until written: a client looks a new file up right after creating it.
        commit(name, new byte[0]);
        return new KeyFile(name);
    }

    @Override
    public void remove(String name) throws FsException {
        if (scratch.remove(name)) {
            return;
        }
        GenericKubernetesResource seen = owner.current();
        if (!ObjectDirectory.data(seen).containsKey(name)) {
            throw new FsException(Errno.ENOENT, name + ": no such key");
        }
        access.deletions().admit(owner.where(), owner.namespace(), "key " + name + " of " + owner.name());
        change(seen, Map.of(name, Optional.empty()));
    }

    @Override
    public void rename(String name, io.k9p.fs.Directory target, String newName) throws FsException {
        if (target.id() != id()) {
            throw new FsException(Errno.EXDEV, "keys move only within " + owner.name() + "/data");
        }
        GenericKubernetesResource seen = owner.current();
        boolean fromScratch = scratch.find(name) != null;
        if (!fromScratch && !ObjectDirectory.data(seen).containsKey(name)) {
            throw new FsException(Errno.ENOENT, name + ": no such key");
        }
        if (isScratchName(newName)) {
            if (!scratch.rename(name, newName)) {
                scratch.put(newName, value(seen, name));
            }
            return;
        }
        if (fromScratch) {
            commit(newName, scratch.read(name));
            scratch.remove(name);
            return;
        }
        if (name.equals(newName)) {
            return;
        }
        change(seen, Map.of(newName, Optional.of(value(seen, name)), name, Optional.empty()));
    }

    /** Sets a key from a scratch file renamed into this directory. */
    void commit(String key, byte[] value) throws FsException {
        change(owner.current(), Map.of(key, Optional.of(value)));
    }

    /** One update of the object as seen: keys set to new values, or removed where the value is empty. */
    private void change(GenericKubernetesResource seen, Map<String, Optional<byte[]>> changes) throws FsException {
        access.writer().edit(owner.where(), owner.type(), seen, object -> withData(object, changes));
    }

    private GenericKubernetesResource withData(GenericKubernetesResource object, Map<String, Optional<byte[]>> changes) {
        Map<String, Object> data = new LinkedHashMap<>(ObjectDirectory.data(object));
        changes.forEach((key, value) -> {
            if (value.isEmpty()) {
                data.remove(key);
            } else {
                data.put(key, secret
                        ? Base64.getEncoder().encodeToString(value.get())
                        : new String(value.get(), StandardCharsets.UTF_8));
            }
        });
        object.getAdditionalProperties().put("data", data);
        return object;
    }

    private byte[] value(GenericKubernetesResource object, String key) throws FsException {
        Object value = ObjectDirectory.data(object).get(key);
        if (value == null) {
            return new byte[0];
        }
        if (!secret) {
            return value.toString().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getMimeDecoder().decode(value.toString());
        } catch (IllegalArgumentException e) {
            throw new FsException(Errno.EIO, key + ": secret value is not base64");
        }
    }

    private final class KeyFile extends ObjectFile {
        KeyFile(String key) {
            super(DataDirectory.this.owner, key, "data/" + key);
        }

        @Override
        byte[] content() throws FsException {
            return value(owner.current(), name());
        }

        @Override
        int permissions() {
            int readable = secret ? 0400 : 0444;
            return owner.writable() ? readable | 0200 : readable;
        }

        @Override
        OpenFile openForWriting(OpenFlags flags) throws FsException {
            GenericKubernetesResource seen = owner.current();
            return BufferedOpenFile.control(value(seen, name()), flags,
                    written -> change(seen, Map.of(name(), Optional.of(written))));
        }
    }
}
