package io.k9p.server;

/**
 * The other end of a connection, for logs and for whom its attaches may act as.
 *
 * @param vouched whether the kernel vouches for who is connected: a Unix socket peer whose
 *     credentials (SO_PEERCRED) are root's or the server's own user's, so the uid it names in an
 *     attach is the local user's and can be trusted; over TCP it is only the client's word
 */
record Peer(String name, boolean vouched) {
    @Override
    public String toString() {
        return name;
    }
}
