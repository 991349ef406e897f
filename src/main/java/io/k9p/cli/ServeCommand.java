package io.k9p.cli;

import io.k9p.kube.KubeFileSystem;
import io.k9p.memfs.MemFileSystem;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code k9p serve}: serves a cluster (or, with --memfs, an in-memory tree) until interrupted. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves a Kubernetes cluster over 9P until interrupted.",
            "",
            "Serves it as a 9P filesystem (9P2000, 9P2000.u and 9P2000.L). The kubeconfig's current context is"
                    + " served unless --context says otherwise; a mount can pick another context with"
                    + " -o aname=CONTEXT. The cluster is asked first: when it cannot be reached, serve says why"
                    + " and exits 1. Mount it with:",
            "  mount -t 9p -o trans=tcp,port=1564,version=9p2000.L 127.0.0.1 /mnt/k8s",
            "or, without root: k9p mount --server 127.0.0.1:1564 ~/k8s"
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    DeletionOptions deletions;

    @Option(names = "--memfs",
            description = "Serve an in-memory read/write tree instead, to check a client's mount setup.")
    boolean memfs;

    @Override
    public Integer call() throws Exception {
        Logging.configure(server.verbose);
        if (memfs) {
            return server.serve(spec, new MemFileSystem(), "memfs", null, () -> { });
        }
        KubeFileSystem tree = cluster.open(deletions.limit(spec), spec.commandLine().getErr());
        if (tree == null) {
            return 1;
        }
        return server.serve(spec, tree, cluster.describe(), tree.tokenReviews(), tree::close);
    }
}
