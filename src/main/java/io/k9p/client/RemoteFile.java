package io.k9p.client;

import io.k9p.fs.Attributes;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Qid;
import java.util.List;

/** A file on the server. */
final class RemoteFile extends RemoteNode implements File {

    RemoteFile(RemoteTree tree, List<String> path, Qid qid, FetchedAttributes fetched) {
        super(tree, path, qid, fetched);
    }

    /**
     * A walk to a fid of the open's own, and Tlopen. The open counts as blocking when the file's
     * size is 0: that is how a 9P server describes a file whose content is not known ahead, a
     * stream (and an empty file, which loses nothing by being read as one).
     */
    @Override
    public OpenFile open(OpenFlags flags) throws FsException {
        return run(() -> {
            Fid fid = tree.walkTo(path, id());
            try {
                client.lopen(fid, flags.linux());
                if (flags.truncate()) {
                    tree.changed();
                }
                return new RemoteOpenFile(this, fid, flags.write(), sizeAtOpen(fid) == 0);
            } catch (FsException | InterruptedException | RuntimeException e) {
                client.release(fid);
                throw e;
            }
        });
    }

    /** truncate(2) of the file unopened: Tsetattr of the size on a walked fid, with no open of its own. */
    @Override
    public void truncate(long size) throws FsException {
        change(() -> onOwnFid(fid -> {
            client.truncate(fid, size);
            return null;
        }));
    }

    private long sizeAtOpen(Fid opened) throws FsException, InterruptedException {
        Attributes known = freshAttributes();
        return known != null ? known.size() : client.getattr(opened).size();
    }
}
