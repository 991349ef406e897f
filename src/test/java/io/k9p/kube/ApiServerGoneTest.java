package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.protocol.Errno;
import io.k9p.net.Endpoint;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.PathClient;
import org.junit.jupiter.api.Test;

/** When the API server goes away, changes fail with EIO, cached reads go on, and k9p stays up. */
class ApiServerGoneTest {
    private static final String COREDNS = "/namespaces/kube-system/deployments/coredns";

    @Test
    void changesFailWithEioAndTheServerStaysUp() throws Exception {
        try (ClusterServer cluster = ClusterServer.demo()) {
            Endpoint endpoint = cluster.endpoint;
            try (PathClient fs = PathClient.attach(endpoint, "")) {
                assertThat(fs.read(COREDNS + "/scale")).isEqualTo("2\n");
                cluster.api.close();

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
        }
    }
}
