package io.k9p.cli;

import io.k9p.auth.Authenticator;
import io.k9p.auth.UserMap;
import io.k9p.fs.FileSystem;
import io.k9p.net.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of every command that runs the 9P server, and the running of it. */
final class ServerOptions {
    @Option(names = {"-l", "--listen"}, paramLabel = "ADDRESS",
            description = "HOST:PORT, tcp:HOST:PORT or unix:PATH; repeatable (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1:1564")
    List<String> listen = new ArrayList<>();

    @Option(names = "--msize", paramLabel = "BYTES",
            description = "Largest 9P message accepted (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ServerConfig.DEFAULT_MAX_MSIZE)
    int msize;

    @Option(names = "--max-fids", paramLabel = "N",
            description = "Fids one connection may hold at once (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + ServerConfig.DEFAULT_MAX_FIDS)
    int maxFids;

    @Option(names = "--read-only", description = "Refuse every change with EROFS.")
    boolean readOnly;

    @Option(names = {"-v", "--verbose"}, description = "Log every failed request and connection event.")
    boolean verbose;

    @Option(names = "--insecure",
            description = "Serve TCP on an address other machines reach, with no authentication: whoever connects"
                    + " acts with this server's cluster credentials.")
    boolean insecure;

    /** How attaches over TCP authenticate. */
    enum Auth { none, token }

    @Option(names = "--auth", paramLabel = "MODE",
            description = "none (default), or token: every attach over TCP brings a bearer token (9P Tauth),"
                    + " checked with a TokenReview, and acts as its user.",
            defaultValue = "none")
    Auth auth;

    @Option(names = "--user-map", paramLabel = "FILE",
            description = "Lines 'UID USER [GROUP,...]': over a Unix socket, the kernel's attach for a mapped"
                    + " local uid acts as that Kubernetes user; other uids but root and yours are refused.")
    Path userMap;

    /**
     * Serves {@code fileSystem} until the JVM is stopped; returns the exit status. {@code tokens}
     * checks tokens for --auth token, null where the tree has no cluster to ask.
     */
    int serve(CommandSpec spec, FileSystem fileSystem, String what, Authenticator tokens, Runnable onStop)
            throws InterruptedException {
        if (auth == Auth.token && tokens == null) {
            throw new ParameterException(spec.commandLine(), "--auth token checks tokens with the cluster: not with " + what);
        }
        UserMap users = UserMap.EMPTY;
        if (userMap != null) {
            try {
                users = UserMap.read(userMap);
            } catch (IOException | IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--user-map: " + e.getMessage());
            }
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (String address : listen) {
            try {
                endpoints.add(Endpoint.parse(address));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
            }
        }
        for (Endpoint endpoint : endpoints) {
            String refusal = refusal(endpoint);
            if (refusal != null) {
                spec.commandLine().getErr().println("k9p: " + refusal);
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        NinePServer server = new NinePServer(new ServerConfig(fileSystem, msize, maxFids, readOnly)
                .admitting(users, auth == Auth.token ? tokens : null));
        // Closing in the hook, not after it, so a Unix socket file is gone before the JVM halts.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            onStop.run();
        }, "k9p-shutdown"));
        for (Endpoint endpoint : endpoints) {
            Endpoint bound;
            try {
                bound = server.listen(endpoint);
            } catch (IOException e) {
                spec.commandLine().getErr().println("k9p: cannot listen on " + endpoint + ": " + e.getMessage());
                return 1;
            }
            announce(out, what, endpoint, bound);
        }
        if (userMap != null) {
            boolean unix = endpoints.stream().anyMatch(endpoint -> endpoint instanceof Endpoint.Unix);
            out.println("k9p: " + userMap + " maps " + users.size() + " uids to Kubernetes users"
                    + (unix ? " on the Unix sockets" : "; it applies only to Unix sockets, and none is served"));
        }
        out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    /**
     * Why the endpoint is not served, or null. TCP beyond loopback without tokens would hand this
     * server's cluster credentials to anyone who reaches the port, so it needs an explicit --insecure.
     */
    String refusal(Endpoint endpoint) {
        if (insecure || auth == Auth.token || !(endpoint instanceof Endpoint.Tcp tcp) || tcp.isLoopback()) {
            return null;
        }
        return "refusing to serve " + endpoint + " without authentication: anyone who reaches it would act with"
                + " this server's cluster credentials. Add --auth token (each attach brings a bearer token and"
                + " acts as its user), listen on 127.0.0.1 or a Unix socket (unix:PATH, private to you and"
                + " root), or add --insecure to serve it anyway";
    }

    /**
     * Says where the server listens, as the user wrote it (with the port the kernel chose for 0), and
     * the commands a client mounts it with: the kernel's with the address the socket got (it takes
     * no names), k9p's as written. An address of every interface (0.0.0.0, ::) is not one a client
     * connects to: the commands name HOST, to be this machine's name or address.
     */
    void announce(PrintWriter out, String what, Endpoint asked, Endpoint bound) {
        boolean token = bound instanceof Endpoint.Tcp && auth == Auth.token;
        Endpoint shown = bound;
        Endpoint kernel = bound;
        Endpoint client = bound;
        boolean everyAddress = false;
        if (asked instanceof Endpoint.Tcp tcp && bound instanceof Endpoint.Tcp got) {
            shown = new Endpoint.Tcp(tcp.host(), got.port());
            everyAddress = tcp.isWildcard();
            kernel = everyAddress ? new Endpoint.Tcp("HOST", got.port()) : got;
            client = everyAddress ? kernel : shown;
        }
        out.println("k9p: serving " + what + (readOnly ? " read-only" : "") + " on " + shown
                + (token ? " (attaches need a token)" : ""));
        out.println("k9p: mount with: " + mountCommand(kernel));
        out.println("k9p: or, without root: k9p mount --server " + client + (token ? " --token-file FILE" : "")
                + " ~/k8s");
        if (everyAddress) {
            out.println("k9p: " + shown + " is every address of this machine: for HOST, use its name or one of"
                    + " its addresses that the client reaches");
        }
    }

    static String mountCommand(Endpoint endpoint) {
        return switch (endpoint) {
            case Endpoint.Tcp tcp -> "mount -t 9p -o trans=tcp,port=" + tcp.port() + ",version=9p2000.L "
                    + tcp.host() + " /mnt/k8s";
            case Endpoint.Unix unix -> "mount -t 9p -o trans=unix,version=9p2000.L " + unix.path() + " /mnt/k8s";
        };
    }
}
