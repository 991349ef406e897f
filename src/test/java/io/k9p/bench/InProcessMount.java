package io.k9p.bench;

import io.k9p.auth.Identity;
import io.k9p.fuse.FuseMount;
import io.k9p.kube.KubeFileSystem;
import java.nio.file.Path;

/** {@code k9p mount} as it serves, in the benchmark's JVM: FuseMount over the cluster tree, no 9P in between. */
record InProcessMount(Path kubeconfig) implements Mounter.Mounting {
    @Override
    public AutoCloseable mount(Path mountPoint) throws Exception {
        KubeFileSystem cluster = new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null);
        try {
            FuseMount mount = FuseMount.mount(cluster.attach(Identity.OWNER, ""), mountPoint,
                    new FuseMount.Options(false, false, "k9p:bench"));
            return () -> {
                mount.close();
                cluster.close();
            };
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }
}
