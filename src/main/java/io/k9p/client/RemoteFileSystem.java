package io.k9p.client;

import io.k9p.auth.Identity;
import io.k9p.fs.Directory;
import io.k9p.fs.FileSystem;
import io.k9p.fs.FsException;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;
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
    private final String token;

    public RemoteFileSystem(NinePClient client) {
        this(client, null);
    }

    /**
     * A remote tree whose attaches present a bearer token, when the server asks for one (Tauth):
     * the server then acts as the token's user. Null presents none.
     */
    public RemoteFileSystem(NinePClient client, String token) {
        this.client = client;
        this.token = token;
    }

    /** Connects to the server with the client's defaults. */
    public static RemoteFileSystem connect(Endpoint server) throws FsException, InterruptedException {
        return new RemoteFileSystem(NinePClient.connect(server));
    }

    public NinePClient client() {
        return client;
    }

    /**
     * Tattach as this process's user, with the local uid as n_uname and the token if the server
     * takes one; {@code aname} picks the server's tree. Whom the tree is served as is the server's
     * decision, so only {@link Identity#OWNER} (whoever this process is to the server) is asked for.
     */
    @Override
    public Directory attach(Identity identity, String aname) throws FsException {
        if (!(identity instanceof Identity.Owner)) {
            throw new FsException(Errno.EACCES, "a remote server decides whom it serves; cannot attach as " + identity);
        }
        return attachAs(LocalIds.CURRENT.uid(), aname);
    }

    /**
     * Tattach naming a local uid, as a client run by root does for each local user (Linux's 9P
     * client with access=user); a server that trusts the connection acts as that user.
     */
    public Directory attachAs(int uid, String aname) throws FsException {
        LocalIds ids = LocalIds.CURRENT;
        String user = System.getProperty("user.name");
        try {
            Fid afid = token == null ? null : client.auth(user, aname, uid);
            Fid root;
            try {
                if (afid != null) {
                    client.write(afid, 0, token.getBytes(StandardCharsets.UTF_8));
                }
                root = client.attach(afid, user, aname, uid);
            } finally {
                if (afid != null) {
                    client.release(afid);
                }
            }
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
