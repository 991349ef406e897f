package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.FsException;
import java.time.Instant;

/**
 * A file in one object's directory. Its time is the object's last change and its qid version the
 * object's resourceVersion, so {@code ls -lt} and {@code find -newer} order objects by change, and
 * a client's cache knows when the content moved.
 */
abstract class ObjectFile extends KubeFile {
    final ObjectDirectory owner;

    ObjectFile(ObjectDirectory owner, String name, String pathInObject) {
        super(owner.tree, name, owner.path(pathInObject));
        this.owner = owner;
    }

    ObjectFile(ObjectDirectory owner, String name) {
        this(owner, name, name);
    }

    @Override
    Instant modified() {
        return owner.lastChange();
    }

    @Override
    long version() {
        try {
            return qidVersion(owner.current());
        } catch (FsException e) {
            return 0;
        }
    }

    /** qid.version from resourceVersion: numeric on every API server in practice, hashed otherwise. */
    private static long qidVersion(GenericKubernetesResource object) {
        String resourceVersion = object.getMetadata().getResourceVersion();
        if (resourceVersion == null) {
            return 0;
        }
        try {
            return Long.parseLong(resourceVersion);
        } catch (NumberFormatException e) {
            return resourceVersion.hashCode();
        }
    }
}
