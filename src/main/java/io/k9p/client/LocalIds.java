package io.k9p.client;

/**
 * The uid and gid of this process, for attach's n_uname and the gid of what it creates, so that
 * a server that maps users (diod) acts as the local user. Unknown where the JDK cannot tell.
 */
record LocalIds(int uid, int gid) {
    static final LocalIds CURRENT = find();

    private static LocalIds find() {
        try {
            var unix = new com.sun.security.auth.module.UnixSystem();
            return new LocalIds((int) unix.getUid(), (int) unix.getGid());
        } catch (LinkageError | RuntimeException notUnix) {
            return new LocalIds(NinePClient.NONUNAME, 0);
        }
    }
}
