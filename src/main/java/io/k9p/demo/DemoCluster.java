package io.k9p.demo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The demo cluster of {@code k9p demo}, created through the API like any client would: three
 * namespaces, two Ready nodes, a CoreDNS deployment with one healthy and one crash-looping pod
 * (with logs, previous logs and events), a shop namespace with a multi-container StatefulSet pod,
 * a finished Job and its completed pod, a pod still being created (checkout) and one whose sidecar
 * crash-loops with its previous run gone (payments), a ConfigMap, a Secret and Services, and two
 * custom resources (a namespaced CronTab with the scale and status subresources, a cluster-scoped
 * BackupPolicy).
 */
public final class DemoCluster {
    public static final String CRASHING_POD = "coredns-5fc75767bb-x2r4k";
    public static final String HEALTHY_POD = "coredns-5fc75767bb-7f9gx";
    /** shop's pod whose one container waits in ContainerCreating: its log is refused with 400. */
    public static final String CHECKOUT_POD = "checkout-7d4b9c6f5-k2x9p";
    /** shop's pod whose sidecar crash-loops with no previous run kept: both its logs are refused with 400. */
    public static final String PAYMENTS_POD = "payments-6c8f5d7b9-w4n8r";
    public static final String COREDNS_IMAGE = "registry.k8s.io/coredns:1.6.4";
    public static final String CRONTAB_CRD = "crontabs.stable.example.com";
    public static final String BACKUP_POLICY_CRD = "backuppolicies.stable.example.com";

    private static final String POD_TEMPLATE_HASH = "5fc75767bb";
    private static final Map<String, String> DNS_LABELS = Map.of("k8s-app", "kube-dns");

    private final KubernetesClient client;
    private final LogStore logs;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private DemoCluster(KubernetesClient client, LogStore logs) {
        this.client = client;
        this.logs = logs;
    }

    /** Starts an API server on a free port (or the given one; 0 for free) holding the demo. */
    public static ApiServer start(int port) {
        ApiServer server = ApiServer.start(port);
        try {
            seed(server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Creates the demo in a server and fills its log store. */
    public static void seed(ApiServer server) {
        seed(server.client(), server.logs());
    }

    /** Creates the demo through a client, and the containers' logs in a log store. */
    public static void seed(KubernetesClient client, LogStore logs) {
        DemoCluster demo = new DemoCluster(client, logs);
        demo.namespacesAndNodes();
        demo.coreDns();
        demo.shop();
        demo.unreadyPods();
        demo.customResources();
    }

    private void namespacesAndNodes() {
        for (String name : List.of("default", "kube-system", "shop")) {
            create(new NamespaceBuilder()
                    .withNewMetadata().withName(name).addToLabels("kubernetes.io/metadata.name", name).endMetadata()
                    .withNewStatus().withPhase("Active").endStatus()
                    .build());
            create(new ServiceAccountBuilder().withNewMetadata().withName("default").withNamespace(name).endMetadata()
                    .build());
        }
        for (int i = 1; i <= 2; i++) {
            String name = "node-" + i;
            create(new NodeBuilder()
                    .withNewMetadata().withName(name)
                    .addToLabels("kubernetes.io/hostname", name)
                    .addToLabels("kubernetes.io/os", "linux")
                    .addToLabels("kubernetes.io/arch", "amd64")
                    .addToLabels(i == 1 ? "node-role.kubernetes.io/control-plane" : "node-role.kubernetes.io/worker", "")
                    .endMetadata()
                    .withNewSpec().withPodCIDR("10.244." + (i - 1) + ".0/24").endSpec()
                    .withNewStatus()
                    .withConditions(
                            nodeCondition("MemoryPressure", "False", "KubeletHasSufficientMemory",
                                    "kubelet has sufficient memory available"),
                            nodeCondition("DiskPressure", "False", "KubeletHasNoDiskPressure",
                                    "kubelet has no disk pressure"),
                            nodeCondition("PIDPressure", "False", "KubeletHasSufficientPID",
                                    "kubelet has sufficient PID available"),
                            nodeCondition("Ready", "True", "KubeletReady", "kubelet is posting ready status"))
                    .addNewAddress().withType("InternalIP").withAddress("192.0.2." + (10 + i)).endAddress()
                    .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                    .withCapacity(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16381388Ki"),
                            "pods", new Quantity("110"), "ephemeral-storage", new Quantity("102687672Ki")))
                    .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("16278988Ki"),
                            "pods", new Quantity("110"), "ephemeral-storage", new Quantity("94636958203")))
                    .withNewNodeInfo()
                    .withKubeletVersion(ApiServer.KUBERNETES_VERSION)
                    .withKubeProxyVersion(ApiServer.KUBERNETES_VERSION)
                    .withContainerRuntimeVersion("containerd://1.7.24")
                    .withOsImage("Debian GNU/Linux 12 (bookworm)")
                    .withKernelVersion("6.1.0-28-amd64")
                    .withOperatingSystem("linux")
                    .withArchitecture("amd64")
                    .withMachineID("0f3c" + i + "a7d5e9b84c1d8e2f6a0b3c5d7e" + i)
                    .withSystemUUID("4c4c4544-0042-3510-8052-b" + i + "c04f4d3332")
                    .withBootID("8d2f" + i + "c1e-6a57-4b0e-9c3d-2e7f1a5b9c0" + i)
                    .endNodeInfo()
                    .endStatus()
                    .build());
        }
    }

    private NodeCondition nodeCondition(String type, String status, String reason, String message) {
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastHeartbeatTime(ago(Duration.ofSeconds(20))).withLastTransitionTime(ago(Duration.ofDays(3)))
                .build();
    }

    private void coreDns() {
        create(new ConfigMapBuilder()
                .withNewMetadata().withName("coredns").withNamespace("kube-system").endMetadata()
                .addToData("Corefile", """
                        .:53 {
                            errors
                            health
                            kubernetes cluster.local in-addr.arpa ip6.arpa {
                               pods insecure
                               fallthrough in-addr.arpa ip6.arpa
                            }
                            prometheus :9153
                            forward . /etc/resolv.conf
                            cache 30
                            loop
                            reload
                        }
                        """)
                .build());
        create(new ServiceBuilder()
                .withNewMetadata().withName("kube-dns").withNamespace("kube-system").withLabels(DNS_LABELS).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.10").withClusterIPs("10.96.0.10")
                .withSelector(DNS_LABELS)
                .addNewPort().withName("dns").withProtocol("UDP").withPort(53).withNewTargetPort(53).endPort()
                .addNewPort().withName("dns-tcp").withProtocol("TCP").withPort(53).withNewTargetPort(53).endPort()
                .addNewPort().withName("metrics").withProtocol("TCP").withPort(9153).withNewTargetPort(9153).endPort()
                .endSpec()
                .build());
        create(new ServiceBuilder()
                .withNewMetadata().withName("kubernetes").withNamespace("default")
                .addToLabels("component", "apiserver").addToLabels("provider", "kubernetes").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.0.1").withClusterIPs("10.96.0.1")
                .addNewPort().withName("https").withProtocol("TCP").withPort(443).withNewTargetPort(6443).endPort()
                .endSpec()
                .build());

        Map<String, String> podLabels = new LinkedHashMap<>(DNS_LABELS);
        podLabels.put("pod-template-hash", POD_TEMPLATE_HASH);
        Deployment deployment = create(new DeploymentBuilder()
                .withNewMetadata().withName("coredns").withNamespace("kube-system").withLabels(DNS_LABELS)
                .addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().withMatchLabels(DNS_LABELS).endSelector()
                .withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withNewMaxUnavailable(1).withNewMaxSurge("25%").endRollingUpdate()
                .endStrategy()
                .withNewTemplate().withNewMetadata().withLabels(DNS_LABELS).endMetadata()
                .withSpec(coreDnsPodSpec(null)).endTemplate()
                .endSpec()
                .withNewStatus().withObservedGeneration(1L)
                .withReplicas(2).withUpdatedReplicas(2).withReadyReplicas(1).withAvailableReplicas(1)
                .withUnavailableReplicas(1)
                .addNewCondition().withType("Available").withStatus("True").withReason("MinimumReplicasAvailable")
                .withMessage("Deployment has minimum availability.")
                .withLastUpdateTime(ago(Duration.ofDays(3))).withLastTransitionTime(ago(Duration.ofDays(3)))
                .endCondition()
                .addNewCondition().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable")
                .withMessage("ReplicaSet \"coredns-" + POD_TEMPLATE_HASH + "\" has successfully progressed.")
                .withLastUpdateTime(ago(Duration.ofDays(3))).withLastTransitionTime(ago(Duration.ofDays(3)))
                .endCondition()
                .endStatus()
                .build());

        ReplicaSet replicaSet = create(new ReplicaSetBuilder()
                .withNewMetadata().withName("coredns-" + POD_TEMPLATE_HASH).withNamespace("kube-system")
                .withLabels(podLabels).withOwnerReferences(controller(deployment))
                .addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
                .withNewSpec().withReplicas(2)
                .withNewSelector().withMatchLabels(podLabels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withSpec(coreDnsPodSpec(null)).endTemplate()
                .endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(2).withFullyLabeledReplicas(2)
                .withReadyReplicas(1).withAvailableReplicas(1).endStatus()
                .build());

        Pod healthy = create(new PodBuilder()
                .withNewMetadata().withName(HEALTHY_POD).withNamespace("kube-system")
                .withLabels(podLabels).withOwnerReferences(controller(replicaSet)).endMetadata()
                .withSpec(coreDnsPodSpec("node-1"))
                .withNewStatus().withPhase("Running").withQosClass("Burstable")
                .withHostIP("192.0.2.11").withPodIP("10.244.0.4").addNewPodIP("10.244.0.4")
                .withStartTime(ago(Duration.ofDays(3)))
                .withConditions(podConditions(List.of(), true, Duration.ofDays(3)))
                .withContainerStatuses(new ContainerStatusBuilder().withName("coredns").withImage(COREDNS_IMAGE)
                        .withImageID("registry.k8s.io/coredns@sha256:7ec975f167d815311a7136c32e70735f0d00b73781365df1befd46ed35bd4fe7")
                        .withContainerID("containerd://3f6d0c2a9b1e48d7a5c4e2f1b0a9d8c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1")
                        .withReady(true).withStarted(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(ago(Duration.ofDays(3))).endRunning().endState()
                        .build())
                .endStatus()
                .build());

        Pod crashing = create(new PodBuilder()
                .withNewMetadata().withName(CRASHING_POD).withNamespace("kube-system")
                .withLabels(podLabels).withOwnerReferences(controller(replicaSet)).endMetadata()
                .withSpec(coreDnsPodSpec("node-2"))
                .withNewStatus().withPhase("Running").withQosClass("Burstable")
                .withHostIP("192.0.2.12").withPodIP("10.244.1.3").addNewPodIP("10.244.1.3")
                .withStartTime(ago(Duration.ofDays(3)))
                .withConditions(podConditions(List.of("coredns"), true, Duration.ofDays(3)))
                .withContainerStatuses(new ContainerStatusBuilder().withName("coredns").withImage(COREDNS_IMAGE)
                        .withImageID("registry.k8s.io/coredns@sha256:7ec975f167d815311a7136c32e70735f0d00b73781365df1befd46ed35bd4fe7")
                        .withContainerID("containerd://9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b")
                        .withReady(false).withStarted(false).withRestartCount(7)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                        .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                        .withStartedAt(ago(Duration.ofMinutes(4))).withFinishedAt(ago(Duration.ofMinutes(3)))
                        .withContainerID("containerd://9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b")
                        .endTerminated().endLastState()
                        .build())
                .endStatus()
                .build());
        // the back-off message names the pod's uid, known only now; written like a kubelet would
        crashing.getStatus().getContainerStatuses().get(0).getState().getWaiting().setMessage(
                "back-off 5m0s restarting failed container=coredns pod=" + CRASHING_POD + "_kube-system("
                        + crashing.getMetadata().getUid() + ")");
        client.resource(crashing).updateStatus();

        logs.set("kube-system", HEALTHY_POD, "coredns", """
                .:53
                [INFO] plugin/reload: Running configuration MD5 = 3b5fd8e9a0c6a2b3bb3c5b7e6f4ab0d1
                CoreDNS-1.6.4
                linux/amd64, go1.13.1, b139ba3
                2019-07-04T00:18:41.112Z [INFO] 10.244.1.7:41217 - 13467 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.000163s
                2019-07-04T00:18:41.118Z [INFO] 10.244.1.7:52048 - 61090 "AAAA IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 147 0.000098s
                """);
        // While the container waits to be restarted, its log is its last run's, the previous one.
        logs.setPrevious("kube-system", CRASHING_POD, "coredns", """
                .:53
                [INFO] plugin/reload: Running configuration MD5 = 3b5fd8e9a0c6a2b3bb3c5b7e6f4ab0d1
                CoreDNS-1.6.4
                linux/amd64, go1.13.1, b139ba3
                2019-07-04T00:14:52.311Z [ERROR] plugin/errors: 2 www.example.com. A: read udp 198.51.100.34:37512->198.51.100.2:53: i/o timeout
                2019-07-04T00:14:54.317Z [ERROR] plugin/errors: 2 www.example.com. A: read udp 198.51.100.34:60114->198.51.100.2:53: i/o timeout
                [FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO 4547991504243258144.3688648895315093531."
                """);

        event(crashing, "a1f3c2b4d5e6f708", "Normal", "Scheduled", "default-scheduler", null,
                "Successfully assigned kube-system/" + CRASHING_POD + " to node-2", 1, Duration.ofDays(3));
        event(crashing, "a1f3c2b4d5e6f709", "Normal", "Pulled", "kubelet", "node-2",
                "Container image \"" + COREDNS_IMAGE + "\" already present on machine", 8, Duration.ofMinutes(4));
        event(crashing, "a1f3c2b4d5e6f70a", "Normal", "Created", "kubelet", "node-2",
                "Created container coredns", 8, Duration.ofMinutes(4));
        event(crashing, "a1f3c2b4d5e6f70b", "Normal", "Started", "kubelet", "node-2",
                "Started container coredns", 8, Duration.ofMinutes(4));
        event(crashing, "a1f3c2b4d5e6f70c", "Warning", "Unhealthy", "kubelet", "node-2",
                "Readiness probe failed: HTTP probe failed with statuscode: 503", 22, Duration.ofMinutes(3));
        event(crashing, "a1f3c2b4d5e6f70d", "Warning", "BackOff", "kubelet", "node-2",
                "Back-off restarting failed container coredns in pod " + CRASHING_POD + "_kube-system("
                        + crashing.getMetadata().getUid() + ")", 31, Duration.ofSeconds(40));
        event(healthy, "b2e4d6f8a0c1e3f5", "Normal", "Scheduled", "default-scheduler", null,
                "Successfully assigned kube-system/" + HEALTHY_POD + " to node-1", 1, Duration.ofDays(3));
        event(healthy, "b2e4d6f8a0c1e3f6", "Normal", "Started", "kubelet", "node-1",
                "Started container coredns", 1, Duration.ofDays(3));
    }

    private PodSpec coreDnsPodSpec(String node) {
        return new PodSpecBuilder()
                .withNodeName(node)
                .withServiceAccountName("coredns")
                .withDnsPolicy("Default")
                .withPriorityClassName("system-cluster-critical")
                .withContainers(new ContainerBuilder().withName("coredns").withImage(COREDNS_IMAGE)
                        .withImagePullPolicy("IfNotPresent")
                        .withArgs("-conf", "/etc/coredns/Corefile")
                        .addNewPort().withName("dns").withContainerPort(53).withProtocol("UDP").endPort()
                        .addNewPort().withName("dns-tcp").withContainerPort(53).withProtocol("TCP").endPort()
                        .addNewPort().withName("metrics").withContainerPort(9153).withProtocol("TCP").endPort()
                        .withNewResources()
                        .addToLimits("memory", new Quantity("170Mi"))
                        .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("70Mi"))
                        .endResources()
                        .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8181)
                        .endHttpGet().endReadinessProbe()
                        .addNewVolumeMount().withName("config-volume").withMountPath("/etc/coredns")
                        .withReadOnly(true).endVolumeMount()
                        .build())
                .addNewVolume().withName("config-volume").withNewConfigMap().withName("coredns")
                .addNewItem().withKey("Corefile").withPath("Corefile").endItem().endConfigMap().endVolume()
                .build();
    }

    private void shop() {
        create(new ConfigMapBuilder()
                .withNewMetadata().withName("settings").withNamespace("shop").endMetadata()
                .addToData("color", "blue")
                .addToData("size", "3")
                .build());
        create(new SecretBuilder()
                .withNewMetadata().withName("db-credentials").withNamespace("shop").endMetadata()
                .withType("Opaque")
                .addToData("username", base64("admin"))
                .addToData("password", base64("s3cret"))
                .build());
        Map<String, String> webLabels = Map.of("app", "web");
        create(new ServiceBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").withLabels(webLabels).endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP("10.96.120.15").withClusterIPs("10.96.120.15")
                .withSelector(webLabels)
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNewTargetPort(80).endPort()
                .endSpec()
                .build());

        StatefulSet web = create(new StatefulSetBuilder()
                .withNewMetadata().withName("web").withNamespace("shop").withLabels(webLabels).endMetadata()
                .withNewSpec().withReplicas(1).withServiceName("web")
                .withNewSelector().withMatchLabels(webLabels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(webLabels).endMetadata()
                .withSpec(webPodSpec(null)).endTemplate()
                .endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withReadyReplicas(1)
                .withCurrentReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1)
                .withCurrentRevision("web-6d4cf56db6").withUpdateRevision("web-6d4cf56db6").endStatus()
                .build());
        Map<String, String> podLabels = new LinkedHashMap<>(webLabels);
        podLabels.put("apps.kubernetes.io/pod-index", "0");
        podLabels.put("controller-revision-hash", "web-6d4cf56db6");
        podLabels.put("statefulset.kubernetes.io/pod-name", "web-0");
        create(new PodBuilder()
                .withNewMetadata().withName("web-0").withNamespace("shop").withLabels(podLabels)
                .withOwnerReferences(controller(web))
                .addToAnnotations("kubectl.kubernetes.io/default-container", "nginx").endMetadata()
                .withSpec(webPodSpec("node-2"))
                .withNewStatus().withPhase("Running").withQosClass("BestEffort")
                .withHostIP("192.0.2.12").withPodIP("10.244.1.9").addNewPodIP("10.244.1.9")
                .withStartTime(ago(Duration.ofHours(26)))
                .withConditions(podConditions(List.of(), true, Duration.ofDays(3)))
                .withInitContainerStatuses(new ContainerStatusBuilder().withName("init-config")
                        .withImage("docker.io/library/busybox:1.36").withReady(true).withStarted(false)
                        .withRestartCount(0)
                        .withImageID("docker.io/library/busybox@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7")
                        .withContainerID("containerd://1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3")
                        .withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
                        .withStartedAt(ago(Duration.ofHours(26))).withFinishedAt(ago(Duration.ofHours(26)))
                        .withContainerID("containerd://1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3")
                        .endTerminated().endState()
                        .build())
                .withContainerStatuses(
                        running("nginx", "docker.io/library/nginx:1.27", Duration.ofHours(26)),
                        running("log-shipper", "cr.fluentbit.io/fluent/fluent-bit:3.1", Duration.ofHours(26)))
                .endStatus()
                .build());
        logs.set("shop", "web-0", "init-config", """
                writing /etc/nginx/conf.d/default.conf from settings (color=blue, size=3)
                done
                """);
        logs.set("shop", "web-0", "nginx", """
                /docker-entrypoint.sh: Configuration complete; ready for start up
                2019/07/03 22:01:12 [notice] 1#1: nginx/1.27.3
                2019/07/03 22:01:12 [notice] 1#1: start worker processes
                192.0.2.50 - - [04/Jul/2019:00:19:55 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0"
                192.0.2.50 - - [04/Jul/2019:00:20:01 +0000] "GET /cart HTTP/1.1" 404 153 "-" "curl/8.5.0"
                """);
        logs.set("shop", "web-0", "log-shipper", """
                [2019/07/03 22:01:13] [ info] [fluent bit] version=3.1.9, commit=431fa79ae2, pid=1
                [2019/07/03 22:01:13] [ info] [input:tail:tail.0] initializing
                [2019/07/03 22:01:13] [ info] [output:stdout:stdout.0] worker #0 started
                """);

        Job job = create(new JobBuilder()
                .withNewMetadata().withName("db-migrate").withNamespace("shop").addToLabels("app", "db-migrate")
                .endMetadata()
                .withNewSpec().withCompletions(1).withParallelism(1).withBackoffLimit(6)
                .withNewTemplate().withNewMetadata().addToLabels("job-name", "db-migrate").endMetadata()
                .withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("migrate").withImage("registry.example.com/shop/migrate:2.3")
                .withArgs("--apply").endContainer()
                .endSpec().endTemplate()
                .endSpec()
                .withNewStatus().withSucceeded(1).withReady(0)
                .withStartTime(ago(Duration.ofHours(26))).withCompletionTime(ago(Duration.ofHours(26)))
                .addNewCondition().withType("SuccessCriteriaMet").withStatus("True")
                .withLastProbeTime(ago(Duration.ofHours(26))).withLastTransitionTime(ago(Duration.ofHours(26)))
                .endCondition()
                .addNewCondition().withType("Complete").withStatus("True")
                .withLastProbeTime(ago(Duration.ofHours(26))).withLastTransitionTime(ago(Duration.ofHours(26)))
                .endCondition()
                .endStatus()
                .build());
        create(new PodBuilder()
                .withNewMetadata().withName("db-migrate-8m2kq").withNamespace("shop")
                .addToLabels("job-name", "db-migrate").addToLabels("batch.kubernetes.io/job-name", "db-migrate")
                .addToLabels("controller-uid", job.getMetadata().getUid())
                .withOwnerReferences(controller(job)).endMetadata()
                .withNewSpec().withNodeName("node-1").withRestartPolicy("Never")
                .addNewContainer().withName("migrate").withImage("registry.example.com/shop/migrate:2.3")
                .withArgs("--apply").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Succeeded").withQosClass("BestEffort")
                .withHostIP("192.0.2.11").withPodIP("10.244.0.12").withStartTime(ago(Duration.ofHours(26)))
                .withContainerStatuses(new ContainerStatusBuilder().withName("migrate")
                        .withImage("registry.example.com/shop/migrate:2.3").withReady(false).withStarted(false)
                        .withRestartCount(0)
                        .withContainerID("containerd://5b0c2e9d7a4f6183b2c5d8e1f4a7b0c3d6e9f2a5b8c1d4e7f0a3b6c9d2e5f8a1")
                        .withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
                        .withStartedAt(ago(Duration.ofHours(26))).withFinishedAt(ago(Duration.ofHours(26)))
                        .withContainerID("containerd://5b0c2e9d7a4f6183b2c5d8e1f4a7b0c3d6e9f2a5b8c1d4e7f0a3b6c9d2e5f8a1")
                        .endTerminated().endState()
                        .build())
                .endStatus()
                .build());
        logs.set("shop", "db-migrate-8m2kq", "migrate", """
                connecting to postgres://db.shop.svc:5432/shop as admin
                applying 0041_orders_add_currency ... ok
                applying 0042_orders_index_created_at ... ok
                2 migrations applied, schema at 0042
                """);
    }

    /**
     * Pods in states every cluster has, whose logs a real API server refuses with 400: checkout's
     * pod is still being created (its container waits in ContainerCreating), and payments' sidecar
     * crash-loops while the kubelet no longer keeps its previous run (restarts, but no last state).
     */
    private void unreadyPods() {
        Pod checkout = deployed("checkout", CHECKOUT_POD, Duration.ofMinutes(1), "node-1", "192.0.2.11",
                null, List.of(new ContainerBuilder().withName("checkout")
                        .withImage("registry.example.com/shop/checkout:1.4")
                        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                        .build()),
                status -> status.withPhase("Pending")
                        .withConditions(podConditions(List.of("checkout"), false, Duration.ofMinutes(1)))
                        .withContainerStatuses(new ContainerStatusBuilder().withName("checkout")
                                .withImage("registry.example.com/shop/checkout:1.4").withImageID("")
                                .withReady(false).withStarted(false).withRestartCount(0)
                                .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState()
                                .build()));
        event(checkout, "c3d5e7f9a1b2c4d6", "Normal", "Scheduled", "default-scheduler", null,
                "Successfully assigned shop/" + CHECKOUT_POD + " to node-1", 1, Duration.ofMinutes(1));

        Pod payments = deployed("payments", PAYMENTS_POD, Duration.ofHours(5), "node-2", "192.0.2.12", "10.244.1.14",
                List.of(new ContainerBuilder().withName("payments").withImage("registry.example.com/shop/payments:3.2")
                                .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
                                .build(),
                        new ContainerBuilder().withName("sidecar")
                                .withImage("registry.example.com/shop/audit-sidecar:0.9").build()),
                status -> status.withPhase("Running")
                        .withConditions(podConditions(List.of("sidecar"), true, Duration.ofHours(5)))
                        .withContainerStatuses(
                                running("payments", "registry.example.com/shop/payments:3.2", Duration.ofHours(5)),
                                new ContainerStatusBuilder().withName("sidecar")
                                        .withImage("registry.example.com/shop/audit-sidecar:0.9")
                                        .withReady(false).withStarted(false).withRestartCount(12)
                                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting()
                                        .endState()
                                        .withNewLastState().endLastState()
                                        .build()));
        payments.getStatus().getContainerStatuses().get(1).getState().getWaiting().setMessage(
                "back-off 5m0s restarting failed container=sidecar pod=" + PAYMENTS_POD + "_shop("
                        + payments.getMetadata().getUid() + ")");
        client.resource(payments).updateStatus();
        logs.set("shop", PAYMENTS_POD, "payments", """
                2019-07-03T19:02:11Z INFO listening on :8080
                2019-07-03T23:58:40Z INFO charge ord-1041 EUR 42.00 ok
                2019-07-04T00:19:02Z WARN audit sidecar unreachable, charge ord-1042 kept for replay
                """);
    }

    /**
     * A Deployment of one replica, its ReplicaSet and its pod ({@code pod}, named after both), as
     * the controllers make them, with the pod's status as its kubelet writes it ({@code status}).
     */
    private Pod deployed(String app, String pod, Duration age, String node, String hostIp, String podIp,
            List<Container> containers, UnaryOperator<PodStatusBuilder> status) {
        Map<String, String> labels = Map.of("app", app);
        String hash = pod.substring(app.length() + 1, pod.lastIndexOf('-'));
        Map<String, String> podLabels = new LinkedHashMap<>(labels);
        podLabels.put("pod-template-hash", hash);
        Deployment deployment = create(new DeploymentBuilder()
                .withNewMetadata().withName(app).withNamespace("shop").withLabels(labels)
                .addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withContainers(containers).endSpec().endTemplate()
                .endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1)
                .withUnavailableReplicas(1)
                .addNewCondition().withType("Available").withStatus("False").withReason("MinimumReplicasUnavailable")
                .withMessage("Deployment does not have minimum availability.")
                .withLastUpdateTime(ago(age)).withLastTransitionTime(ago(age)).endCondition()
                .addNewCondition().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated")
                .withMessage("ReplicaSet \"" + app + "-" + hash + "\" is progressing.")
                .withLastUpdateTime(ago(age)).withLastTransitionTime(ago(age)).endCondition()
                .endStatus()
                .build());
        ReplicaSet replicaSet = create(new ReplicaSetBuilder()
                .withNewMetadata().withName(app + "-" + hash).withNamespace("shop")
                .withLabels(podLabels).withOwnerReferences(controller(deployment))
                .addToAnnotations("deployment.kubernetes.io/revision", "1").endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().withMatchLabels(podLabels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec().withContainers(containers).endSpec().endTemplate()
                .endSpec()
                .withNewStatus().withObservedGeneration(1L).withReplicas(1).withFullyLabeledReplicas(1).endStatus()
                .build());
        PodStatusBuilder podStatus = new PodStatusBuilder().withQosClass("BestEffort").withHostIP(hostIp)
                .withStartTime(ago(age));
        if (podIp != null) {
            podStatus.withPodIP(podIp).addNewPodIP(podIp);
        }
        return create(new PodBuilder()
                .withNewMetadata().withName(pod).withNamespace("shop").withLabels(podLabels)
                .withOwnerReferences(controller(replicaSet)).endMetadata()
                .withNewSpec().withNodeName(node).withContainers(containers).endSpec()
                .withStatus(status.apply(podStatus).build())
                .build());
    }

    private void customResources() {
        JSONSchemaProps string = new JSONSchemaPropsBuilder().withType("string").build();
        JSONSchemaProps integer = new JSONSchemaPropsBuilder().withType("integer").withMinimum(0.0).build();
        create(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(CRONTAB_CRD).endMetadata()
                .withNewSpec().withGroup("stable.example.com").withScope("Namespaced")
                .withNewNames().withPlural("crontabs").withSingular("crontab").withKind("CronTab")
                .withShortNames("ct").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .addToProperties("spec", new JSONSchemaPropsBuilder().withType("object")
                        .addToProperties("cronSpec", string)
                        .addToProperties("image", string)
                        .addToProperties("replicas", integer)
                        .build())
                .addToProperties("status", new JSONSchemaPropsBuilder().withType("object")
                        .addToProperties("replicas", integer)
                        .addToProperties("labelSelector", string)
                        .build())
                .endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewStatus().endStatus()
                .withNewScale().withSpecReplicasPath(".spec.replicas").withStatusReplicasPath(".status.replicas")
                .withLabelSelectorPath(".status.labelSelector").endScale()
                .endSubresources()
                .addNewAdditionalPrinterColumn().withName("Schedule").withType("string")
                .withJsonPath(".spec.cronSpec").endAdditionalPrinterColumn()
                .addNewAdditionalPrinterColumn().withName("Replicas").withType("integer")
                .withJsonPath(".spec.replicas").endAdditionalPrinterColumn()
                .endVersion()
                .endSpec()
                .build());
        create(freeFormDefinition("stable.example.com", "Cluster", "backuppolicies", "BackupPolicy", "bp"));

        GenericKubernetesResource cronTab = create(new GenericKubernetesResourceBuilder()
                .withApiVersion("stable.example.com/v1").withKind("CronTab")
                .withNewMetadata().withName("nightly").withNamespace("shop").addToLabels("app", "nightly")
                .endMetadata()
                .addToAdditionalProperties("spec", new LinkedHashMap<>(Map.of(
                        "cronSpec", "0 3 * * *", "image", "backup:1.0", "replicas", 1)))
                .build());
        cronTab.setAdditionalProperty("status", Map.of("replicas", 1, "labelSelector", "app=nightly"));
        client.resource(cronTab).updateStatus();

        create(new GenericKubernetesResourceBuilder()
                .withApiVersion("stable.example.com/v1").withKind("BackupPolicy")
                .withNewMetadata().withName("default").endMetadata()
                .addToAdditionalProperties("spec", new LinkedHashMap<>(Map.of(
                        "schedule", "0 2 * * *", "retentionDays", 7, "target", "s3://backups.example.com/shop")))
                .build());
    }

    /**
     * A pod's conditions as the kubelet writes them: Ready and ContainersReady name the containers
     * that are not ready; a pod whose sandbox is still being made is not ready to start containers.
     */
    private List<PodCondition> podConditions(List<String> unready, boolean sandboxReady, Duration since) {
        String started = ago(since);
        Duration readySince = since.compareTo(Duration.ofMinutes(3)) < 0 ? since : Duration.ofMinutes(3);
        PodConditionBuilder readiness = new PodConditionBuilder().withStatus(unready.isEmpty() ? "True" : "False")
                .withLastTransitionTime(ago(readySince));
        if (!unready.isEmpty()) {
            readiness.withReason("ContainersNotReady")
                    .withMessage("containers with unready status: [" + String.join(" ", unready) + "]");
        }
        return List.of(
                new PodConditionBuilder().withType("PodReadyToStartContainers").withStatus(sandboxReady ? "True" : "False")
                        .withLastTransitionTime(started).build(),
                new PodConditionBuilder().withType("Initialized").withStatus("True").withLastTransitionTime(started)
                        .build(),
                new PodConditionBuilder(readiness.build()).withType("Ready").build(),
                new PodConditionBuilder(readiness.build()).withType("ContainersReady").build(),
                new PodConditionBuilder().withType("PodScheduled").withStatus("True").withLastTransitionTime(started)
                        .build());
    }

    private ContainerStatus running(String name, String image, Duration since) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withReady(true).withStarted(true)
                .withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(ago(since)).endRunning().endState()
                .build();
    }

    private PodSpec webPodSpec(String node) {
        Container nginx = new ContainerBuilder().withName("nginx").withImage("docker.io/library/nginx:1.27")
                .addNewPort().withName("http").withContainerPort(80).withProtocol("TCP").endPort()
                .addNewVolumeMount().withName("logs").withMountPath("/var/log/nginx").endVolumeMount()
                .addNewVolumeMount().withName("conf").withMountPath("/etc/nginx/conf.d").endVolumeMount()
                .build();
        Container shipper = new ContainerBuilder().withName("log-shipper")
                .withImage("cr.fluentbit.io/fluent/fluent-bit:3.1")
                .withArgs("-i", "tail", "-p", "path=/var/log/nginx/*.log", "-o", "stdout")
                .addNewVolumeMount().withName("logs").withMountPath("/var/log/nginx").withReadOnly(true)
                .endVolumeMount()
                .build();
        Container init = new ContainerBuilder().withName("init-config").withImage("docker.io/library/busybox:1.36")
                .withCommand("sh", "-c", "render-config > /etc/nginx/conf.d/default.conf")
                .addNewEnv().withName("COLOR").withNewValueFrom().withNewConfigMapKeyRef("color", "settings", false)
                .endValueFrom().endEnv()
                .addNewVolumeMount().withName("conf").withMountPath("/etc/nginx/conf.d").endVolumeMount()
                .build();
        return new PodSpecBuilder().withNodeName(node).withHostname(node == null ? null : "web-0")
                .withSubdomain("web")
                .withInitContainers(init).withContainers(nginx, shipper)
                .addNewVolume().withName("logs").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("conf").withNewEmptyDir().endEmptyDir().endVolume()
                .build();
    }

    private void event(Pod pod, String suffix, String type, String reason, String component, String host,
            String message, int count, Duration last) {
        String first = count == 1 ? ago(last) : ago(Duration.ofDays(3));
        create(new EventBuilder()
                .withNewMetadata().withName(pod.getMetadata().getName() + "." + suffix)
                .withNamespace(pod.getMetadata().getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod")
                        .withNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid())
                        .withFieldPath(component.equals("kubelet") ? "spec.containers{coredns}" : null)
                        .build())
                .withType(type).withReason(reason).withMessage(message)
                .withNewSource().withComponent(component).withHost(host).endSource()
                .withReportingComponent(component).withReportingInstance(host == null ? "" : host)
                .withCount(count).withFirstTimestamp(first).withLastTimestamp(ago(last))
                .build());
    }

    private OwnerReference controller(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private <T extends HasMetadata> T create(T object) {
        return client.resource(object).create();
    }

    private String ago(Duration duration) {
        return now.minus(duration).toString();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A CustomResourceDefinition of {@code group/v1} whose objects may hold anything
     * (x-kubernetes-preserve-unknown-fields), named {@code plural.group}.
     */
    public static CustomResourceDefinition freeFormDefinition(String group, String scope, String plural, String kind,
            String... shortNames) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope(scope)
                .withNewNames().withPlural(plural).withSingular(kind.toLowerCase(java.util.Locale.ROOT)).withKind(kind)
                .withShortNames(shortNames).endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec()
                .build();
    }
}
