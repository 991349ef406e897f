package io.k9p.server;

import io.k9p.auth.Authenticator;
import io.k9p.auth.Identity;
import io.k9p.auth.UserMap;
import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decides whom an attach is served as. A token written to an afid is checked with the
 * {@link Authenticator} and acts as its user. Without one, only a peer the kernel vouches for (a
 * Unix socket) may name a uid, as Linux's 9P client does once per local user of a mount: root, the
 * server's own uid and the mount's own attach (no uid) act as the owner, a uid of the user map as
 * its user, any other uid is refused. Over TCP the uid is the client's word and is ignored: without
 * {@code --auth token} every attach there acts as the owner, as {@code kubectl proxy} does.
 */
final class Admission {
    private static final System.Logger LOG = System.getLogger(Admission.class.getName());
    private static final int ROOT = 0;
    /** The server's own uid: the owner of /proc/self, where there is one. */
    private static final int OWN_UID = ownUid();

    private final Peer peer;
    private final UserMap users;
    private final Authenticator tokens;

    Admission(Peer peer, UserMap users, Authenticator tokens) {
        this.peer = peer;
        this.users = users;
        this.tokens = tokens;
    }

    /** Whether Tauth makes an afid; without {@code --auth token} there is nothing to authenticate with. */
    boolean takesTokens() {
        return tokens != null;
    }

    /** The identity of an attach; {@code ticket} is its afid's, or null for NOFID. */
    Identity admit(int nUname, AuthTicket ticket) throws FsException {
        if (ticket != null) {
            return authenticated(ticket);
        }
        if (tokens != null && !peer.vouched()) {
            throw refused("an attach without a token: this server takes attaches over TCP only with a token "
                    + "written to an afid (k9p mount --server ADDRESS --token-file FILE)");
        }
        if (!peer.vouched()) {
            return Identity.OWNER;
        }
        if (nUname == User.NO_UID || nUname == ROOT || nUname == OWN_UID) {
            return Identity.OWNER;
        }
        Optional<Identity.User> mapped = users.user(nUname);
        if (mapped.isPresent()) {
            return mapped.get();
        }
        throw refused("uid " + nUname + ": not in the user map; root, uid " + OWN_UID
                + " (the server's) and the uids of --user-map may attach");
    }

    private Identity authenticated(AuthTicket ticket) throws FsException {
        Identity.User known = ticket.verified();
        if (known != null) {
            return known;
        }
        String token = ticket.token();
        if (token.isEmpty()) {
            throw refused("an afid without a token: write the bearer token to the afid before Tattach");
        }
        Optional<Identity.User> user;
        try {
            user = tokens.authenticate(token);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: cannot check a token: {1}", peer, e.getMessage());
            throw new FsException(Errno.EIO, "cannot check the token: " + e.getMessage());
        }
        if (user.isEmpty()) {
            throw refused("a token the API server does not accept");
        }
        ticket.verified(user.get());
        LOG.log(Level.INFO, "{0}: attached with a token as {1}", peer, user.get());
        return user.get();
    }

    private FsException refused(String why) {
        LOG.log(Level.WARNING, "{0}: refused {1}", peer, why);
        return new FsException(Errno.EACCES, "refused " + why);
    }

    private static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return ROOT;
        }
    }
}
