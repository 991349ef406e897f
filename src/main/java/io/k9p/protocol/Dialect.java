package io.k9p.protocol;

import java.util.Optional;

/** The three protocol variants that Linux's v9fs speaks, by the version string that names them. */
public enum Dialect {
    /** Plan 9's original protocol: errors are strings, stat has no numeric ids. */
    P9P2000("9P2000"),
    /** The Unix extension: numeric uids and errno in Rerror, extension strings in stat and create. */
    P9P2000_U("9P2000.u"),
    /** The Linux extension: a separate set of messages modelled on the Linux VFS calls. */
    P9P2000_L("9P2000.L");

    public static final String UNKNOWN = "unknown";

    private final String version;

    Dialect(String version) {
        this.version = version;
    }

    public String version() {
        return version;
    }

    /** Whether auth and attach carry a numeric user id (n_uname) after the strings. */
    public boolean hasNumericUser() {
        return this != P9P2000;
    }

    /**
     * The dialect to answer a client's Tversion with. A version string the server does not know but
     * that starts with "9P2000." falls back to plain 9P2000, as the protocol's version(5) asks.
     */
    public static Optional<Dialect> negotiate(String requested) {
        for (Dialect dialect : values()) {
            if (dialect.version.equals(requested)) {
                return Optional.of(dialect);
            }
        }
        return requested.startsWith("9P2000.") ? Optional.of(P9P2000) : Optional.empty();
    }
}
