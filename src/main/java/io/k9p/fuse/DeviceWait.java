package io.k9p.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * How the threads that receive FUSE requests wait for the device without being stuck in it. A
 * thread blocked in read(2) of /dev/fuse holds the device open until a request arrives, and the
 * kernel ends a connection only when the device's last holder lets go (or the mount is gone, which
 * a lazily detached mount never is while a file of it is open). A mount could so never end its
 * connection on its own, and every reader of it could wait on requests nobody would answer.
 *
 * <p>So the device is read non-blocking, after a wait in epoll for either the device or the stop
 * event (an eventfd), which {@link #stop} raises for every waiter at once; the device is then free
 * to close, and its last close ends the connection. Each waiter has an epoll instance of its own
 * with the device in it as EPOLLEXCLUSIVE, so that a request wakes one idle waiter, not all.
 */
final class DeviceWait implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle FCNTL = libc("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle EVENTFD = libc("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE = libc("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = libc("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle EPOLL_WAIT = libc("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle WRITE = libc("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 04000;
    private static final int CLOEXEC = 02000000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 0x001;
    private static final int EPOLLEXCLUSIVE = 1 << 28;
    private static final int EINTR = 4;
    private static final int DEVICE = 0;
    private static final int STOP = 1;

    /** What a waiter woke up for. */
    enum Ready {
        /** The device has a request, or its connection ended: read it. */
        DEVICE,
        /** The mount is stopping: read no more. */
        STOP
    }

    private final int device;
    private final int stopEvent;

    private DeviceWait(int device, int stopEvent) {
        this.device = device;
        this.stopEvent = stopEvent;
    }

    /** Makes the device non-blocking, for waiters on it. */
    static DeviceWait on(int device) throws IOException {
        int flags = call(FCNTL, "fcntl", device, F_GETFL, 0);
        call(FCNTL, "fcntl", device, F_SETFL, flags | O_NONBLOCK);
        return new DeviceWait(device, call(EVENTFD, "eventfd", 0, CLOEXEC));
    }

    /** A waiter for one thread: an epoll instance watching the device and the stop event. */
    Waiter waiter() throws IOException {
        int epoll = call(EPOLL_CREATE, "epoll_create1", CLOEXEC);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(NativeLayout.EPOLL_EVENT_SIZE, 8);
            NativeLayout.writeEpollEvent(event, EPOLLIN | EPOLLEXCLUSIVE, DEVICE);
            call(EPOLL_CTL, "epoll_ctl", epoll, EPOLL_CTL_ADD, device, event);
            NativeLayout.writeEpollEvent(event, EPOLLIN, STOP);
            call(EPOLL_CTL, "epoll_ctl", epoll, EPOLL_CTL_ADD, stopEvent, event);
        } catch (IOException | RuntimeException e) {
            close(epoll);
            throw e;
        }
        return new Waiter(epoll);
    }

    /** Wakes every waiter, now and from now on, with {@link Ready#STOP}. */
    void stop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(JAVA_LONG, 1L);
            long written = (long) WRITE.invokeExact(stopEvent, one, 8L);
            if (written != 8) {
                throw new IllegalStateException("the stop event took " + written + " bytes of 8");
            }
        } catch (Throwable e) {
            throw Libfuse.failure(e);
        }
    }

    /** Closes the stop event; the device is libfuse's to close. */
    @Override
    public void close() {
        close(stopEvent);
    }

    /** One thread's wait. */
    final class Waiter implements AutoCloseable {
        private final int epoll;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment events = arena.allocate(NativeLayout.EPOLL_EVENT_SIZE * 2, 8);
        private final MemorySegment callState = arena.allocate(CALL_STATE);

        private Waiter(int epoll) {
            this.epoll = epoll;
        }

        /** Waits until the device has something to read or the mount stops; a stop wins over a request. */
        Ready await() {
            while (true) {
                int count;
                try {
                    count = (int) EPOLL_WAIT.invokeExact(callState, epoll, events, 2, -1);
                } catch (Throwable e) {
                    throw Libfuse.failure(e);
                }
                if (count < 0) {
                    int errno = (int) ERRNO.get(callState, 0L);
                    if (errno == EINTR) {
                        // A signal handled on this thread: epoll_wait is never restarted.
                        continue;
                    }
                    throw new IllegalStateException("epoll_wait failed with errno " + errno);
                }
                Ready ready = null;
                for (int i = 0; i < count; i++) {
                    int token = NativeLayout.epollEventToken(events.asSlice(i * NativeLayout.EPOLL_EVENT_SIZE));
                    ready = token == STOP || ready == Ready.STOP ? Ready.STOP : Ready.DEVICE;
                }
                if (ready != null) {
                    return ready;
                }
            }
        }

        @Override
        public void close() {
            DeviceWait.close(epoll);
            arena.close();
        }
    }

    private static int call(MethodHandle function, String name, Object... arguments) throws IOException {
        int result;
        try {
            result = (int) function.invokeWithArguments(arguments);
        } catch (Throwable e) {
            throw Libfuse.failure(e);
        }
        if (result < 0) {
            throw new IOException(name + " failed: the FUSE device cannot be waited for");
        }
        return result;
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw Libfuse.failure(e);
        }
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, options);
    }
}
