package io.k9p.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;

import io.k9p.fs.Directory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * A tree mounted through FUSE: the same {@link io.k9p.fs} tree the 9P server serves, handed to the
 * kernel by libfuse3's low-level API. The mount belongs to the user who made it (fusermount3 mounts
 * it for an ordinary user); only that user reaches it unless it is mounted with allow_other, and
 * the kernel checks each file's permission bits (default_permissions).
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(FuseMount.class.getName());
    /**
     * Threads that read requests from /dev/fuse and answer those that cannot wait; enough that a
     * few lookups held up by a slow API server leave others, and interrupts, a reader.
     */
    static final int RECEIVERS = 8;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ENOENT = 2;
    /** How long a stop waits for a receiver to finish the request it was answering (a quick one). */
    private static final Duration RECEIVER_LIMIT = Duration.ofSeconds(1);
    /** The most requests a stop refuses after the receivers stopped, before it ends the connection. */
    private static final int DRAINED = 1000;
    /** How long a stop waits for replies that were being sent when it came. */
    private static final Duration REPLY_LIMIT = Duration.ofMillis(500);

    /**
     * @param readOnly mount read-only: the kernel refuses every change with EROFS
     * @param allowOther let other users reach the mount (needs user_allow_other in /etc/fuse.conf)
     * @param source what the mount table names as the mounted thing
     */
    public record Options(boolean readOnly, boolean allowOther, String source) {}

    private final Libfuse fuse;
    private final Path mountPoint;
    private final Arena arena;
    private final MemorySegment session;
    private final Operations operations;
    private final DeviceWait deviceWait;
    private final List<Thread> receivers = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(RECEIVERS);
    private boolean closed;

    private FuseMount(Libfuse fuse, Path mountPoint, Arena arena, MemorySegment session, Operations operations,
            DeviceWait deviceWait) {
        this.fuse = fuse;
        this.mountPoint = mountPoint;
        this.arena = arena;
        this.session = session;
        this.operations = operations;
        this.deviceWait = deviceWait;
    }

    /**
     * Refuses, with the reason and what to do, a mount point that {@link #mount} would refuse:
     * missing, not a directory, not empty, mounted already, or left stale by a crash. A command
     * asks before it does anything slow, such as reaching a cluster.
     */
    public static void checkMountPoint(Path mountPoint) throws IOException {
        MountPoint.check(mountPoint);
    }

    /** Mounts {@code root} on {@code mountPoint}; the mount serves until unmounted. */
    public static FuseMount mount(Directory root, Path mountPoint, Options options) throws IOException {
        MountPoint.check(mountPoint);
        Libfuse fuse = Libfuse.load();
        Arena arena = Arena.ofShared();
        MemorySegment session = MemorySegment.NULL;
        boolean mounted = false;
        try {
            Operations operations = new Operations(fuse, root);
            MemorySegment args = arguments(arena, options);
            session = fuse.sessionNew(args, operations.table(arena), Operations.TABLE_SIZE);
            if (session.equals(MemorySegment.NULL)) {
                throw new IOException("libfuse refused the mount options (its message is above)");
            }
            operations.session(session);
            if (fuse.sessionMount(session, arena.allocateFrom(mountPoint.toString())) != 0) {
                throw new IOException("cannot mount on " + mountPoint + " (libfuse's message is above)");
            }
            mounted = true;
            FuseMount mount = new FuseMount(fuse, mountPoint, arena, session, operations,
                    DeviceWait.on(fuse.sessionFd(session)));
            mount.start();
            return mount;
        } catch (IOException | RuntimeException e) {
            if (mounted) {
                fuse.sessionUnmount(session);
            }
            if (!session.equals(MemorySegment.NULL)) {
                fuse.sessionDestroy(session);
            }
            arena.close();
            throw e;
        }
    }

    /** argv for fuse_session_new: the program name and the mount options. */
    private static MemorySegment arguments(Arena arena, Options options) {
        List<String> mountOptions = new ArrayList<>(List.of(
                "fsname=" + options.source().replace(",", "_"), "subtype=k9p", "default_permissions"));
        if (options.readOnly()) {
            mountOptions.add("ro");
        }
        if (options.allowOther()) {
            mountOptions.add("allow_other");
        }
        List<String> argv = List.of("k9p", "-o", String.join(",", mountOptions));
        MemorySegment array = arena.allocate(ADDRESS, argv.size() + 1);
        for (int i = 0; i < argv.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(argv.get(i)));
        }
        MemorySegment args = arena.allocate(NativeLayout.ARGS_SIZE);
        NativeLayout.writeArgs(args, argv.size(), array);
        return args;
    }

    private void start() throws IOException {
        List<DeviceWait.Waiter> waiters = new ArrayList<>();
        try {
            for (int i = 0; i < RECEIVERS; i++) {
                waiters.add(deviceWait.waiter());
            }
        } catch (IOException e) {
            waiters.forEach(DeviceWait.Waiter::close);
            deviceWait.close();
            throw e;
        }
        for (int i = 0; i < RECEIVERS; i++) {
            DeviceWait.Waiter waiter = waiters.get(i);
            receivers.add(Thread.ofPlatform().name("fuse-receiver-" + i).daemon().start(() -> receive(waiter)));
        }
    }

    private void receive(DeviceWait.Waiter waiter) {
        try (Arena own = Arena.ofConfined(); waiter) {
            MemorySegment buf = own.allocate(NativeLayout.BUF_SIZE);
            try {
                while (waiter.await() == DeviceWait.Ready.DEVICE && answerNext(buf) != Next.ENDED) {
                    // The next request, or the next wait for one.
                }
            } finally {
                fuse.free(NativeLayout.bufMemory(buf));
                ended.countDown();
            }
        }
    }

    /** What reading the device gave. */
    private enum Next { ANSWERED, SKIPPED, EMPTY, ENDED }

    /** Reads the next request from the device, which does not block, and answers it. */
    private Next answerNext(MemorySegment buf) {
        int result = fuse.receiveBuf(session, buf);
        if (result == -EAGAIN) {
            // Nothing queued: another receiver took the request.
            return Next.EMPTY;
        }
        if (result == -EINTR || result == -ENOENT) {
            // Interrupted, or a request whose caller gave up meanwhile.
            return Next.SKIPPED;
        }
        if (result <= 0) {
            // 0: the kernel ended the connection (unmounted); below 0: the device failed.
            return Next.ENDED;
        }
        fuse.processBuf(session, buf);
        return Next.ANSWERED;
    }

    /**
     * Refuses (EIO, as every request once the mount stops) what the kernel queued after the
     * receivers stopped, so that no caller meets the connection's end instead, which says
     * ECONNABORTED. At most {@link #DRAINED} of them: a program may retry as fast as it is refused.
     */
    private void refuseQueued() {
        try (Arena own = Arena.ofConfined()) {
            MemorySegment buf = own.allocate(NativeLayout.BUF_SIZE);
            try {
                Next next = Next.ANSWERED;
                for (int i = 0; i < DRAINED && (next == Next.ANSWERED || next == Next.SKIPPED); i++) {
                    next = answerNext(buf);
                }
            } finally {
                fuse.free(NativeLayout.bufMemory(buf));
            }
        }
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Waits until the mount ends: unmounted by {@link #close}, by fusermount3 -u, or by umount. */
    public void awaitUnmounted() throws InterruptedException {
        ended.await();
    }

    /**
     * Unmounts, if that has not happened yet, and releases the session; within a second or two,
     * whatever is in flight. Every request still being answered gets EIO and later ones are
     * refused; the receivers stop; then the device is closed, which ends the kernel's connection
     * (any request the kernel still holds fails, and any file still open fails with ENOTCONN from
     * then on, so no reader waits on this mount, in any state), and libfuse detaches the mount
     * point (lazily, through fusermount3 for an ordinary user), which is then an empty directory again.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        fuse.sessionExit(session);
        operations.stop();
        deviceWait.stop();
        try {
            boolean stopped = joinReceivers();
            if (stopped) {
                refuseQueued();
            }
            // A reply being sent when the stop came goes out before the device closes under it.
            boolean quiet = operations.awaitReplies(REPLY_LIMIT);
            fuse.sessionUnmount(session);
            deviceWait.close();
            // Replies the kernel held up (a notification waiting for a directory that a caller of a
            // request never read held) fail once the connection is gone.
            quiet = quiet || operations.awaitReplies(REPLY_LIMIT);
            if (!stopped || !quiet) {
                // A receiver or a reply may still call into libfuse: keep the session and the arena.
                LOG.fine("FUSE threads still busy after the unmount; the session stays allocated");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        fuse.sessionDestroy(session);
        arena.close();
    }

    private boolean joinReceivers() throws InterruptedException {
        long deadline = System.nanoTime() + RECEIVER_LIMIT.toNanos();
        for (Thread receiver : receivers) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !receiver.join(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }
}
