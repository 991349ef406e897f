package io.k9p.auth;

import java.util.List;

/**
 * Whom a tree is served to. The owner acts with the server's own credentials (its kubeconfig); a
 * user is a Kubernetes user and groups the server acts for, by impersonation, and whose reads it
 * authorizes itself, since its cache is shared.
 */
public sealed interface Identity {
    Owner OWNER = new Owner();

    /** The server's own credentials: the user who started it, root, and a mount's own attach. */
    record Owner() implements Identity {
        @Override
        public String toString() {
            return "(owner)";
        }
    }

    record User(String name, List<String> groups) implements Identity {
        public User {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a user needs a name");
            }
            groups = List.copyOf(groups);
        }

        @Override
        public String toString() {
            return groups.isEmpty() ? name : name + " " + String.join(",", groups);
        }
    }
}
