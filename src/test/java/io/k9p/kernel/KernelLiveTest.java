package io.k9p.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.testing.ClusterServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live files through the kernel mount: a watch read that {@code timeout} interrupts (and whose
 * upstream watch is released), a followed log, and the example controller, a shell script that
 * reacts to the watch file.
 */
class KernelLiveTest {
    private static GuestVm guest;
    private ClusterServer cluster;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.require();
    }

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterServer.demo();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void watchFollowAndAShellController() throws Exception {
        String controller = Files.readString(Path.of("examples/replicas-from-configmap.sh"));
        String script = """
                step() { echo "== $1"; }
                mkdir -p /mnt/k8s
                mount -t 9p -o trans=tcp,port=%d,version=9p2000.L 10.0.2.2 /mnt/k8s || exit 90
                K=/mnt/k8s/namespaces/kube-system
                cat > /tmp/controller.sh <<'CONTROLLER'
                %sCONTROLLER
                step watch; (sleep 1; echo 3 > $K/deployments/coredns/scale) & timeout 2 cat $K/deployments/watch; echo "status $?"
                step follow; timeout 2 cat $K/pods/coredns-5fc75767bb-7f9gx/follow/coredns | tail -n 1; echo "status $?"
                step controller
                printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: dns-size\\ndata:\\n  replicas: "4"\\n' > $K/configmaps/dns-size.yaml
                sh /tmp/controller.sh /mnt/k8s kube-system dns-size replicas coredns > /tmp/controller.log 2>&1 &
                controller=$!
                wait_for() { i=0; while [ "$(cat $K/deployments/coredns/scale)" != "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; cat $K/deployments/coredns/scale; }
                wait_for 4
                echo -n 6 > $K/configmaps/dns-size/data/replicas
                wait_for 6
                kill $controller; wait $controller; cat /tmp/controller.log
                step after; ls $K/deployments/coredns > /dev/null && echo usable
                step umount; cd / && umount /mnt/k8s && echo unmounted
                """.formatted(cluster.port(), controller.endsWith("\n") ? controller : controller + "\n");
        GuestVm.Result result = guest.runScript(script, Duration.ofMinutes(4));
        Map<String, String> steps = ScriptSteps.split(result.output());
        assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();

        String rv = cluster.kube.apps().deployments().inNamespace("kube-system").withName("coredns").get()
                .getMetadata().getResourceVersion();
        assertThat(steps.get("watch")).contains("MODIFIED deployments coredns ").contains("status 143");
        assertThat(steps.get("follow")).contains("NOERROR").contains("status 0");
        assertThat(steps.get("controller")).startsWith("4\n6\n")
                .contains("scaled coredns from 3 to 4").contains("scaled coredns from 4 to 6");
        assertThat(cluster.kube.apps().deployments().inNamespace("kube-system").withName("coredns").get()
                .getSpec().getReplicas()).isEqualTo(6);
        assertThat(rv).isNotNull();
        assertThat(steps.get("after")).isEqualTo("usable\n");
        assertThat(steps.get("umount")).isEqualTo("unmounted\n");
        assertThat(cluster.fileSystem.openWatches()).as("upstream watches after the readers left").isZero();
    }
}
