package io.k9p.server;

import io.k9p.fs.Directory;
import io.k9p.fs.Node;

/**
 * Where a fid stands: the node and the chain of directories walked to reach it. The server resolves
 * ".." with it, so filesystems never need to know a node's parent.
 */
record NodePath(NodePath parent, Node node) {

    static NodePath root(Directory root) {
        return new NodePath(null, root);
    }

    NodePath child(Node child) {
        return new NodePath(this, child);
    }

    /** The parent; the root is its own parent, as in every Unix. */
    NodePath up() {
        return parent == null ? this : parent;
    }

    boolean isRoot() {
        return parent == null;
    }

    /** The directory that holds this node, for remove and rename. */
    Directory container() {
        return (Directory) up().node;
    }
}
