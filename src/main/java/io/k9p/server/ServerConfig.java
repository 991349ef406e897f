package io.k9p.server;

import io.k9p.auth.Authenticator;
import io.k9p.auth.UserMap;
import io.k9p.fs.FileSystem;

/**
 * What a server serves and its limits.
 *
 * @param maxMsize the largest message it accepts or sends; a client asking for less gets less
 * @param maxFids how many fids one connection may hold at once
 * @param readOnly refuse every change with EROFS, whatever the filesystem would allow
 * @param users the local uids that may attach as Kubernetes users over a Unix socket
 * @param tokens checks the tokens of Tauth; null when attaches bring none ({@code --auth none})
 */
public record ServerConfig(FileSystem fileSystem, int maxMsize, int maxFids, boolean readOnly,
        UserMap users, Authenticator tokens) {
    public static final int DEFAULT_MAX_MSIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_FIDS = 16384;

    public ServerConfig {
        if (maxMsize < 4096) {
            throw new IllegalArgumentException("maxMsize must be at least 4096");
        }
        if (maxFids < 1) {
            throw new IllegalArgumentException("maxFids must be positive");
        }
        if (users == null) {
            throw new IllegalArgumentException("users must be given; UserMap.EMPTY maps none");
        }
    }

    public ServerConfig(FileSystem fileSystem, int maxMsize, int maxFids, boolean readOnly) {
        this(fileSystem, maxMsize, maxFids, readOnly, UserMap.EMPTY, null);
    }

    public ServerConfig(FileSystem fileSystem, int maxMsize, int maxFids) {
        this(fileSystem, maxMsize, maxFids, false);
    }

    /** This configuration with whom it admits: a user map, and a token checker or null. */
    public ServerConfig admitting(UserMap users, Authenticator tokens) {
        return new ServerConfig(fileSystem, maxMsize, maxFids, readOnly, users, tokens);
    }

    public static ServerConfig defaults(FileSystem fileSystem) {
        return new ServerConfig(fileSystem, DEFAULT_MAX_MSIZE, DEFAULT_MAX_FIDS);
    }
}
