package io.k9p.kube;

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
        super(owner.cluster, name, owner.path(pathInObject));
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
            return Fields.version(owner.current());
        } catch (FsException e) {
            return 0;
        }
    }
}
