package io.k9p.client;

import io.k9p.fs.Directory;
import io.k9p.fs.FileSystem;
import io.k9p.fs.FsException;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Errno;
import java.util.List;

/**
 * A remote 9P2000.L server's trees as a {@link FileSystem}, so that whatever serves a FileSystem
 * (the FUSE front end) serves them: k9p serving a cluster elsewhere, or diod exporting a directory.
 *
 * <p>Nodes hold no fids: a node is its path from the root and the qid seen there, and each
 * operation walks from the attach's fid to a fid of its own and clunks it after. Node objects can
 * so be dropped at any time, and the server's fid table holds only what is in use right now. A
 * node whose path no longer leads to the object it was found as fails with ESTALE, as an NFS file
 * handle does; Linux then looks the path up again.
 */
public final class RemoteFileSystem implements FileSystem, AutoCloseable {
    private final NinePClient client;

    public RemoteFileSystem(NinePClient client) {
        this.client = client;
    }

    /** Connects to the server with the client's defaults. */
    public static RemoteFileSystem connect(Endpoint server) throws FsException, InterruptedException {
        return new RemoteFileSystem(NinePClient.connect(server));
    }

    public NinePClient client() {
        return client;
    }

    /** Tattach as {@code user}, with the local uid as n_uname; {@code aname} picks the server's tree. */
    @Override
    public Directory attach(String user, String aname) throws FsException {
        LocalIds ids = LocalIds.CURRENT;
        try {
            Fid root = client.attach(user, aname, ids.uid());
            return new RemoteDirectory(new RemoteTree(client, root, ids.gid()), List.of(), root.qid(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EINTR, "attach to " + client.server() + " interrupted", e);
        }
    }

    /** Closes the connection, and with it every attach. */
    @Override
    public void close() {
        client.close();
    }
}
