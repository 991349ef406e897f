package io.k9p.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The in-process API server, through fabric8's client and plain HTTP. */
class ApiServerTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static ApiServer server;
    private static KubernetesClient client;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        long started = System.nanoTime();
        server = ApiServer.start();
        long up = System.nanoTime();
        client = server.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build())
                .create();
        long answered = System.nanoTime();
        System.out.printf("ApiServer: started in %d ms; first client request answered %d ms later%n",
                (up - started) / 1_000_000, (answered - up) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A fresh namespace for one test. */
    private static String namespace() {
        String name = "test-" + NAMES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        return name;
    }

    // ---- discovery

    @Test
    void coreDiscoveryListsTheBuiltInTypesAndSubresources() {
        assertThat(client.getAPIVersions().getVersions()).containsExactly("v1");
        APIResourceList core = client.getApiResources("v1");
        assertThat(core.getResources()).extracting(APIResource::getName).contains(
                "namespaces", "nodes", "pods", "services", "configmaps", "secrets", "events", "persistentvolumes",
                "persistentvolumeclaims", "serviceaccounts", "endpoints", "replicationcontrollers", "limitranges",
                "resourcequotas", "pods/log", "pods/status", "replicationcontrollers/scale");
        APIResource pods = resource(core, "pods");
        assertThat(pods.getSingularName()).isEqualTo("pod");
        assertThat(pods.getNamespaced()).isTrue();
        assertThat(pods.getKind()).isEqualTo("Pod");
        assertThat(pods.getShortNames()).containsExactly("po");
        assertThat(pods.getVerbs()).contains("get", "list", "watch", "create", "update", "patch", "delete");
        assertThat(resource(core, "nodes").getNamespaced()).isFalse();
        assertThat(resource(core, "pods/log").getVerbs()).containsExactly("get");
    }

    @Test
    void groupDiscoveryHasEveryRequiredGroupWithItsPreferredVersion() {
        List<String> required = List.of("apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1",
                "apiextensions.k8s.io/v1", "storage.k8s.io/v1", "networking.k8s.io/v1", "policy/v1", "autoscaling/v2",
                "coordination.k8s.io/v1", "events.k8s.io/v1", "scheduling.k8s.io/v1", "discovery.k8s.io/v1");
        List<APIGroup> groups = client.getApiGroups().getGroups();
        for (String groupVersion : required) {
            String group = groupVersion.substring(0, groupVersion.indexOf('/'));
            APIGroup found = groups.stream().filter(g -> g.getName().equals(group)).findFirst().orElseThrow(
                    () -> new AssertionError("no group " + group + " in /apis"));
            assertThat(found.getVersions()).extracting(v -> v.getGroupVersion()).contains(groupVersion);
            assertThat(found.getPreferredVersion()).isNotNull();
            APIResourceList list = client.getApiResources(groupVersion);
            assertThat(list.getGroupVersion()).isEqualTo(groupVersion);
            assertThat(list.getResources()).as(groupVersion).isNotEmpty();
        }
        assertThat(client.getApiGroup("autoscaling").getPreferredVersion().getVersion()).isEqualTo("v2");

        APIResourceList apps = client.getApiResources("apps/v1");
        for (String scalable : List.of("deployments", "statefulsets", "replicasets")) {
            APIResource scale = resource(apps, scalable + "/scale");
            assertThat(scale.getGroup()).isEqualTo("autoscaling");
            assertThat(scale.getVersion()).isEqualTo("v1");
            assertThat(scale.getKind()).isEqualTo("Scale");
        }
        assertThat(resource(apps, "deployments").getShortNames()).containsExactly("deploy");
        assertThat(resource(apps, "deployments").getCategories()).containsExactly("all");
    }

    @Test
    void unknownResourcesAndGroupsAre404() throws Exception {
        assertThat(get("/api/v1/widgets").statusCode()).isEqualTo(404);
        assertThat(get("/apis/nowhere.example.com/v1").statusCode()).isEqualTo(404);
        assertThat(get("/apis/apps/v9").statusCode()).isEqualTo(404);
        HttpResponse<String> missing = get("/api/v1/namespaces/default/pods/no-such-pod");
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode status = ApiResponses.parse(missing.body());
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("NotFound");
        assertThat(status.path("message").asString()).isEqualTo("pods \"no-such-pod\" not found");
        assertThat(client.pods().inNamespace("default").withName("no-such-pod").get()).isNull();
    }

    @Test
    void aCreatedCrdAppearsInDiscoveryAtOnceAndItsObjectsAreCrudable() throws Exception {
        String group = "crd" + NAMES.incrementAndGet() + ".example.com";
        assertThat(client.getApiGroups().getGroups()).extracting(APIGroup::getName).doesNotContain(group);

        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().resource(
                new CustomResourceDefinitionBuilder()
                        .withNewMetadata().withName("widgets." + group).endMetadata()
                        .withNewSpec().withGroup(group).withScope("Namespaced")
                        .withNewNames().withPlural("widgets").withSingular("widget").withKind("Widget")
                        .withShortNames("wd").endNames()
                        .addNewVersion().withName("v1beta1").withServed(true).withStorage(false)
                        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                        .endVersion()
                        .addNewVersion().withName("v1").withServed(true).withStorage(true)
                        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                        .withNewSubresources().withNewStatus().endStatus()
                        .withNewScale().withSpecReplicasPath(".spec.size").withStatusReplicasPath(".status.size")
                        .endScale().endSubresources()
                        .endVersion()
                        .endSpec().build())
                .create();
        assertThat(crd.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Established");
            assertThat(c.getStatus()).isEqualTo("True");
        });

        APIGroup apiGroup = client.getApiGroups().getGroups().stream().filter(g -> g.getName().equals(group))
                .findFirst().orElseThrow(() -> new AssertionError("the CRD's group is not in /apis"));
        assertThat(apiGroup.getVersions()).extracting(v -> v.getVersion()).containsExactly("v1", "v1beta1");
        assertThat(apiGroup.getPreferredVersion().getVersion()).isEqualTo("v1");
        APIResourceList v1 = client.getApiResources(group + "/v1");
        APIResource widgets = resource(v1, "widgets");
        assertThat(widgets.getKind()).isEqualTo("Widget");
        assertThat(widgets.getNamespaced()).isTrue();
        assertThat(widgets.getShortNames()).containsExactly("wd");
        assertThat(resource(v1, "widgets/scale").getKind()).isEqualTo("Scale");
        assertThat(resource(v1, "widgets/status").getKind()).isEqualTo("Widget");
        assertThat(client.getApiResources(group + "/v1beta1").getResources()).extracting(APIResource::getName)
                .containsExactly("widgets");

        String ns = namespace();
        var widgetsOp = client.genericKubernetesResources(group + "/v1", "Widget").inNamespace(ns);
        widgetsOp.resource(new GenericKubernetesResourceBuilder().withApiVersion(group + "/v1").withKind("Widget")
                .withNewMetadata().withName("w1").endMetadata()
                .addToAdditionalProperties("spec", Map.of("size", 2, "color", "red")).build()).create();
        GenericKubernetesResource w1 = widgetsOp.withName("w1").get();
        assertThat((Object) w1.get("spec", "color")).isEqualTo("red");
        assertThat(widgetsOp.list().getItems()).hasSize(1);

        Scale scale = widgetsOp.withName("w1").scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
        widgetsOp.withName("w1").scale(5);
        assertThat((Object) widgetsOp.withName("w1").get().get("spec", "size")).isEqualTo(5);

        widgetsOp.withName("w1").delete();
        assertThat(widgetsOp.withName("w1").get()).isNull();

        widgetsOp.resource(new GenericKubernetesResourceBuilder().withApiVersion(group + "/v1").withKind("Widget")
                .withNewMetadata().withName("w2").endMetadata().build()).create();
        client.apiextensions().v1().customResourceDefinitions().withName("widgets." + group).delete();
        assertThat(client.getApiGroups().getGroups()).extracting(APIGroup::getName).doesNotContain(group);
        assertThat(get("/apis/" + group + "/v1/namespaces/" + ns + "/widgets").statusCode()).isEqualTo(404);

        crd.getMetadata().setResourceVersion(null);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        assertThat(widgetsOp.list().getItems()).as("the CRD's objects went with it").isEmpty();
        client.apiextensions().v1().customResourceDefinitions().withName("widgets." + group).delete();
    }

    @Test
    void deletingANamespaceDeletesWhatIsInIt() throws Exception {
        String ns = namespace();
        client.pods().inNamespace(ns).resource(pod("p", "app")).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("c")
                .endMetadata().build()).create();
        server.logs().set(ns, "p", "app", "hello\n");
        client.namespaces().withName(ns).delete();
        assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.configMaps().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(server.logs().current(ns, "p", "app")).isEmpty();
    }

    @Test
    void dryRunIsRefusedRatherThanApplied() throws Exception {
        String ns = namespace();
        HttpResponse<String> response = send("POST", "/api/v1/namespaces/" + ns + "/configmaps?dryRun=All",
                "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(client.configMaps().inNamespace(ns).withName("dry").get()).isNull();
    }

    // ---- scale

    @Test
    void scalingADeploymentChangesItsReplicasAndResourceVersion() {
        String ns = namespace();
        Deployment created = client.apps().deployments().inNamespace(ns).resource(deployment("web", 2)).create();
        Scale scale = client.apps().deployments().inNamespace(ns).withName("web").scale();
        assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
        assertThat(scale.getStatus().getReplicas()).isEqualTo(2);
        assertThat(scale.getStatus().getSelector()).isEqualTo("app=web");
        assertThat(scale.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());

        client.apps().deployments().inNamespace(ns).withName("web").scale(5);

        Deployment after = client.apps().deployments().inNamespace(ns).withName("web").get();
        assertThat(after.getSpec().getReplicas()).isEqualTo(5);
        assertThat(after.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());
        assertThat(after.getMetadata().getGeneration()).isEqualTo(created.getMetadata().getGeneration() + 1);
        assertThat(after.getStatus().getReplicas()).as("status is the controller's, not the scale's").isEqualTo(2);
        assertThat(client.apps().deployments().inNamespace(ns).withName("web").scale().getSpec().getReplicas())
                .isEqualTo(5);
    }

    @Test
    void statefulSetsAndReplicaSetsScaleToo() {
        String ns = namespace();
        client.apps().statefulSets().inNamespace(ns).resource(new StatefulSetBuilder()
                .withNewMetadata().withName("db").endMetadata()
                .withNewSpec().withReplicas(1).withServiceName("db")
                .withNewSelector().addToMatchLabels("app", "db").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "db").endMetadata()
                .withNewSpec().addNewContainer().withName("db").withImage("postgres:16").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
        client.apps().replicaSets().inNamespace(ns).resource(new ReplicaSetBuilder()
                .withNewMetadata().withName("rs").endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", "rs").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "rs").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();

        client.apps().statefulSets().inNamespace(ns).withName("db").scale(3);
        client.apps().replicaSets().inNamespace(ns).withName("rs").scale(0);

        assertThat(client.apps().statefulSets().inNamespace(ns).withName("db").get().getSpec().getReplicas())
                .isEqualTo(3);
        assertThat(client.apps().replicaSets().inNamespace(ns).withName("rs").get().getSpec().getReplicas())
                .isEqualTo(0);
    }

    @Test
    void scaleRefusesNegativeAndNonIntegerReplicasAndStaleVersions() throws Exception {
        String ns = namespace();
        client.apps().deployments().inNamespace(ns).resource(deployment("api", 1)).create();
        String path = "/apis/apps/v1/namespaces/" + ns + "/deployments/api/scale";

        HttpResponse<String> negative = send("PUT", path, "application/json", scaleBody("api", "-1", null));
        assertThat(negative.statusCode()).isEqualTo(422);
        assertThat(ApiResponses.parse(negative.body()).path("reason").asString()).isEqualTo("Invalid");
        assertThat(send("PUT", path, "application/json", scaleBody("api", "\"three\"", null)).statusCode())
                .isEqualTo(400);
        assertThat(send("PUT", path, "application/json", scaleBody("api", "1.5", null)).statusCode())
                .isEqualTo(400);
        assertThat(send("PATCH", path, "application/merge-patch+json", "{\"spec\":{\"replicas\":-4}}").statusCode())
                .isEqualTo(422);
        assertThat(send("PUT", path, "application/json", scaleBody("api", "2", "1")).statusCode())
                .as("a stale resourceVersion on the Scale").isEqualTo(409);
        assertThat(client.apps().deployments().inNamespace(ns).withName("api").get().getSpec().getReplicas())
                .as("nothing was written").isEqualTo(1);

        HttpResponse<String> patched = send("PATCH", path, "application/merge-patch+json",
                "{\"spec\":{\"replicas\":4}}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(ApiResponses.parse(patched.body()).path("spec").path("replicas").asInt()).isEqualTo(4);
        assertThat(client.apps().deployments().inNamespace(ns).withName("api").get().getSpec().getReplicas())
                .isEqualTo(4);
        assertThat(send("GET", "/apis/apps/v1/namespaces/" + ns + "/deployments/missing/scale", null, null)
                .statusCode()).isEqualTo(404);
    }

    // ---- logs

    @Test
    void podLogsComeFromTheLogStore() {
        String ns = namespace();
        client.pods().inNamespace(ns).resource(pod("one", "app")).create();
        client.pods().inNamespace(ns).resource(pod("two", "main", "sidecar")).create();
        server.logs().set(ns, "one", "app", "line 1\nline 2\nline 3\n");
        server.logs().setPrevious(ns, "one", "app", "crashed\n");
        server.logs().set(ns, "two", "sidecar", "sidecar says hi\n");

        assertThat(client.pods().inNamespace(ns).withName("one").getLog()).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(client.pods().inNamespace(ns).withName("one").inContainer("app").getLog())
                .isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(client.pods().inNamespace(ns).withName("one").terminated().getLog()).isEqualTo("crashed\n");
        assertThat(client.pods().inNamespace(ns).withName("one").tailingLines(2).getLog())
                .isEqualTo("line 2\nline 3\n");
        assertThat(client.pods().inNamespace(ns).withName("two").inContainer("sidecar").getLog())
                .isEqualTo("sidecar says hi\n");
        assertThat(client.pods().inNamespace(ns).withName("two").inContainer("main").getLog())
                .as("a container without a stored log").isEmpty();
    }

    @Test
    void podLogErrorsAreThoseOfARealServer() throws Exception {
        String ns = namespace();
        client.pods().inNamespace(ns).resource(pod("two", "main", "sidecar")).create();
        String base = "/api/v1/namespaces/" + ns + "/pods/";

        assertThatThrownBy(() -> client.pods().inNamespace(ns).withName("ghost").getLog())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
        HttpResponse<String> ghost = get(base + "ghost/log");
        assertThat(ghost.statusCode()).isEqualTo(404);
        assertThat(ApiResponses.parse(ghost.body()).path("message").asString()).isEqualTo("pods \"ghost\" not found");

        HttpResponse<String> unnamed = get(base + "two/log");
        assertThat(unnamed.statusCode()).isEqualTo(400);
        assertThat(ApiResponses.parse(unnamed.body()).path("message").asString())
                .isEqualTo("a container name must be specified for pod two, choose one of: [main sidecar]");

        HttpResponse<String> wrong = get(base + "two/log?container=nope");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(ApiResponses.parse(wrong.body()).path("reason").asString()).isEqualTo("BadRequest");

        assertThat(get(base + "two/log?container=main&previous=true").statusCode())
                .as("no previous run").isEqualTo(400);
        assertThat(send("POST", base + "two/log", "text/plain", "x").statusCode()).isEqualTo(405);
    }

    /**
     * A pod whose status a kubelet wrote is answered as the kubelet answers (validateContainerLogStatus):
     * from the run its state names, or with its 400 when there is none; a pod on no node has an empty log.
     */
    @Test
    void podLogsFollowTheKubeletsRules() throws Exception {
        String ns = namespace();
        PodBuilder pod = new PodBuilder(pod("k", "running", "done", "crashed", "pulling", "backoff", "creating",
                "gone", "fresh", "unlisted"));
        pod.editSpec().withNodeName("node-1").endSpec().withNewStatus()
                .addNewContainerStatus().withName("running").withNewState().withNewRunning().endRunning().endState()
                .endContainerStatus()
                .addNewContainerStatus().withName("done").withNewState().withNewTerminated().withExitCode(0)
                .withContainerID("containerd://1").endTerminated().endState().endContainerStatus()
                .addNewContainerStatus().withName("crashed").withRestartCount(3).withNewState().withNewWaiting()
                .withReason("CrashLoopBackOff").endWaiting().endState().withNewLastState().withNewTerminated()
                .withExitCode(1).withContainerID("containerd://2").endTerminated().endLastState().endContainerStatus()
                .addNewContainerStatus().withName("pulling").withNewState().withNewWaiting().withReason("ErrImagePull")
                .endWaiting().endState().endContainerStatus()
                .addNewContainerStatus().withName("backoff").withNewState().withNewWaiting()
                .withReason("ImagePullBackOff").endWaiting().endState().endContainerStatus()
                .addNewContainerStatus().withName("creating").withNewState().withNewWaiting()
                .withReason("ContainerCreating").endWaiting().endState().endContainerStatus()
                .addNewContainerStatus().withName("gone").withNewState().withNewTerminated().withExitCode(0)
                .endTerminated().endState().endContainerStatus()
                .addNewContainerStatus().withName("fresh").endContainerStatus()
                .endStatus();
        client.pods().inNamespace(ns).resource(pod.build()).create();
        for (String container : List.of("running", "done", "crashed")) {
            server.logs().set(ns, "k", container, container + " now\n");
            server.logs().setPrevious(ns, "k", container, container + " before\n");
        }
        String base = "/api/v1/namespaces/" + ns + "/pods/k/log?container=";

        assertThat(get(base + "running").body()).isEqualTo("running now\n");
        assertThat(get(base + "done").body()).isEqualTo("done now\n");
        assertThat(get(base + "crashed").body()).as("waiting after a run: the last run's log").isEqualTo("crashed before\n");
        assertThat(get(base + "crashed&previous=true").body()).isEqualTo("crashed before\n");
        assertThat(get(base + "crashed&follow=true").body()).as("an ended run's log ends").isEqualTo("crashed before\n");
        Map<String, String> refusals = Map.of(
                "pulling", "container \"pulling\" in pod \"k\" is waiting to start: image can't be pulled",
                "backoff", "container \"backoff\" in pod \"k\" is waiting to start: trying and failing to pull image",
                "creating", "container \"creating\" in pod \"k\" is waiting to start: ContainerCreating",
                "gone", "container \"gone\" in pod \"k\" is terminated",
                "fresh", "container \"fresh\" in pod \"k\" is waiting to start - no logs yet",
                "unlisted", "container \"unlisted\" in pod \"k\" is not available",
                "running&previous=true", "previous terminated container \"running\" in pod \"k\" not found");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> refused = get(base + refusal.getKey());
            assertThat(refused.statusCode()).as(refusal.getKey()).isEqualTo(400);
            assertThat(ApiResponses.parse(refused.body()).path("message").asString()).as(refusal.getKey())
                    .isEqualTo(refusal.getValue());
        }

        client.pods().inNamespace(ns).resource(new PodBuilder(pod("unbound", "app")).withNewStatus()
                .addNewContainerStatus().withName("app").withNewState().withNewWaiting().withReason("Pending")
                .endWaiting().endState().endContainerStatus().endStatus().build()).create();
        server.logs().set(ns, "unbound", "app", "never served\n");
        HttpResponse<String> unbound = get("/api/v1/namespaces/" + ns + "/pods/unbound/log");
        assertThat(unbound.statusCode()).as("a pod on no node").isEqualTo(200);
        assertThat(unbound.body()).isEmpty();
    }

    @Test
    void aFollowedLogStreamsWhatIsAppended() throws Exception {
        String ns = namespace();
        client.pods().inNamespace(ns).resource(pod("tail", "app")).create();
        server.logs().set(ns, "tail", "app", "first\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LogWatch watch = client.pods().inNamespace(ns).withName("tail").watchLog(out)) {
            awaitContains(out, "first\n");
            server.logs().append(ns, "tail", "app", "second\n");
            awaitContains(out, "first\nsecond\n");
        }
    }

    // ---- resourceVersion conflicts

    @Test
    void anUpdateWithAStaleResourceVersionIsRefusedWith409() throws Exception {
        String ns = namespace();
        ConfigMap original = client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("cm").endMetadata().addToData("k", "1").build()).create();
        ConfigMap first = new ConfigMapBuilder(original).addToData("k", "2").build();
        ConfigMap updated = client.configMaps().inNamespace(ns).resource(first).update();
        assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(original.getMetadata().getResourceVersion());

        ConfigMap stale = new ConfigMapBuilder(original).addToData("k", "3").build();
        assertThatThrownBy(() -> client.configMaps().inNamespace(ns).resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(client.configMaps().inNamespace(ns).withName("cm").get().getData()).containsEntry("k", "2");

        HttpResponse<String> raw = send("PUT", "/api/v1/namespaces/" + ns + "/configmaps/cm", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"resourceVersion\":\""
                        + original.getMetadata().getResourceVersion() + "\"},\"data\":{\"k\":\"4\"}}");
        assertThat(raw.statusCode()).isEqualTo(409);
        assertThat(ApiResponses.parse(raw.body()).path("reason").asString()).isEqualTo("Conflict");

        assertThatThrownBy(() -> client.configMaps().inNamespace(ns).resource(original).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    // ---- watches, lists, selectors

    @Test
    void aWebSocketWatchReceivesEvents() throws Exception {
        String ns = namespace();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Watch watch = client.configMaps().inNamespace(ns).watch(recorder(events))) {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("watched").endMetadata().addToData("a", "1").build()).create();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED watched");
            client.configMaps().inNamespace(ns).withName("watched").edit(cm -> new ConfigMapBuilder(cm)
                    .addToData("a", "2").build());
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("MODIFIED watched");
            client.configMaps().inNamespace(ns).withName("watched").delete();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("DELETED watched");
        }
    }

    @Test
    void aRawWebSocketWatchGetsWatchEvents() throws Exception {
        String ns = namespace();
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        java.net.http.WebSocket socket = http.newWebSocketBuilder().buildAsync(
                URI.create(server.url().replace("http://", "ws://") + "/api/v1/namespaces/" + ns
                        + "/configmaps?watch=true"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket webSocket,
                            CharSequence data, boolean last) {
                        messages.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("over-ws").endMetadata().build()).create();
            JsonNode event = ApiResponses.parse(messages.poll(10, TimeUnit.SECONDS));
            assertThat(event.path("type").asString()).isEqualTo("ADDED");
            assertThat(event.path("object").path("metadata").path("name").asString()).isEqualTo("over-ws");
        } finally {
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void webSocketWatchesClosedAtOnceLeaveTheServerAnswering() throws Exception {
        String ns = namespace();
        for (int i = 0; i < 20; i++) {
            client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("replayed-" + i).endMetadata().build()).create();
        }
        for (int i = 0; i < 5; i++) {
            // closed while the watch still replays the stored objects
            client.configMaps().inNamespace(ns).watch(recorder(new LinkedBlockingQueue<>())).close();
        }
        // fresh connections, so that each event loop of the server is asked
        for (int i = 0; i < 4; i++) {
            try (HttpClient fresh = HttpClient.newHttpClient()) {
                HttpResponse<String> version = fresh.send(HttpRequest.newBuilder(URI.create(server.url() + "/version"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(version.statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void anHttpStreamingWatchReceivesEventsAndAWatchFromAVersionSkipsWhatTheListHad() throws Exception {
        String ns = namespace();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("old").endMetadata().build()).create();
        String listVersion = client.configMaps().inNamespace(ns).list().getMetadata().getResourceVersion();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withOnlyHttpWatches(true)
                .withHttp2Disable(true).build();
        try (KubernetesClient httpOnly = new KubernetesClientBuilder().withConfig(config).build()) {
            BlockingQueue<String> events = new LinkedBlockingQueue<>();
            try (Watch watch = httpOnly.configMaps().inNamespace(ns).withResourceVersion(listVersion)
                    .watch(recorder(events))) {
                client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder()
                        .withNewMetadata().withName("new").endMetadata().build()).create();
                assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("ADDED new");
                assertThat(events).as("no replay of 'old'").isEmpty();
            }
        }
    }

    @Test
    void anInformerSeesAdditionsAndUpdates() throws Exception {
        String ns = namespace();
        client.pods().inNamespace(ns).resource(pod("before", "app")).create();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        SharedIndexInformer<Pod> informer = client.pods().inNamespace(ns).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                events.add("add " + pod.getMetadata().getName());
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                if (!old.getMetadata().getResourceVersion().equals(pod.getMetadata().getResourceVersion())) {
                    events.add("update " + pod.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                events.add("delete " + pod.getMetadata().getName());
            }
        });
        try {
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("add before");
            client.pods().inNamespace(ns).resource(pod("after", "app")).create();
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("add after");
            client.pods().inNamespace(ns).withName("after").edit(p -> new PodBuilder(p).editMetadata()
                    .addToLabels("touched", "yes").endMetadata().build());
            assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("update after");
            assertThat(informer.getStore().list()).hasSize(2);
        } finally {
            informer.close();
        }
    }

    @Test
    void listsHaveTypedKindsAndHonourLabelAndFieldSelectors() throws Exception {
        String ns = namespace();
        for (String[] p : new String[][] {{"a", "front", "node-1"}, {"b", "back", "node-2"}, {"c", "front", "node-2"}}) {
            client.pods().inNamespace(ns).resource(new PodBuilder(pod(p[0], "app")).editMetadata()
                    .addToLabels("tier", p[1]).endMetadata().editSpec().withNodeName(p[2]).endSpec().build()).create();
        }
        JsonNode list = ApiResponses.parse(get("/api/v1/namespaces/" + ns + "/pods").body());
        assertThat(list.path("kind").asString()).isEqualTo("PodList");
        assertThat(list.path("apiVersion").asString()).isEqualTo("v1");

        assertThat(names(client.pods().inNamespace(ns).withLabel("tier", "front").list().getItems()))
                .containsExactlyInAnyOrder("a", "c");
        assertThat(names(client.pods().inNamespace(ns).withLabelSelector("tier in (back,middle)").list().getItems()))
                .containsExactly("b");
        assertThat(names(client.pods().inNamespace(ns).withField("spec.nodeName", "node-2").list().getItems()))
                .containsExactlyInAnyOrder("b", "c");
        assertThat(names(client.pods().inNamespace(ns).withField("spec.nodeName", "node-2")
                .withLabel("tier", "front").list().getItems())).containsExactly("c");
        assertThat(names(client.pods().inNamespace(ns).withoutField("metadata.name", "a").list().getItems()))
                .containsExactlyInAnyOrder("b", "c");
        assertThat(get("/api/v1/namespaces/" + ns + "/pods?labelSelector=tier%20in%20(").statusCode())
                .isEqualTo(400);
    }

    @Test
    void statusWritesGoToTheStatusSubresource() {
        String ns = namespace();
        Pod created = client.pods().inNamespace(ns).resource(new PodBuilder(pod("p", "app"))
                .withNewStatus().withPhase("Pending").endStatus().build()).create();
        assertThat(created.getStatus().getPhase()).as("status stored as given").isEqualTo("Pending");
        created.getStatus().setPhase("Running");
        client.pods().inNamespace(ns).resource(created).updateStatus();
        assertThat(client.pods().inNamespace(ns).withName("p").get().getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void clusterScopedObjectsIgnoreANamespaceAndNamespacedPathsNeedOne() throws Exception {
        assertThat(send("POST", "/api/v1/pods", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}").statusCode()).isEqualTo(405);
        assertThat(get("/api/v1/namespaces/default/nodes").statusCode()).isEqualTo(404);
    }

    @Test
    void bodiesTheServerCannotReadAreRefused() throws Exception {
        String ns = namespace();
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        assertThat(send("POST", path, "application/vnd.kubernetes.protobuf", "k8s\0...").statusCode()).isEqualTo(415);
        assertThat(send("POST", path, "application/json", "not json").statusCode()).isEqualTo(400);
        assertThat(send("POST", path, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"ok\"}}").statusCode()).isEqualTo(201);
    }

    @Test
    void openApiTellsKubectlThatTheServerValidates() throws Exception {
        JsonNode root = ApiResponses.parse(get("/openapi/v3").body());
        String appsUrl = root.path("paths").path("apis/apps/v1").path("serverRelativeURL").asString();
        assertThat(appsUrl).startsWith("/openapi/v3/apis/apps/v1?hash=");
        JsonNode apps = ApiResponses.parse(get(appsUrl).body());
        JsonNode patch = apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .path("patch");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Deployment");
        assertThat(patch.path("parameters").get(0).path("name").asString()).isEqualTo("fieldValidation");
    }

    @Test
    void versionAndKubeconfig() throws Exception {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(ApiServer.KUBERNETES_VERSION);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("k9p-kubeconfig", ".yaml");
        try {
            server.writeKubeconfig(file);
            Config config = Config.fromKubeconfig(java.nio.file.Files.readString(file));
            assertThat(config.getMasterUrl()).startsWith(server.url());
            try (KubernetesClient fromFile = new KubernetesClientBuilder().withConfig(config).build()) {
                assertThat(fromFile.namespaces().withName("default").get()).isNotNull();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    // ---- helpers

    private static Watcher<ConfigMap> recorder(BlockingQueue<String> events) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }

    private static APIResource resource(APIResourceList list, String name) {
        return list.getResources().stream().filter(r -> r.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not in " + list.getGroupVersion()));
    }

    private static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
        List<String> names = new ArrayList<>();
        items.forEach(i -> names.add(i.getMetadata().getName()));
        return names;
    }

    static Deployment deployment(String name, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName(name).withImage("nginx:1.27").endContainer().endSpec()
                .endTemplate().endSpec()
                .withNewStatus().withReplicas(replicas).endStatus()
                .build();
    }

    static Pod pod(String name, String... containers) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec();
        for (String container : containers) {
            pod.editSpec().addNewContainer().withName(container).withImage("busybox").endContainer().endSpec();
        }
        return pod.build();
    }

    private static String scaleBody(String name, String replicas, String resourceVersion) {
        return "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"" + name + "\""
                + (resourceVersion == null ? "" : ",\"resourceVersion\":\"" + resourceVersion + "\"")
                + "},\"spec\":{\"replicas\":" + replicas + "}}";
    }

    private static void awaitContains(ByteArrayOutputStream out, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!out.toString(StandardCharsets.UTF_8).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
