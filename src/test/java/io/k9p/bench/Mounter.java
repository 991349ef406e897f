package io.k9p.bench;

import java.nio.file.Path;

/**
 * A way of mounting k9p for the shell's commands. Each mount is new: its first command starts cold.
 *
 * @param tool the short name in the report's tool column
 * @param description what the mount is, for the report's legend
 * @param mounting how it mounts
 */
record Mounter(String tool, String description, Mounting mounting) {
    interface Mounting {
        /** Mounts the cluster on {@code mountPoint}, an empty directory; closing unmounts it. */
        AutoCloseable mount(Path mountPoint) throws Exception;
    }

    AutoCloseable mount(Path mountPoint) throws Exception {
        return mounting.mount(mountPoint);
    }
}
