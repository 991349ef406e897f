package io.k9p.cli;

import io.k9p.fs.FsException;
import io.k9p.kube.KubeFileSystem;
import io.k9p.kube.cluster.DeletionGuard;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which cluster a command serves: the options of serve and mount. */
final class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or in a pod its service account).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME",
            description = "The kubeconfig context (default: the current context; a 9P mount may pick another"
                    + " with -o aname=CONTEXT).")
    String context;

    /** The cluster's tree once its API server has answered; else null, having said in one line why not. */
    KubeFileSystem open(DeletionGuard.Limit deletions, PrintWriter err) {
        return checked(new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), context, deletions), err);
    }

    /**
     * {@code tree} once its default context's API server has answered, so that nothing says it is
     * ready (mounted, serving) for a cluster that is not there; else null, closed, having said why.
     */
    static KubeFileSystem checked(KubeFileSystem tree, PrintWriter err) {
        try {
            tree.check();
            return tree;
        } catch (FsException e) {
            tree.close();
            err.println("k9p: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    /** How logs and the mount table name the cluster. */
    String describe() {
        return context == null ? "cluster" : "cluster " + context;
    }
}
