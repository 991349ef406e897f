package io.k9p.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.cli.Main;
import io.k9p.demo.ApiServer;
import io.k9p.testing.Kubectl;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * deploy/ as {@code kubectl apply -f deploy/} sends it, to the demo API server, and read back from
 * there: the objects it makes and what they say. The demo server's OpenAPI documents have no schemas,
 * so kubectl checks no field names; {@link #everyFieldIsOneKubernetesDefines} does, with fabric8's
 * typed model. Skipped where kubectl is missing (failed in CI).
 */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("deploy");
    private static final List<String> OBJECTS = List.of(
            "namespace/k9p",
            "serviceaccount/k9p",
            "clusterrole.rbac.authorization.k8s.io/k9p",
            "clusterrolebinding.rbac.authorization.k8s.io/k9p",
            "deployment.apps/k9p",
            "service/k9p");

    @TempDir
    static Path dir;
    private static Kubectl kubectl;
    private static ApiServer server;
    private static KubernetesClient client;
    private static Kubectl.Result applied;

    @BeforeAll
    static void apply() throws Exception {
        kubectl = Kubectl.require(dir);
        server = ApiServer.start();
        client = server.client();
        applied = kubectl.run("--server", server.url(), "apply", "-f", DEPLOY.toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void kubectlAppliesEveryObjectThenFindsThemUnchanged() throws Exception {
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.text().lines()).containsExactlyElementsOf(OBJECTS.stream().map(o -> o + " created").toList());
        Kubectl.Result again = kubectl.run("--server", server.url(), "apply", "-f", DEPLOY.toString());
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.text().lines()).containsExactlyElementsOf(OBJECTS.stream().map(o -> o + " unchanged").toList());
        assertThat(client.namespaces().withName("k9p").get()).isNotNull();
        assertThat(client.serviceAccounts().inNamespace("k9p").withName("k9p").get()).isNotNull();
    }

    @Test
    void theDeploymentRunsTwoLockedDownReplicasOfTheImage() throws Exception {
        Deployment deployment = client.apps().deployments().inNamespace("k9p").withName("k9p").get();
        assertThat(deployment).isNotNull();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("k9p");
        assertThat(pod.getAutomountServiceAccountToken()).isNotEqualTo(Boolean.FALSE);

        assertThat(pod.getContainers()).hasSize(1);
        Container k9p = pod.getContainers().getFirst();
        assertThat(k9p.getImage()).isEqualTo("k9p:" + pomVersion());
        assertThat(k9p.getImagePullPolicy()).isIn("Never", "IfNotPresent");
        assertThat(k9p.getCommand()).as("the image's entrypoint runs k9p").isNullOrEmpty();
        assertThat(k9p.getArgs()).containsExactly("serve", "--auth", "token", "--listen", "tcp:0.0.0.0:1564");

        assertThat(k9p.getPorts()).extracting(ContainerPort::getContainerPort, ContainerPort::getProtocol)
                .containsExactly(tuple(1564, "TCP"));
        for (Probe probe : List.of(k9p.getReadinessProbe(), k9p.getLivenessProbe())) {
            assertThat(probe).isNotNull();
            assertThat(probe.getTcpSocket()).isNotNull();
            assertThat(containerPort(k9p, probe.getTcpSocket().getPort())).isEqualTo(1564);
        }

        SecurityContext security = k9p.getSecurityContext();
        assertThat(security.getRunAsNonRoot()).isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).isFalse();
        assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getSecurityContext().getRunAsUser()).as("the image's user, nonroot").isEqualTo(65532L);
        // A read-only root: the JVM's scratch space is a volume.
        assertThat(k9p.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/tmp");
            assertThat(pod.getVolumes()).anySatisfy(volume -> {
                assertThat(volume.getName()).isEqualTo(mount.getName());
                assertThat(volume.getEmptyDir()).isNotNull();
            });
        });

        Map<String, Quantity> requests = k9p.getResources().getRequests();
        Map<String, Quantity> limits = k9p.getResources().getLimits();
        for (String resource : List.of("cpu", "memory")) {
            assertThat(requests).containsKey(resource);
            assertThat(limits).containsKey(resource);
            assertThat(limits.get(resource).getNumericalAmount())
                    .as(resource + " limit against request")
                    .isGreaterThanOrEqualTo(requests.get(resource).getNumericalAmount());
        }
    }

    @Test
    void theServiceIsTheReplicasPort() {
        Service service = client.services().inNamespace("k9p").withName("k9p").get();
        Deployment deployment = client.apps().deployments().inNamespace("k9p").withName("k9p").get();
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).hasSize(1);
        ServicePort port = service.getSpec().getPorts().getFirst();
        assertThat(port.getPort()).isEqualTo(1564);
        assertThat(port.getProtocol()).isEqualTo("TCP");
        Container k9p = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(containerPort(k9p, port.getTargetPort())).isEqualTo(1564);
    }

    @Test
    void theClusterRoleGrantsWhatK9pDoesAndItsServiceAccountHasIt() {
        List<PolicyRule> rules = client.rbac().clusterRoles().withName("k9p").get().getRules();
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(allows(rules, "", "pods", verb)).as(verb).isTrue();
            assertThat(allows(rules, "apps", "deployments", verb)).as(verb).isTrue();
            assertThat(allows(rules, "stable.example.com", "crontabs", verb)).as(verb + " of a custom resource").isTrue();
        }
        for (String verb : List.of("create", "update", "patch", "delete")) {
            assertThat(allows(rules, "", "configmaps", verb)).as(verb).isTrue();
            assertThat(allows(rules, "apps", "deployments", verb)).as(verb).isTrue();
        }
        for (String verb : List.of("get", "update", "patch")) {
            assertThat(allows(rules, "apps", "deployments/scale", verb)).as(verb + " scale").isTrue();
            assertThat(allows(rules, "stable.example.com", "crontabs/scale", verb)).as(verb + " scale").isTrue();
        }
        // RBAC's "*" takes these in already; they have rules of their own, which stay when "*" is narrowed.
        assertThat(names(rules, "", "pods/log", "get")).isTrue();
        assertThat(names(rules, "apps", "deployments/scale", "update")).isTrue();
        for (String resource : List.of("users", "groups", "serviceaccounts")) {
            assertThat(names(rules, "", resource, "impersonate")).as("impersonate " + resource).isTrue();
        }
        assertThat(names(rules, "authentication.k8s.io", "tokenreviews", "create")).isTrue();
        assertThat(names(rules, "authorization.k8s.io", "subjectaccessreviews", "create")).isTrue();

        // Nothing k9p does not do.
        assertThat(allows(rules, "", "configmaps", "deletecollection")).isFalse();
        assertThat(allows(rules, "rbac.authorization.k8s.io", "clusterroles", "escalate")).isFalse();
        assertThat(allows(rules, "rbac.authorization.k8s.io", "clusterroles", "bind")).isFalse();
        assertThat(allows(rules, "authentication.k8s.io", "userextras/scopes", "impersonate")).isFalse();
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
        });

        ClusterRoleBinding binding = client.rbac().clusterRoleBindings().withName("k9p").get();
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo("k9p");
        assertThat(binding.getSubjects()).extracting(Subject::getKind, Subject::getName, Subject::getNamespace)
                .containsExactly(tuple("ServiceAccount", "k9p", "k9p"));
    }

    @Test
    void everyFieldIsOneKubernetesDefines() throws Exception {
        List<Path> files;
        try (Stream<Path> listed = Files.list(DEPLOY)) {
            files = listed.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            List<HasMetadata> objects;
            try (InputStream in = Files.newInputStream(file)) {
                objects = client.load(in).items();
            }
            assertThat(objects).as(file.toString()).isNotEmpty();
            for (HasMetadata object : objects) {
                assertThat(object.getClass().getPackageName()).as(file + ": a type fabric8 knows")
                        .startsWith("io.fabric8.kubernetes.api.model");
                List<String> unknown = new ArrayList<>();
                unknownFields(object, object.getKind(), unknown);
                assertThat(unknown).as(file + ": fields no Kubernetes type has").isEmpty();
            }
        }
    }

    @Test
    void theArgumentsAreOptionsOfServe() {
        Container k9p = client.apps().deployments().inNamespace("k9p").withName("k9p").get()
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThatCode(() -> new CommandLine(new Main()).parseArgs(k9p.getArgs().toArray(String[]::new)))
                .doesNotThrowAnyException();
    }

    /** Whether one of the rules grants the verb on the resource (maybe "resource/subresource"), as RBAC matches. */
    private static boolean allows(List<PolicyRule> rules, String group, String resource, String verb) {
        String subresource = resource.contains("/") ? resource.substring(resource.indexOf('/') + 1) : null;
        return rules.stream().anyMatch(rule ->
                (rule.getApiGroups().contains("*") || rule.getApiGroups().contains(group))
                        && (rule.getVerbs().contains("*") || rule.getVerbs().contains(verb))
                        && (rule.getResources().contains("*") || rule.getResources().contains(resource)
                                || subresource != null && rule.getResources().contains("*/" + subresource)));
    }

    /** Whether a rule grants the verb on the resource naming it, not as "*" (its group may be "*"). */
    private static boolean names(List<PolicyRule> rules, String group, String resource, String verb) {
        return allows(rules.stream().filter(rule -> !rule.getResources().contains("*")).toList(), group, resource, verb);
    }

    /** The container port a probe's or a Service's port names, by number or by name. */
    private static int containerPort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .mapToInt(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    /** Collects the paths of fields fabric8's model kept as additional properties: names no type has. */
    private static void unknownFields(Object value, String path, List<String> unknown) throws Exception {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                unknownFields(entry.getValue(), path + "." + entry.getKey(), unknown);
            }
            return;
        }
        if (value == null || !value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field = getter.invoke(value);
            if (getter.getName().equals("getAdditionalProperties")) {
                ((Map<?, ?>) field).keySet().forEach(key -> unknown.add(path + "." + key));
            } else {
                unknownFields(field, path + "." + decapitalize(getter.getName().substring(3)), unknown);
            }
        }
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String pomVersion() throws Exception {
        Matcher version = Pattern.compile("(?m)^  <version>(.*)</version>$").matcher(Files.readString(Path.of("pom.xml")));
        assertThat(version.find()).as("the pom's <version>").isTrue();
        return version.group(1);
    }
}
