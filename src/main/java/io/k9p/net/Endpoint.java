package io.k9p.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Where a 9P server listens: {@code HOST:PORT}, {@code tcp:HOST:PORT} or {@code unix:PATH}. The
 * server binds it, the client connects to it.
 */
public sealed interface Endpoint {

    ServerSocketChannel bind() throws IOException;

    /** The address in a form for connecting; resolving a host name happens here. */
    SocketAddress address();

    /**
     * A connected, blocking channel. The connect is non-blocking underneath so that it can give up
     * after {@code timeout}: a blocking connect to a host that drops packets waits for minutes.
     */
    default SocketChannel connect(Duration timeout) throws IOException {
        SocketAddress address = address();
        SocketChannel channel = switch (this) {
            case Tcp tcp -> SocketChannel.open();
            case Unix unix -> SocketChannel.open(StandardProtocolFamily.UNIX);
        };
        try {
            channel.configureBlocking(false);
            if (!channel.connect(address)) {
                try (Selector selector = Selector.open()) {
                    channel.register(selector, SelectionKey.OP_CONNECT);
                    if (selector.select(Math.max(1, timeout.toMillis())) == 0) {
                        throw new SocketTimeoutException("no connection to " + this + " within " + timeout);
                    }
                    channel.finishConnect();
                }
            }
            channel.configureBlocking(true);
            if (this instanceof Tcp) {
                // Requests and replies are small and each waits for the other: Nagle would delay them.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    record Tcp(String host, int port) implements Endpoint {
        @Override
        public ServerSocketChannel bind() throws IOException {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(host, port));
            return channel;
        }

        @Override
        public SocketAddress address() {
            return new InetSocketAddress(host, port);
        }

        /** Whether only this machine can reach it: a loopback address, or a name that resolves to one. */
        public boolean isLoopback() {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        /** Whether the host is every address of the machine (0.0.0.0, ::), which a server binds and no client connects to. */
        public boolean isWildcard() {
            try {
                return InetAddress.ofLiteral(host).isAnyLocalAddress();
            } catch (IllegalArgumentException notALiteral) {
                return false;
            }
        }

        /** {@code tcp:HOST:PORT}, an IPv6 address in brackets, as {@link #parse} reads it back. */
        @Override
        public String toString() {
            return "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    record Unix(Path path) implements Endpoint {
        /**
         * A socket file left by a server that died is replaced; anything else at the path is not. The
         * socket is private (mode 0600): connecting needs write permission on it, so only its owner
         * and root get as far as the server's own check of who is at the other end.
         */
        @Override
        public ServerSocketChannel bind() throws IOException {
            if (Files.exists(path) && !Files.isDirectory(path) && !Files.isRegularFile(path)) {
                Files.delete(path);
            }
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.bind(UnixDomainSocketAddress.of(path));
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return channel;
        }

        @Override
        public SocketAddress address() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    static Endpoint parse(String text) {
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("unix: needs a socket path");
            }
            return new Unix(Path.of(path));
        }
        String hostPort = text.startsWith("tcp:") ? text.substring("tcp:".length()) : text;
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, tcp:HOST:PORT or unix:PATH, got " + text);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        return new Tcp(host.isEmpty() ? "127.0.0.1" : host, port);
    }

    /** The address a bound channel actually got, with the real port when 0 was asked for. */
    static Endpoint of(SocketAddress bound) {
        return switch (bound) {
            case InetSocketAddress inet -> new Tcp(inet.getHostString(), inet.getPort());
            case UnixDomainSocketAddress unix -> new Unix(unix.getPath());
            default -> throw new IllegalArgumentException("unsupported address " + bound);
        };
    }
}
