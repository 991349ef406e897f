package io.k9p.fs;

/** What the 9P server serves: one tree per attach. */
public interface FileSystem {

    /**
     * The root for an attach. {@code aname} is the client's choice of tree (mount -o aname=...),
     * empty when it made none; {@code user} is the name it attached as.
     */
    Directory attach(String user, String aname) throws FsException;
}
