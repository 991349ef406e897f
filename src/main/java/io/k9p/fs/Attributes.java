package io.k9p.fs;

import java.time.Instant;

/**
 * What stat shows of a node.
 *
 * @param permissions the nine rwx bits (plus setuid, setgid and sticky), without the file type
 * @param size exact byte count of what a read returns, or 0 when it is not known ahead (streams)
 * @param modified last change of content
 * @param version changes whenever the content does; becomes qid.version
 */
public record Attributes(int permissions, long size, Instant modified, long version) {
    public Attributes {
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
    }
}
