package io.k9p.cli;

import io.k9p.fs.Directory;
import io.k9p.fs.FileSystem;
import io.k9p.fs.FsException;
import io.k9p.fuse.FuseMount;
import io.k9p.kube.KubeFileSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/** {@code k9p mount}: the cluster tree through FUSE, for users without root or a 9P kernel client. */
@Command(name = "mount",
        mixinStandardHelpOptions = true,
        description = {
            "Mounts a Kubernetes cluster on MOUNTPOINT through FUSE, as the user who runs it: no root",
            "and no 9p kernel module needed. It is the tree `k9p serve` serves, in this process.",
            "Runs in the foreground; Ctrl-C, SIGTERM or `fusermount3 -u MOUNTPOINT` unmounts it."
        })
final class MountCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MOUNTPOINT", description = "An existing directory.")
    Path mountPoint;

    @Mixin
    ClusterOptions cluster;

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
        KubeFileSystem tree = cluster.open();
        try {
            return mount(tree, "k9p " + cluster.describe(), err);
        } finally {
            tree.close();
        }
    }

    private int mount(FileSystem fileSystem, String source, PrintWriter err) throws InterruptedException {
        Path where = mountPoint.toAbsolutePath().normalize();
        FuseMount mount;
        try {
            Directory root = fileSystem.attach(System.getProperty("user.name"), "");
            mount = FuseMount.mount(root, where, new FuseMount.Options(readOnly, allowOther, source));
        } catch (IOException | FsException e) {
            err.println("k9p: " + e.getMessage());
            err.flush();
            return 1;
        }
        // Signals end the mount, and the process then exits 0 like any finished command.
        Signal.handle(new Signal("INT"), signal -> mount.close());
        Signal.handle(new Signal("TERM"), signal -> mount.close());
        Signal.handle(new Signal("HUP"), signal -> mount.close());
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
