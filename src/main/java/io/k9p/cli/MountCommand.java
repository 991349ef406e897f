package io.k9p.cli;

import io.k9p.auth.Identity;
import io.k9p.client.NinePClient;
import io.k9p.client.RemoteFileSystem;
import io.k9p.fs.Directory;
import io.k9p.fs.FileSystem;
import io.k9p.fs.FsException;
import io.k9p.fuse.FuseMount;
import io.k9p.kube.KubeFileSystem;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Errno;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** {@code k9p mount}: the cluster tree through FUSE, for users without root or a 9P kernel client. */
@Command(name = "mount",
        mixinStandardHelpOptions = true,
        description = {
            "Mounts a Kubernetes cluster through FUSE, without root.",
            "",
            "Mounts a Kubernetes cluster on MOUNTPOINT through FUSE, as the user who runs it: no root and no 9p"
                    + " kernel module needed. It is the tree that `k9p serve` serves, in this process, once the"
                    + " cluster has answered (when it cannot be reached, mount says why and exits 1); with --server,"
                    + " the tree of a 9P2000.L server (a k9p serve, or diod) through k9p's 9P client.",
            "Runs in the foreground; Ctrl-C, SIGTERM or `fusermount3 -u MOUNTPOINT` unmounts it."
        })
final class MountCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MOUNTPOINT", description = "An existing, empty directory.")
    Path mountPoint;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    DeletionOptions deletions;

    @Option(names = "--server", paramLabel = "ADDRESS",
            description = "Mount this 9P2000.L server instead of a cluster: HOST:PORT, tcp:HOST:PORT or unix:PATH."
                    + " --context becomes the aname, the server's choice of tree.")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "With --server: the bearer token to attach with, for a server run with --auth token"
                    + " (default: the token of the kubeconfig's current context, where it has one). Sent only to a server that asks.")
    Path tokenFile;

    @Option(names = "--read-only", description = "Mount read-only: every change fails with EROFS.")
    boolean readOnly;

    @Option(names = "--allow-other",
            description = "Let other users reach the mount (needs user_allow_other in /etc/fuse.conf).")
    boolean allowOther;

    @Option(names = {"-v", "--verbose"}, description = "Log every failed request.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        PrintWriter err = spec.commandLine().getErr();
        try {
            FuseMount.checkMountPoint(mountPoint.toAbsolutePath().normalize());
        } catch (IOException e) {
            err.println("k9p: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (server != null) {
            if (deletions.given(spec)) {
                throw new ParameterException(spec.commandLine(),
                        "--deletion-burst and --deletion-window apply to a tree in this process: with --server, the server's own do");
            }
            if (cluster.cacheIdleGiven(spec)) {
                throw new ParameterException(spec.commandLine(),
                        "--cache-idle applies to a tree in this process: with --server, the server's own does");
            }
            return mountServer(err);
        }
        KubeFileSystem tree = cluster.open(deletions.limit(spec), err);
        if (tree == null) {
            return 1;
        }
        try {
            return mount(tree, cluster.context, "k9p " + cluster.describe(), err);
        } finally {
            tree.close();
        }
    }

    /** A remote server's tree: its requests fail with EIO once it is gone, as the 9P mount's do. */
    private int mountServer(PrintWriter err) throws InterruptedException {
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(server);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--server: " + e.getMessage());
        }
        String token;
        try {
            token = tokenFile != null ? Files.readString(tokenFile).strip() : KubeFileSystem.token(cluster.kubeconfig);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--token-file: cannot read " + tokenFile + ": " + e.getMessage());
        }
        RemoteFileSystem remote;
        try {
            remote = new RemoteFileSystem(NinePClient.connect(endpoint), token);
        } catch (FsException e) {
            err.println("k9p: cannot reach the 9P server at " + endpoint + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        AtomicBoolean mounted = new AtomicBoolean(true);
        remote.client().closed().whenComplete((done, failure) -> {
            if (mounted.get()) {
                err.println("k9p: the 9P server at " + endpoint + " is gone; requests fail with EIO until unmounted");
                err.flush();
            }
        });
        try {
            return mount(remote, cluster.context, "k9p " + endpoint, err);
        } finally {
            mounted.set(false);
            remote.close();
        }
    }

    private int mount(FileSystem fileSystem, String aname, String source, PrintWriter err)
            throws InterruptedException {
        Path where = mountPoint.toAbsolutePath().normalize();
        FuseMount mount;
        try {
            Directory root = fileSystem.attach(Identity.OWNER, aname == null ? "" : aname);
            mount = FuseMount.mount(root, where, new FuseMount.Options(readOnly, allowOther, source));
        } catch (IOException | FsException e) {
            err.println("k9p: " + e.getMessage());
            if (server != null && e instanceof FsException refused && refused.errno() == Errno.EACCES) {
                // 9P2000.L carries only the errno: say what the server's refusals usually mean.
                err.println("k9p: the server refused the attach: a k9p serve --auth token takes it only with"
                        + " a token (--token-file FILE, or a kubeconfig with one) that the cluster accepts");
            } else if (server != null && aname != null && e instanceof FsException refused && refused.errno() == Errno.ENOENT) {
                err.println("k9p: the server has no tree named " + aname + ": a k9p serve serves the contexts of"
                        + " its kubeconfig, and its log names the ones it has");
            }
            err.flush();
            return 1;
        }
        // A signal unmounts, whatever is in flight, and the process then exits 0 like any finished
        // command; a second one while that goes on ends the process at once, as a killed one.
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : List.of("INT", "TERM", "HUP")) {
            Signal.handle(new Signal(name), signal -> {
                if (stopping.getAndSet(true)) {
                    Runtime.getRuntime().halt(128 + signal.getNumber());
                }
                mount.close();
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("k9p: mounted " + source + (readOnly ? " read-only" : "") + " on " + where);
        out.println("k9p: unmount with: fusermount3 -u " + where + " (or Ctrl-C here)");
        out.flush();
        mount.awaitUnmounted();
        mount.close();
        out.println("k9p: unmounted " + where);
        out.flush();
        return 0;
    }
}
