package io.k9p.cli;

import io.k9p.demo.AccessPolicy;
import io.k9p.demo.ApiServer;
import io.k9p.demo.DemoCluster;
import io.k9p.kube.KubeFileSystem;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code k9p demo}: an embedded demo cluster, served, with the commands to try it. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a demo cluster in this process and serves it over 9P.",
            "",
            "Starts an in-process Kubernetes API server seeded with a demo cluster (CoreDNS with a healthy and a"
                    + " crash-looping pod; a shop namespace with a StatefulSet, a pod still being created, one whose"
                    + " sidecar crash-loops and a completed Job; a ConfigMap, a Secret, nodes and custom resources),"
                    + " serves it over 9P and prints the mount commands. Nothing outside this process is touched;"
                    + " the demo is gone when it stops."
        })
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Option(names = "--api-port", paramLabel = "PORT",
            description = "Port of the demo API server on 127.0.0.1 (default: a free one).")
    int apiPort;

    @Override
    public Integer call() throws Exception {
        Logging.configure(server.verbose);
        ApiServer api;
        try {
            api = DemoCluster.start(apiPort);
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("k9p: cannot start the demo API server on 127.0.0.1:" + apiPort + ": "
                    + Logging.summary(e));
            return 1;
        }
        Path kubeconfig = Files.createTempFile("k9p-demo-", ".kubeconfig");
        kubeconfig.toFile().deleteOnExit();
        api.writeKubeconfig(kubeconfig);
        KubeFileSystem cluster = ClusterOptions.checked(
                new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null), spec.commandLine().getErr());
        if (cluster == null) {
            api.close();
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("k9p: demo API server at " + api.url() + " (kubeconfig " + kubeconfig + ")");
        out.println("k9p: kubectl works too: kubectl --kubeconfig " + kubeconfig + " get pods -A");
        // Relative paths: the user mounts wherever they like, with one of the commands printed below.
        out.println("k9p: once mounted, try in the mount's directory: ls namespaces/kube-system/pods;"
                + " grep -L Running namespaces/*/pods/*/status; ls -l namespaces/shop/pods/*/logs (a log that"
                + " cannot be read is empty), then cat namespaces/shop/pods/*/error (why)");
        out.println("k9p: two demo users: " + AccessPolicy.ALICE + " (token " + AccessPolicy.ALICE_TOKEN
                + ") reads namespace shop but its secrets and may change its configmaps; " + AccessPolicy.BOB
                + " (token " + AccessPolicy.BOB_TOKEN + ") reads everything but secrets and changes nothing");
        out.println(server.auth == ServerOptions.Auth.token
                ? "k9p: try one: echo " + AccessPolicy.ALICE_TOKEN + " > alice.token, then k9p mount --server ADDRESS"
                        + " --token-file alice.token ~/k8s-alice"
                : "k9p: to try them, run k9p demo --auth token and mount with k9p mount --server ADDRESS --token-file"
                        + " FILE; or serve unix:PATH with --user-map FILE (lines like '1001 alice') for kernel mounts");
        return server.serve(spec, cluster, "the demo cluster", cluster.tokenReviews(), () -> {
            cluster.close();
            api.close();
        });
    }
}
