package io.k9p.server;

import io.k9p.fs.FileSystem;

/**
 * What a server serves and its limits.
 *
 * @param maxMsize the largest message it accepts or sends; a client asking for less gets less
 * @param maxFids how many fids one connection may hold at once
 * @param readOnly refuse every change with EROFS, whatever the filesystem would allow
 */
public record ServerConfig(FileSystem fileSystem, int maxMsize, int maxFids, boolean readOnly) {
    public static final int DEFAULT_MAX_MSIZE = 1024 * 1024;
    public static final int DEFAULT_MAX_FIDS = 16384;

    public ServerConfig {
        if (maxMsize < 4096) {
            throw new IllegalArgumentException("maxMsize must be at least 4096");
        }
        if (maxFids < 1) {
            throw new IllegalArgumentException("maxFids must be positive");
        }
    }

    public ServerConfig(FileSystem fileSystem, int maxMsize, int maxFids) {
        this(fileSystem, maxMsize, maxFids, false);
    }

    public static ServerConfig defaults(FileSystem fileSystem) {
        return new ServerConfig(fileSystem, DEFAULT_MAX_MSIZE, DEFAULT_MAX_FIDS);
    }
}
