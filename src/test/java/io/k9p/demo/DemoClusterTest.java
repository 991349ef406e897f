package io.k9p.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo cluster, read back through the API as k9p will read it. */
class DemoClusterTest {
    private static ApiServer server;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        long started = System.nanoTime();
        server = DemoCluster.start(0);
        System.out.printf("DemoCluster: server started and seeded in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        client = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void namespacesAndReadyNodes() {
        assertThat(client.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
                .containsExactlyInAnyOrder("default", "kube-system", "shop");
        List<Node> nodes = client.nodes().list().getItems();
        assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrder("node-1", "node-2");
        for (Node node : nodes) {
            assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("Ready");
                assertThat(c.getStatus()).isEqualTo("True");
            });
        }
    }

    @Test
    void corednsDeploymentKeepsItsStatus() {
        Deployment coredns = client.apps().deployments().inNamespace("kube-system").withName("coredns").get();
        assertThat(coredns.getSpec().getReplicas()).isEqualTo(2);
        assertThat(coredns.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.k8s.io/coredns:1.6.4");
        assertThat(coredns.getStatus().getReplicas()).isEqualTo(2);
        assertThat(coredns.getStatus().getReadyReplicas()).isEqualTo(1);
        assertThat(coredns.getStatus().getAvailableReplicas()).isEqualTo(1);
    }

    @Test
    void corednsPodsMatchTheDeploymentAndOneIsCrashLooping() {
        Deployment coredns = client.apps().deployments().inNamespace("kube-system").withName("coredns").get();
        List<Pod> pods = client.pods().inNamespace("kube-system")
                .withLabels(coredns.getSpec().getSelector().getMatchLabels()).list().getItems();
        assertThat(pods).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder(DemoCluster.HEALTHY_POD, DemoCluster.CRASHING_POD);
        for (Pod pod : pods) {
            assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
                assertThat(owner.getKind()).isEqualTo("ReplicaSet");
                assertThat(owner.getName()).isEqualTo("coredns-5fc75767bb");
            });
            assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
        }
        Pod healthy = client.pods().inNamespace("kube-system").withName(DemoCluster.HEALTHY_POD).get();
        assertThat(healthy.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
        assertThat(healthy.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });

        Pod crashing = client.pods().inNamespace("kube-system").withName(DemoCluster.CRASHING_POD).get();
        ContainerStatus status = crashing.getStatus().getContainerStatuses().get(0);
        assertThat(status.getReady()).isFalse();
        assertThat(status.getRestartCount()).isEqualTo(7);
        assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(status.getState().getWaiting().getMessage()).contains(crashing.getMetadata().getUid());
        assertThat(status.getLastState().getTerminated().getExitCode()).isEqualTo(1);

        String replicaSetOwner = client.apps().replicaSets().inNamespace("kube-system").withName("coredns-5fc75767bb")
                .get().getMetadata().getOwnerReferences().get(0).getUid();
        assertThat(replicaSetOwner).isEqualTo(coredns.getMetadata().getUid());
    }

    /**
     * The pods whose logs a real API server refuses, answered as the kubelet answers them (400, in
     * its words), beside the completed pod whose log it serves.
     */
    @Test
    void podsThatAreNotRunningAndTheirLogs() {
        var shop = client.pods().inNamespace("shop");
        Pod checkout = shop.withName(DemoCluster.CHECKOUT_POD).get();
        assertThat(checkout.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(checkout.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason())
                .isEqualTo("ContainerCreating");
        assertThat(checkout.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("checkout-7d4b9c6f5");
        assertThatThrownBy(() -> shop.withName(DemoCluster.CHECKOUT_POD).getLog())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getStatus().getMessage()).isEqualTo("container \"checkout\" in pod \""
                            + DemoCluster.CHECKOUT_POD + "\" is waiting to start: ContainerCreating");
                });

        ContainerStatus sidecar = shop.withName(DemoCluster.PAYMENTS_POD).get().getStatus().getContainerStatuses().get(1);
        assertThat(sidecar.getRestartCount()).isPositive();
        assertThat(sidecar.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
        assertThat(sidecar.getLastState().getTerminated()).as("the previous run, no longer kept").isNull();
        var payments = shop.withName(DemoCluster.PAYMENTS_POD);
        assertThat(payments.inContainer("payments").getLog()).contains("listening on :8080");
        assertThatThrownBy(() -> payments.inContainer("sidecar").terminated().getLog())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(400);
                    assertThat(e.getStatus().getMessage()).isEqualTo("previous terminated container \"sidecar\" in pod \""
                            + DemoCluster.PAYMENTS_POD + "\" not found");
                });
        assertThatThrownBy(() -> payments.inContainer("sidecar").getLog())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .endsWith("is waiting to start: CrashLoopBackOff"));

        Pod completed = shop.withName("db-migrate-8m2kq").get();
        assertThat(completed.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(shop.withName("db-migrate-8m2kq").getLog()).contains("2 migrations applied");
    }

    @Test
    void corednsLogsAndEvents() {
        var crashing = client.pods().inNamespace("kube-system").withName(DemoCluster.CRASHING_POD);
        assertThat(crashing.terminated().getLog()).contains("[FATAL] plugin/loop");
        assertThat(crashing.getLog()).as("while the container waits to restart, the kubelet serves its last run's log")
                .isEqualTo(crashing.terminated().getLog());
        assertThat(client.pods().inNamespace("kube-system").withName(DemoCluster.HEALTHY_POD).getLog())
                .contains("CoreDNS-1.6.4");

        List<Event> events = client.v1().events().inNamespace("kube-system")
                .withField("involvedObject.name", DemoCluster.CRASHING_POD).list().getItems();
        assertThat(events).extracting(e -> e.getType() + " " + e.getReason())
                .contains("Normal Scheduled", "Warning BackOff");
        assertThat(client.v1().events().inNamespace("kube-system").withField("type", "Warning").list().getItems())
                .allSatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo(DemoCluster.CRASHING_POD));
    }

    @Test
    void shopHasAMultiContainerPodWithLogsForEveryContainer() {
        Pod web = client.pods().inNamespace("shop").withName("web-0").get();
        assertThat(web.getSpec().getContainers()).extracting(c -> c.getName()).containsExactly("nginx", "log-shipper");
        assertThat(web.getSpec().getInitContainers()).extracting(c -> c.getName()).containsExactly("init-config");
        for (String container : List.of("nginx", "log-shipper", "init-config")) {
            assertThat(client.pods().inNamespace("shop").withName("web-0").inContainer(container).getLog())
                    .as(container).isNotEmpty();
        }
        Pod job = client.pods().inNamespace("shop").withLabel("job-name", "db-migrate").list().getItems().get(0);
        assertThat(job.getStatus().getPhase()).isEqualTo("Succeeded");
        assertThat(client.pods().inNamespace("shop").withName(job.getMetadata().getName()).getLog())
                .contains("migrations applied");
    }

    @Test
    void shopConfigurationAndService() {
        assertThat(client.configMaps().inNamespace("shop").withName("settings").get().getData())
                .containsEntry("color", "blue").containsEntry("size", "3");
        Secret secret = client.secrets().inNamespace("shop").withName("db-credentials").get();
        assertThat(decode(secret.getData().get("username"))).isEqualTo("admin");
        assertThat(decode(secret.getData().get("password"))).isEqualTo("s3cret");
        assertThat(client.services().inNamespace("shop").withName("web").get().getSpec().getSelector())
                .containsEntry("app", "web");
    }

    @Test
    void customResources() {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName(DemoCluster.CRONTAB_CRD).get();
        assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
        assertThat(crd.getSpec().getVersions().get(0).getSubresources().getScale().getSpecReplicasPath())
                .isEqualTo(".spec.replicas");

        GenericKubernetesResource nightly = client.genericKubernetesResources("stable.example.com/v1", "CronTab")
                .inNamespace("shop").withName("nightly").get();
        assertThat((Object) nightly.get("spec", "cronSpec")).isEqualTo("0 3 * * *");
        assertThat((Object) nightly.get("spec", "image")).isEqualTo("backup:1.0");
        assertThat((Object) nightly.get("spec", "replicas")).isEqualTo(1);
        assertThat((Object) nightly.get("status", "replicas")).as("status set through /status").isEqualTo(1);

        List<GenericKubernetesResource> policies = client
                .genericKubernetesResources("stable.example.com/v1", "BackupPolicy").list().getItems();
        assertThat(policies).extracting(HasMetadata::getMetadata).extracting(m -> m.getNamespace() + "/" + m.getName())
                .containsExactly("null/default");
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
