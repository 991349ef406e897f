package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.demo.ApiServer;
import io.k9p.demo.DemoCluster;
import io.k9p.protocol.Errno;
import io.k9p.server.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import io.k9p.testing.PathClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** When the API server goes away, changes fail with EIO, cached reads go on, and k9p stays up. */
class ApiServerGoneTest {
    private static final String COREDNS = "/namespaces/kube-system/deployments/coredns";

    @Test
    void changesFailWithEioAndTheServerStaysUp() throws Exception {
        ApiServer api = DemoCluster.start(0);
        Path kubeconfig = Files.createTempFile("k9p-gone", ".kubeconfig");
        api.writeKubeconfig(kubeconfig);
        try (KubeFileSystem fileSystem = new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null);
             NinePServer server = new NinePServer(ServerConfig.defaults(fileSystem))) {
            Endpoint endpoint = server.listen(Endpoint.parse("127.0.0.1:0"));
            try (PathClient fs = PathClient.attach(endpoint, "")) {
                assertThat(fs.read(COREDNS + "/scale")).isEqualTo("2\n");
                api.close();

                long started = System.nanoTime();
                assertThatThrownBy(() -> fs.write(COREDNS + "/scale", "3"))
                        .isInstanceOfSatisfying(PathClient.Failure.class,
                                f -> assertThat(f.errno).isEqualTo(Errno.EIO.number()));
                assertThat((System.nanoTime() - started) / 1_000_000).as("ms until the write failed").isLessThan(10_000);
                assertThat(fs.read(COREDNS + "/error")).contains("scale coredns");
                // What the watch already holds stays readable, and new connections are served.
                assertThat(fs.read(COREDNS + "/scale")).isEqualTo("2\n");
                try (PathClient other = PathClient.attach(endpoint, "")) {
                    assertThat(other.list("/namespaces")).contains("kube-system");
                }
            }
        } finally {
            api.close();
        }
    }
}
