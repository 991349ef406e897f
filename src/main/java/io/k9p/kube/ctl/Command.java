package io.k9p.kube.ctl;

import io.k9p.fs.FsException;

/**
 * One command of a ctl file: its name, its arguments as its usage line shows them, whether the
 * identity may run it (which the file's write bits say), and what it does.
 */
public record Command<T extends Target>(String name, String arguments, Permission<T> permission, Action<T> action) {
    @FunctionalInterface
    public interface Permission<T> {
        boolean may(T target);
    }

    @FunctionalInterface
    public interface Action<T> {
        void run(T target, Arguments arguments) throws FsException;
    }

    /** The line a read of the ctl file shows for it: {@code delete NAME}. */
    public String usage() {
        return arguments.isEmpty() ? name : name + " " + arguments;
    }
}
