package io.k9p.fs;

/**
 * Where a tree may wait. Front ends answer a request that should be quick (a walk, a stat, a read
 * of a snapshot) on the thread that received it, without handing it over to a thread of its own;
 * waiting there would hold up every other request of the connection, Tflush included. So a tree
 * calls {@link #mayWait()} before it waits for anything (the network, a long computation, a lock
 * held across either), and before it has changed anything: on such a thread it throws
 * {@link WouldWait}, and the front end asks again from a thread of the request's own.
 */
public final class Waiting {
    private static final ScopedValue<Boolean> QUICK = ScopedValue.newInstance();

    private Waiting() {
    }

    /** An operation of the tree, as a front end calls it. */
    public interface Operation<T> {
        T run() throws FsException, InterruptedException;
    }

    /** Throws {@link WouldWait} where the caller must not wait; returns at once elsewhere. */
    public static void mayWait() {
        if (QUICK.isBound()) {
            throw WouldWait.INSTANCE;
        }
    }

    /** Runs the operation where it must not wait: it completes, fails, or throws {@link WouldWait}. */
    public static <T> T quickly(Operation<T> operation) throws FsException, InterruptedException {
        try {
            return ScopedValue.where(QUICK, Boolean.TRUE).call(operation::run);
        } catch (FsException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("an operation threw what it does not declare", e);
        }
    }

    /** The operation would have had to wait, and changed nothing: ask again where it may. */
    public static final class WouldWait extends RuntimeException {
        private static final WouldWait INSTANCE = new WouldWait();

        private WouldWait() {
            super("would wait", null, false, false);
        }
    }
}
