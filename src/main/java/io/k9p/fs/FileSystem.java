package io.k9p.fs;

import io.k9p.auth.Identity;

/** What the front ends serve: one tree per attach. */
public interface FileSystem {

    /**
     * The root for an attach. {@code aname} is the client's choice of tree (mount -o aname=...),
     * empty when it made none; {@code identity} is whom the front end decided it serves.
     */
    Directory attach(Identity identity, String aname) throws FsException;
}
