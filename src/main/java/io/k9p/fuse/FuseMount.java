package io.k9p.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;

import io.k9p.fs.Directory;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    private final List<Thread> receivers = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(RECEIVERS);
    private boolean unmounted;
    private boolean closed;

    private FuseMount(Libfuse fuse, Path mountPoint, Arena arena, MemorySegment session) {
        this.fuse = fuse;
        this.mountPoint = mountPoint;
        this.arena = arena;
        this.session = session;
    }

    /** Mounts {@code root} on {@code mountPoint}; the mount serves until unmounted. */
    public static FuseMount mount(Directory root, Path mountPoint, Options options) throws IOException {
        MountPoint.check(mountPoint);
        Libfuse fuse = Libfuse.load();
        Arena arena = Arena.ofShared();
        MemorySegment session;
        try {
            Operations operations = new Operations(fuse, root);
            MemorySegment args = arguments(arena, options);
            session = fuse.sessionNew(args, operations.table(arena), Operations.TABLE_SIZE);
            if (session.equals(MemorySegment.NULL)) {
                throw new IOException("libfuse refused the mount options (its message is above)");
            }
            operations.session(session);
            if (fuse.sessionMount(session, arena.allocateFrom(mountPoint.toString())) != 0) {
                fuse.sessionDestroy(session);
                throw new IOException("cannot mount on " + mountPoint + " (libfuse's message is above)");
            }
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        FuseMount mount = new FuseMount(fuse, mountPoint, arena, session);
        mount.start();
        return mount;
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

    private void start() {
        for (int i = 0; i < RECEIVERS; i++) {
            receivers.add(Thread.ofPlatform().name("fuse-receiver-" + i).daemon().start(this::receive));
        }
    }

    private void receive() {
        try (Arena own = Arena.ofConfined()) {
            MemorySegment buf = own.allocate(NativeLayout.BUF_SIZE);
            try {
                while (true) {
                    int result = fuse.receiveBuf(session, buf);
                    if (result == -EINTR || result == -EAGAIN || result == -ENOENT) {
                        continue;
                    }
                    if (result <= 0) {
                        // 0: the kernel ended the connection (unmounted); below 0: the device failed.
                        break;
                    }
                    fuse.processBuf(session, buf);
                }
            } finally {
                fuse.free(NativeLayout.bufMemory(buf));
                ended.countDown();
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

    /** Unmounts, if that has not happened yet, and releases the session. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        if (!unmounted) {
            unmounted = true;
            fuse.sessionExit(session);
            fuse.sessionUnmount(session);
        }
        try {
            if (!ended.await(10, TimeUnit.SECONDS)) {
                // A receiver still in a read of /dev/fuse may call back into the arena: keep it.
                LOG.warning("FUSE receivers did not end; the process should exit now");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        closed = true;
        fuse.sessionDestroy(session);
        arena.close();
    }
}
