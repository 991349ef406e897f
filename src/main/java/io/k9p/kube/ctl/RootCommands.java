package io.k9p.kube.ctl;

import io.k9p.kube.cluster.Access;
import io.k9p.kube.cluster.DeletionGuard;

/** The commands of the {@code ctl} file at the root of a tree: what the tree itself does for its identity. */
public final class RootCommands {
    /** The identity whose tree it is; refusals are recorded at the root. */
    public record Root(Access access) implements Target {
        @Override
        public String where() {
            return "/";
        }
    }

    /**
     * {@code allow-deletions [N]}: ends a stop of deletions through the tree (see {@link
     * DeletionGuard}); with N, the next N deletions pass however fast they come.
     */
    public static final Commands<Root> COMMANDS = new Commands<>(
            new Command<>("allow-deletions", "[N]", root -> true, RootCommands::allowDeletions));

    private RootCommands() {
    }

    private static void allowDeletions(Root root, Arguments arguments) throws BadCommand {
        String count = arguments.optional();
        if (count != null && !count.matches("\\d{1,9}")) {
            throw arguments.invalid("not a number of deletions: " + BadCommand.quote(count));
        }
        root.access().deletions().resume(count == null ? 0 : Integer.parseInt(count));
    }
}
