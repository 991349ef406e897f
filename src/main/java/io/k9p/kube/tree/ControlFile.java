package io.k9p.kube.tree;

import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.kube.ctl.Commands;
import io.k9p.kube.ctl.Target;

/**
 * {@code ctl}: a read lists the commands the file accepts, one usage line each; a write of one
 * line runs one, as the attaching identity, and fails with the errno of its refusal, the reason in
 * the error file of the target's place. Writable where the identity may run any of them.
 */
final class ControlFile<T extends Target> extends KubeFile {
    static final String NAME = "ctl";

    private final Commands<T> commands;
    private final Commands.Targets<T> targets;

    ControlFile(KubeTree tree, String key, Commands<T> commands, Commands.Targets<T> targets) {
        super(tree, NAME, key);
        this.commands = commands;
        this.targets = targets;
    }

    @Override
    byte[] content() {
        return commands.usage();
    }

    @Override
    int permissions() {
        try {
            return commands.writable(targets.current()) ? 0644 : 0444;
        } catch (FsException e) {
            return 0444;
        }
    }

    @Override
    OpenFile openForWriting(OpenFlags flags) throws FsException {
        return commands.open(targets, flags);
    }
}
