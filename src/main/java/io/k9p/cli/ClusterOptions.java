package io.k9p.cli;

import io.k9p.kube.KubeFileSystem;
import io.k9p.kube.cluster.DeletionGuard;
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

    KubeFileSystem open(DeletionGuard.Limit deletions) {
        return new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), context, deletions);
    }

    /** How logs and the mount table name the cluster. */
    String describe() {
        return context == null ? "cluster" : "cluster " + context;
    }
}
