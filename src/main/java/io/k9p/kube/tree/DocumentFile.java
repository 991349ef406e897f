package io.k9p.kube.tree;

import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;

/**
 * {@code data.yaml} and {@code data.json}: the object as kubectl prints it. Writing either, in YAML
 * or JSON, replaces the object, sent with the resourceVersion in what was written, at fsync(2), at
 * close(2), or when a file is renamed onto it.
 */
final class DocumentFile extends ObjectFile {
    private final Renderings.Format format;

    DocumentFile(ObjectDirectory owner, Renderings.Format format) {
        super(owner, format.fileName);
        this.format = format;
    }

    @Override
    byte[] content() throws FsException {
        return tree.renderings.render(format, owner.type(), owner.current());
    }

    @Override
    int permissions() {
        return owner.writable() ? 0644 : 0444;
    }

    @Override
    OpenFile openForWriting(OpenFlags flags) throws FsException {
        return BufferedOpenFile.document(content(), flags, this::commit);
    }

    void commit(byte[] written) throws FsException {
        var object = owner.current();
        try {
            access.writer().replace(owner.where(), owner.type(), object, access.writer().parse(written));
        } catch (FsException e) {
            throw access.fail(owner.where(), e);
        }
    }
}
