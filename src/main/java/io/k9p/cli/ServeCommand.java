package io.k9p.cli;

import io.k9p.fs.FileSystem;
import io.k9p.memfs.MemFileSystem;
import io.k9p.server.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code k9p serve}: runs the 9P server until interrupted. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves a filesystem over 9P (9P2000, 9P2000.u and 9P2000.L) until interrupted.",
            "Mount it with: mount -t 9p -o trans=tcp,port=1564,version=9p2000.L 127.0.0.1 /mnt/k9p"
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--memfs", required = true,
            description = "Serve an in-memory read/write tree, to check a client's mount setup. "
                    + "Serving a cluster is not available yet.")
    boolean memfs;

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

    @Option(names = {"-v", "--verbose"}, description = "Log every failed request and connection event.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        PrintWriter out = spec.commandLine().getOut();
        FileSystem fileSystem = new MemFileSystem();
        List<Endpoint> endpoints = new ArrayList<>();
        for (String address : listen) {
            try {
                endpoints.add(Endpoint.parse(address));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
            }
        }
        NinePServer server = new NinePServer(new ServerConfig(fileSystem, msize, maxFids));
        // Closing in the hook, not after it, so a Unix socket file is gone before the JVM halts.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "k9p-shutdown"));
        for (Endpoint endpoint : endpoints) {
            Endpoint bound;
            try {
                bound = server.listen(endpoint);
            } catch (IOException e) {
                spec.commandLine().getErr().println("k9p: cannot listen on " + endpoint + ": " + e.getMessage());
                server.close();
                return 1;
            }
            out.println("k9p: serving memfs on " + bound);
            out.println("k9p: mount with: " + mountCommand(bound));
        }
        out.flush();
        // Serve until the JVM is told to stop; the shutdown hook closes the server.
        new CountDownLatch(1).await();
        return 0;
    }

    static String mountCommand(Endpoint bound) {
        return switch (bound) {
            case Endpoint.Tcp tcp -> "mount -t 9p -o trans=tcp,port=" + tcp.port() + ",version=9p2000.L "
                    + tcp.host() + " /mnt/k9p";
            case Endpoint.Unix unix -> "mount -t 9p -o trans=unix,version=9p2000.L " + unix.path() + " /mnt/k9p";
        };
    }
}
