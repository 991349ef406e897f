package io.k9p.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.DemoCluster;
import io.k9p.net.Endpoint;
import io.k9p.testing.ClusterServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes tree through the Linux kernel's 9P client, against a real HTTP API server seeded
 * with the demo cluster: the talk's workflows, run by busybox in a QEMU guest, each checked against
 * the API server afterwards.
 */
class KernelKubeTest {
    private static GuestVm guest;
    private ClusterServer cluster;
    private KubernetesClient kube;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.require();
    }

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterServer.demo();
        kube = cluster.kube;
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void talkWorkflowsThroughTheKernelMount() throws Exception {
        int port = cluster.port();
        int readOnlyPort = ((Endpoint.Tcp) cluster.listen(true)).port();
        String script = """
                step() { echo "== $1"; }
                mkdir -p /mnt/k8s /mnt/ro
                mount -t 9p -o trans=tcp,port=%d,version=9p2000.L 10.0.2.2 /mnt/k8s || exit 90
                mount -t 9p -o trans=tcp,port=%d,version=9p2000.L 10.0.2.2 /mnt/ro || exit 91
                cd /mnt/k8s
                K=namespaces/kube-system
                step ls; ls -lp $K/deployments/coredns
                step sizes; wc -c < $K/deployments/coredns/data.yaml; stat -c %%s $K/deployments/coredns/data.yaml
                step scale; echo 5 > $K/deployments/coredns/scale && cat $K/deployments/coredns/scale
                step badscale; echo five > $K/deployments/coredns/scale; echo "status $?"
                step notrunning; grep -L Running $K/pods/*/status
                step tail; tail $K/pods/coredns-*/logs/*
                step sed; sed -i 's/1.6.4/1.6.5/' $K/deployments/coredns/data.yaml && grep 'image:' $K/deployments/coredns/data.yaml
                step create; printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: web\\ndata:\\n  port: "8080"\\n' > /tmp/web.yaml
                cp /tmp/web.yaml namespaces/shop/configmaps/ && ls -1 namespaces/shop/configmaps
                step delete; rm -r namespaces/shop/configmaps/web; echo "status $?"; ls -1 namespaces/shop/configmaps
                step crd; grep cronSpec namespaces/shop/crontabs/nightly/data.yaml; echo 3 > namespaces/shop/crontabs/nightly/scale && cat namespaces/shop/crontabs/nightly/scale
                step key; echo -n red > namespaces/shop/configmaps/settings/data/color && cat namespaces/shop/configmaps/settings/data/color; echo
                step conflict; cp namespaces/shop/configmaps/settings/data.yaml /tmp/old.yaml
                echo -n 9 > namespaces/shop/configmaps/settings/data/size
                sed 's/red/green/' /tmp/old.yaml > namespaces/shop/configmaps/settings/stale.yaml
                mv namespaces/shop/configmaps/settings/stale.yaml namespaces/shop/configmaps/settings/data.yaml; echo "status $?"
                cat namespaces/shop/configmaps/settings/error
                step invalid; printf 'data: [unclosed\\n' > namespaces/shop/configmaps/settings/bad.yaml
                mv namespaces/shop/configmaps/settings/bad.yaml namespaces/shop/configmaps/settings/data.yaml; echo "status $?"
                step mkdir; mkdir namespaces/from-guest && ls -1 namespaces
                step readonly; echo 1 > /mnt/ro/$K/deployments/coredns/scale; echo "status $?"; cat /mnt/ro/$K/deployments/coredns/scale
                step umount; cd / && umount /mnt/k8s && umount /mnt/ro && echo unmounted
                """.formatted(port, readOnlyPort);
        GuestVm.Result result = guest.runScript(script, Duration.ofMinutes(4));
        Map<String, String> steps = ScriptSteps.split(result.output());
        assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();

        assertThat(steps.get("ls").lines().filter(line -> !line.startsWith("total"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1)))
                .containsExactlyInAnyOrder("data.yaml", "data.json", "error", "events", "scale", "status", "ctl");
        assertThat(steps.get("ls")).contains("-rw-r--r--").contains("-r--r--r--");
        var sizes = steps.get("sizes").lines().map(String::trim).toList();
        assertThat(sizes.get(0)).isEqualTo(sizes.get(1)).isNotEqualTo("0");

        assertThat(steps.get("scale")).isEqualTo("5\n");
        assertThat(steps.get("badscale")).contains("Invalid argument").contains("status 1");
        assertThat(kube.apps().deployments().inNamespace("kube-system").withName("coredns").get()
                .getSpec().getReplicas()).isEqualTo(5);

        assertThat(steps.get("notrunning").lines())
                .containsExactly("namespaces/kube-system/pods/" + DemoCluster.CRASHING_POD + "/status");
        assertThat(steps.get("tail")).doesNotContain("can't open").contains("==> namespaces/kube-system/pods/" + DemoCluster.CRASHING_POD
                + "/logs/coredns.previous <==").contains("i/o timeout");

        assertThat(steps.get("sed")).contains("registry.k8s.io/coredns:1.6.5");
        assertThat(kube.apps().deployments().inNamespace("kube-system").withName("coredns").get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.k8s.io/coredns:1.6.5");

        assertThat(steps.get("create").lines()).contains("web", "settings").doesNotContain("web.yaml");
        assertThat(steps.get("delete")).contains("status 0").doesNotContain("web\n");
        assertThat(kube.configMaps().inNamespace("shop").withName("web").get()).isNull();

        assertThat(steps.get("crd")).contains("0 3 * * *").endsWith("3\n");
        GenericKubernetesResource nightly = kube.genericKubernetesResources("stable.example.com/v1", "CronTab")
                .inNamespace("shop").withName("nightly").get();
        assertThat(((Map<?, ?>) nightly.getAdditionalProperties().get("spec")).get("replicas")).isEqualTo(3);

        assertThat(steps.get("key")).isEqualTo("red\n");
        assertThat(steps.get("conflict")).contains("Stale file handle").contains("status 1");
        assertThat(steps.get("invalid")).contains("Invalid argument").contains("status 1");
        var settings = kube.configMaps().inNamespace("shop").withName("settings").get().getData();
        assertThat(settings).containsEntry("color", "red").containsEntry("size", "9");

        assertThat(steps.get("mkdir").lines()).contains("from-guest");
        assertThat(kube.namespaces().withName("from-guest").get()).isNotNull();

        assertThat(steps.get("readonly")).contains("Read-only file system").contains("status 1").endsWith("5\n");
        assertThat(steps.get("umount")).isEqualTo("unmounted\n");
    }
}
