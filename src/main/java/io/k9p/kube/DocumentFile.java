package io.k9p.kube;

import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import java.time.Instant;

/**
 * {@code data.yaml}: the object as YAML. Writing it replaces the object, sent with the
 * resourceVersion in what was written, at fsync(2), at close(2), or when a file is renamed onto it.
 */
final class DataYamlFile extends KubeFile {
    private final ObjectDirectory owner;

    DataYamlFile(ObjectDirectory owner) {
        super(owner.cluster, ObjectDirectory.DATA_YAML, owner.path(ObjectDirectory.DATA_YAML));
        this.owner = owner;
    }

    @Override
    byte[] content() throws FsException {
        return cluster.yaml.render(owner.type(), owner.current());
    }

    @Override
    int permissions() {
        return 0644;
    }

    @Override
    Instant modified() {
        try {
            return Fields.created(owner.current());
        } catch (FsException e) {
            return cluster.started;
        }
    }

    @Override
    long version() {
        try {
            return Fields.version(owner.current());
        } catch (FsException e) {
            return 0;
        }
    }

    @Override
    public OpenFile open(OpenFlags flags) throws FsException {
        if (!flags.write()) {
            return super.open(flags);
        }
        return BufferedOpenFile.document(content(), flags, this::commit);
    }

    void commit(byte[] written) throws FsException {
        var object = owner.current();
        try {
            cluster.writer.replace(owner.where(), owner.type(), object, cluster.writer.parse(written));
        } catch (FsException e) {
            throw cluster.fail(owner.where(), e);
        }
    }
}
