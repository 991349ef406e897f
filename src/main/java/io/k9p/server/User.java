package io.k9p.server;

/** Who attached: the name, and in 9P2000.u and .L the numeric id the client's kernel uses. */
record User(String name, int uid) {
    static final int NO_UID = ~0;

    /** The id to report as owner: the attaching user's own, so the client's permission checks pass. */
    int ownerId() {
        return uid == NO_UID ? 0 : uid;
    }
}
