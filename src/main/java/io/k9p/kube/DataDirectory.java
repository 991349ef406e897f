package io.k9p.kube;

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

/**
 * {@code data/} of a configmap or secret: one file per key holding the value itself (secrets
 * decoded). Writing a file updates that key alone, sent with the resourceVersion seen at open;
 * creating a file adds a key, removing one deletes it.
 */
final class DataDirectory extends KubeDirectory {
    private final ObjectDirectory owner;
    private final boolean secret;

    DataDirectory(ObjectDirectory owner) {
        super(owner.cluster, "data", owner.path("data"));
        this.owner = owner;
        this.secret = owner.type().isCore("secrets");
    }

    ObjectDirectory owner() {
        return owner;
    }

    @Override
    int permissions() {
        return 0755;
    }

    @Override
    public Node lookup(String name) throws FsException {
        if (!ObjectDirectory.data(owner.current()).containsKey(name)) {
            throw new FsException(Errno.ENOENT, name + ": no such key");
        }
        return new KeyFile(name);
    }

    @Override
    public List<Node> list() throws FsException {
        List<Node> keys = new ArrayList<>();
        for (String key : ObjectDirectory.data(owner.current()).keySet()) {
            keys.add(new KeyFile(key));
        }
        return keys;
    }

    @Override
    public File createFile(String name, int permissions) throws FsException {
        if (ObjectDirectory.data(owner.current()).containsKey(name)) {
            throw new FsException(Errno.EEXIST, name + " exists");
        }
        return new KeyFile(name);
    }

    @Override
    public void remove(String name) throws FsException {
        GenericKubernetesResource seen = owner.current();
        if (!ObjectDirectory.data(seen).containsKey(name)) {
            throw new FsException(Errno.ENOENT, name + ": no such key");
        }
        cluster.writer.edit(owner.where(), owner.type(), seen, object -> withData(object, name, null));
    }

    /** Sets a key from a scratch file renamed into this directory. */
    void commit(String key, byte[] value) throws FsException {
        cluster.writer.edit(owner.where(), owner.type(), owner.current(), object -> withData(object, key, value));
    }

    private GenericKubernetesResource withData(GenericKubernetesResource object, String key, byte[] value) {
        Map<String, Object> data = new LinkedHashMap<>(ObjectDirectory.data(object));
        if (value == null) {
            data.remove(key);
        } else {
            data.put(key, secret
                    ? Base64.getEncoder().encodeToString(value)
                    : new String(value, StandardCharsets.UTF_8));
        }
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

    private final class KeyFile extends KubeFile {
        KeyFile(String key) {
            super(DataDirectory.this.cluster, key, owner.path("data/" + key));
        }

        @Override
        byte[] content() throws FsException {
            return value(owner.current(), name());
        }

        @Override
        int permissions() {
            return secret ? 0600 : 0644;
        }

        @Override
        public OpenFile open(OpenFlags flags) throws FsException {
            if (!flags.write()) {
                return super.open(flags);
            }
            GenericKubernetesResource seen = owner.current();
            return BufferedOpenFile.control(value(seen, name()), flags, written ->
                    cluster.writer.edit(owner.where(), owner.type(), seen, object -> withData(object, name(), written)));
        }
    }
}
