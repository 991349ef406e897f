package io.k9p.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on a free loopback port that forwards every connection to a target: the other side
 * of a network, for tests of what happens when that side stops answering or answers late.
 * {@link #pause} stops forwarding in both directions and holds every connection open, new ones
 * included: a black hole, where nothing is refused or closed and nothing arrives, as when a server
 * hangs or a route drops packets. {@link #resume} delivers what was held, in order. Each direction
 * can be delayed by a fixed time, as a network's latency, without limiting its throughput.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    /** What a pump's queue carries after the last chunk: the sender closed its side. */
    private static final byte[] END = new byte[0];

    private final InetSocketAddress target;
    private final Duration toTarget;
    private final Duration fromTarget;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private boolean paused;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target, Duration toTarget, Duration fromTarget) throws IOException {
        this.target = target;
        this.toTarget = toTarget;
        this.fromTarget = fromTarget;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-proxy-accept").start(this::accept);
    }

    /** A proxy to {@code port} on the loopback address, forwarding at once. */
    public static TcpProxy to(int port) throws IOException {
        return to(port, Duration.ZERO, Duration.ZERO);
    }

    /** A proxy to {@code port} on the loopback address that delays each direction by the time given. */
    public static TcpProxy to(int port, Duration toTarget, Duration fromTarget) throws IOException {
        return new TcpProxy(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), toTarget, fromTarget);
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding: whatever arrives is held, and connections stay open. */
    public synchronized void pause() {
        paused = true;
    }

    /** Forwards again, starting with what was held. */
    public synchronized void resume() {
        paused = false;
        notifyAll();
    }

    /** Closes the listener and every connection. */
    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket socket : List.copyOf(sockets)) {
            socket.close();
        }
        resume();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            Socket server = new Socket();
            try {
                server.connect(target);
            } catch (IOException e) {
                // The target refuses: so does the proxy, by closing.
                quietlyClose(client);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            AtomicInteger directions = new AtomicInteger(2);
            pump(client, server, toTarget, directions);
            pump(server, client, fromTarget, directions);
        }
    }

    /**
     * Forwards one direction: a reader that takes chunks as they come and a writer that passes
     * each on once its delay is over and the proxy is not paused. The connection is closed once
     * both of its {@code directions} have ended.
     */
    private void pump(Socket from, Socket to, Duration delay, AtomicInteger directions) {
        LinkedBlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
        Thread.ofVirtual().name("tcp-proxy-read").start(() -> {
            try (InputStream in = from.getInputStream()) {
                byte[] buffer = new byte[CHUNK];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    chunks.add(new Chunk(System.nanoTime() + delay.toNanos(), Arrays.copyOf(buffer, read)));
                }
            } catch (IOException e) {
                // Closed, or reset: the end of this direction either way.
            }
            chunks.add(new Chunk(System.nanoTime() + delay.toNanos(), END));
        });
        Thread.ofVirtual().name("tcp-proxy-write").start(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = chunks.take();
                    long wait = chunk.due() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                    awaitForwarding();
                    if (chunk.bytes() == END) {
                        to.shutdownOutput();
                        if (directions.decrementAndGet() == 0) {
                            quietlyClose(from);
                            quietlyClose(to);
                        }
                        return;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                quietlyClose(from);
                quietlyClose(to);
            }
        });
    }

    private synchronized void awaitForwarding() throws InterruptedException {
        while (paused && !closed) {
            wait();
        }
    }

    private void quietlyClose(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed: nothing to release.
        }
    }

    /** Bytes read, and when they are to be passed on. */
    private record Chunk(long due, byte[] bytes) {}
}
