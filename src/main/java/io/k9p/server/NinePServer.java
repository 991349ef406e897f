package io.k9p.server;

import io.k9p.net.Endpoint;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.net.ExtendedSocketOptions;

/** A 9P server: listens on any number of endpoints and serves each connection on a thread of its own. */
public final class NinePServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NinePServer.class.getName());

    private final ServerConfig config;
    private final Map<ServerSocketChannel, Endpoint> listeners = new ConcurrentHashMap<>();
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();

    public NinePServer(ServerConfig config) {
        this.config = config;
    }

    /** Binds the endpoint and starts accepting; returns the address bound (the real port for 0). */
    public Endpoint listen(Endpoint endpoint) throws IOException {
        ServerSocketChannel listener = endpoint.bind();
        Endpoint bound = Endpoint.of(listener.getLocalAddress());
        listeners.put(listener, bound);
        Thread.ofPlatform().daemon().name("9p-accept-" + bound).start(() -> accept(listener, bound));
        return bound;
    }

    private void accept(ServerSocketChannel listener, Endpoint bound) {
        while (listener.isOpen()) {
            SocketChannel channel;
            try {
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept on {0} failed: {1}", bound, e.toString());
                continue;
            }
            String name = describe(channel, bound);
            boolean local = bound instanceof Endpoint.Unix;
            if (local && !trusted(channel, name)) {
                continue;
            }
            Peer peer = new Peer(name, local);
            try {
                if (bound instanceof Endpoint.Tcp) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "{0}: cannot set TCP_NODELAY: {1}", name, e.toString());
            }
            connections.add(channel);
            // A platform thread reads: its blocking reads cost no poller round, and the requests it
            // answers itself run with no hand-off (see Connection).
            Thread.ofPlatform().daemon().name("9p-conn-" + peer).start(() -> {
                try {
                    new Connection(channel, config, peer).run();
                } finally {
                    connections.remove(channel);
                }
            });
        }
    }

    /**
     * A Unix socket's peer, as the kernel vouches for it (SO_PEERCRED): root (the kernel's own 9P
     * mount is made by root) and the user the server runs as may connect; anyone else acting with
     * this server's cluster credentials is what the private socket is there to prevent.
     */
    private static boolean trusted(SocketChannel channel, String peer) {
        String self = System.getProperty("user.name");
        String user;
        try {
            user = channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
        } catch (IOException | UnsupportedOperationException e) {
            user = null;
        }
        if ("root".equals(user) || self.equals(user)) {
            return true;
        }
        LOG.log(Level.WARNING, "{0}: refused a connection from user {1}: only root and {2} may connect",
                peer, user == null ? "(unknown)" : user, self);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: closing a refused connection: {1}", peer, e.toString());
        }
        return false;
    }

    private static String describe(SocketChannel channel, Endpoint bound) {
        try {
            return bound instanceof Endpoint.Tcp ? String.valueOf(channel.getRemoteAddress()) : bound.toString();
        } catch (IOException e) {
            return bound.toString();
        }
    }

    /** Stops listening and closes every connection; their fids are clunked as the connections end. */
    @Override
    public void close() {
        listeners.forEach((listener, bound) -> {
            try {
                listener.close();
                if (bound instanceof Endpoint.Unix unix) {
                    Files.deleteIfExists(unix.path());
                }
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing listener {0}: {1}", bound, e.toString());
            }
        });
        for (SocketChannel channel : connections) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing connection: {0}", e.toString());
            }
        }
    }
}
