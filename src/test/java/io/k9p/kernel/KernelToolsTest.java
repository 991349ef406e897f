package io.k9p.kernel;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.ApiServer;
import io.k9p.testing.ClusterServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tools people use on files (GNU sed, vim, grep, find, cp, diff, dd, python3, jq), run by Debian's
 * userland in a QEMU guest against a default 9P2000.L mount of the demo cluster, each result checked against
 * the API server afterwards. One boot runs every step, as boots are slow under TCG; the assertions are soft,
 * so that one run reports every step that failed, each by its name.
 */
class KernelToolsTest {
    private static final String NAMESPACE = "tools";
    private static final String IMAGE = "registry.example/app:1.0";
    private static final String EDITED_IMAGE = "registry.example/app:1.1";
    private static final Map<String, String> CONFIG = Map.of("app.conf", "level=info\nport=8080\n", "other", "x\n");
    private static final Map<String, String> EDITED_CONFIG = Map.of("app.conf", "level=debug\nport=8080\n", "other", "x\n");
    /** Deployments that a step edits, one each, named after the step. */
    private static final List<String> EDITED = List.of(
            "sed", "vim-yaml", "vim-json", "vim-rename-yaml", "vim-rename-json");
    /** Deployments that a step tries to spoil, one each: the write must be refused. */
    private static final List<String> REFUSED = List.of("truncate", "invalid");

    private static GuestVm guest;
    private ClusterServer cluster;
    /** The dd step's own API server, so that the writes it counts are that step's alone. */
    private ClusterServer chunked;
    private KubernetesClient kube;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.requireDebian();
    }

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterServer.demo();
        kube = cluster.kube;
        createNamespace(kube);
        for (String name : EDITED) {
            kube.resource(deployment(name)).create();
        }
        for (String name : REFUSED) {
            kube.resource(deployment(name)).create();
        }
        for (String name : List.of("vim-key", "vim-rename-key")) {
            kube.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                    .withData(CONFIG).build()).create();
        }
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName("python").withNamespace(NAMESPACE).endMetadata()
                .addToData("greeting", "hello\n").build()).create();
        chunked = ClusterServer.of(ApiServer.start());
        createNamespace(chunked.kube);
        chunked.kube.resource(deployment("chunked")).create();
    }

    @AfterEach
    void stop() {
        if (chunked != null) {
            chunked.close();
        }
        cluster.close();
    }

    @Test
    void toolsPeopleUseThroughTheKernelMount() {
        Map<String, String> refusedVersions = new HashMap<>();
        for (String name : REFUSED) {
            refusedVersions.put(name, deploymentNamed(name).getMetadata().getResourceVersion());
        }
        long chunkedGeneration = chunked.kube.apps().deployments().inNamespace(NAMESPACE).withName("chunked").get()
                .getMetadata().getGeneration();
        long chunkedWritesBefore = writes(chunked.api);

        String script = """
                step() { echo "== $1"; }
                # Whatever works on the mount runs under a time limit, so that a hang fails its step rather
                # than the boot; killed if it ignores the TERM (a process in a 9P request wakes only to KILL).
                limit() { timeout -k 5 60 "$@"; }
                # vim as a user saving a file: Vim's defaults (backupcopy=auto, writebackup, a swap file beside
                # the file), no vimrc or viminfo, Ex mode since there is no terminal. Then whether the directory
                # holds anything it did not before (a backup file~, .file.swp, vim's 4913 probe).
                edit() { # file, then vim's -c options
                  file=$1; shift
                  dir=$(dirname "$file")
                  limit ls -A "$dir" > /tmp/before
                  limit vim -Nu NONE -i NONE -es "$@" -c wq "$file"; echo "status $?"
                  limit ls -A "$dir" | diff /tmp/before - && echo "no leftovers"
                }
                mkdir -p /mnt/k8s /mnt/chunked
                mount -t 9p -o trans=tcp,port=%d 10.0.2.2 /mnt/k8s || exit 90
                mount -t 9p -o trans=tcp,port=%d 10.0.2.2 /mnt/chunked || exit 91
                cd /mnt/k8s
                NS=%s
                D=namespaces/$NS/deployments
                C=namespaces/$NS/configmaps
                image='1,$s/app:1.0/app:1.1/'
                conf='1,$s/level=info/level=debug/'
                step sed; limit sed -i 's/app:1.0/app:1.1/' $D/sed/data.yaml; echo "status $?"
                step vim-yaml; edit $D/vim-yaml/data.yaml -c "$image"
                step vim-json; edit $D/vim-json/data.json -c "$image"
                step vim-key; edit $C/vim-key/data/app.conf -c "$conf"
                step vim-rename-yaml; edit $D/vim-rename-yaml/data.yaml -c 'set backupcopy=no' -c "$image"
                step vim-rename-json; edit $D/vim-rename-json/data.json -c 'set backupcopy=no' -c "$image"
                step vim-rename-key; edit $C/vim-rename-key/data/app.conf -c 'set backupcopy=no' -c "$conf"
                step mtime; limit stat -c %%Y $D/sed/data.yaml $D/sed/status
                step kind; limit grep -l '^kind: Deployment$' $D/*/data.yaml | wc -l
                step grep; limit grep -r -l '^kind: CronTab$' namespaces/shop; echo "status $?"
                step find; limit find namespaces/shop > /tmp/find.out; echo "status $?"
                grep -x -e namespaces/shop/configmaps/settings/data/color -e namespaces/shop/crontabs/nightly/data.yaml /tmp/find.out | sort
                step cp; limit cp -a namespaces/shop /tmp/shop; echo "status $?"
                step diff; limit diff -r /tmp/shop namespaces/shop; echo "status $?"
                step python-write; limit python3 -c "open('$C/python/data/greeting', 'w').write('hello from python\\n')"; echo "status $?"
                step python-new-key; limit python3 -c "open('$C/python/data/farewell', 'w').write('bye\\n')"; echo "status $?"
                step python-json; limit python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["kind"], d["spec"]["replicas"])' \\
                  namespaces/kube-system/deployments/coredns/data.json; echo "status $?"
                # The console is a terminal, where jq colours numbers: -M keeps its output plain.
                step jq; limit jq -M -r '.kind, .spec.replicas' namespaces/kube-system/deployments/coredns/data.json; echo "status $?"
                # Linux drops close(2)'s errors, so a refusal at close shows in the object's error file.
                step truncate; limit sh -c ': > "$1"' sh $D/truncate/data.yaml; echo "status $?"
                echo "error: $(limit cat $D/truncate/error)"
                step invalid; limit sh -c 'printf "spec: [unclosed\\n" > "$1"' sh $D/invalid/data.yaml; echo "status $?"
                echo "error: $(limit cat $D/invalid/error)"
                step chunked; F=/mnt/chunked/$D/chunked/data.yaml
                limit sed 's/app:1.0/app:1.1/' $F > /tmp/chunked.yaml; test $(wc -c < /tmp/chunked.yaml) -gt 300 && echo "over 3 writes"
                limit dd bs=100 if=/tmp/chunked.yaml of=$F 2>/dev/null; echo "status $?"
                step umount; cd / && limit umount /mnt/k8s /mnt/chunked && echo unmounted
                """.formatted(cluster.port(), chunked.port(), NAMESPACE);
        GuestVm.Result result = guest.runScript(script, Duration.ofMinutes(10));
        Map<String, String> steps = ScriptSteps.split(result.output());
        long chunkedWrites = writes(chunked.api) - chunkedWritesBefore;

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();

        softly.assertThat(steps.get("sed")).as("sed").isEqualTo("status 0\n");
        softly.assertThat(image(deploymentNamed("sed"))).as("sed: image at the API server").isEqualTo(EDITED_IMAGE);
        for (String step : List.of("vim-yaml", "vim-json", "vim-rename-yaml", "vim-rename-json")) {
            assertSaved(softly, step, steps.get(step));
            softly.assertThat(image(deploymentNamed(step))).as("%s: image at the API server", step)
                    .isEqualTo(EDITED_IMAGE);
        }
        for (String step : List.of("vim-key", "vim-rename-key")) {
            assertSaved(softly, step, steps.get(step));
            Map<String, String> data = kube.configMaps().inNamespace(NAMESPACE).withName(step).get().getData();
            softly.assertThat(data.keySet()).as("%s: keys at the API server (the editor's files are none)", step)
                    .containsExactlyInAnyOrderElementsOf(CONFIG.keySet());
            softly.assertThat(data).as("%s: data at the API server", step).isEqualTo(EDITED_CONFIG);
        }

        long sedWritten = deploymentNamed("sed").getMetadata().getManagedFields().stream()
                .mapToLong(entry -> Instant.parse(entry.getTime()).getEpochSecond()).max().orElseThrow();
        softly.assertThat(steps.get("mtime")).as("mtime: the object's last change, as its managedFields have it")
                .isEqualTo(sedWritten + "\n" + sedWritten + "\n");
        softly.assertThat(steps.get("kind")).as("kind: kubectl's plain YAML, so grep '^kind: Deployment$' finds each")
                .isEqualTo(EDITED.size() + REFUSED.size() + "\n");
        softly.assertThat(steps.get("grep")).as("grep -r ends, reads every file, finds the CronTab")
                .endsWith("status 0\n").contains("namespaces/shop/crontabs/nightly/data.yaml\n");
        softly.assertThat(steps.get("find")).as("find ends and walks the namespace").isEqualTo(
                "status 0\nnamespaces/shop/configmaps/settings/data/color\nnamespaces/shop/crontabs/nightly/data.yaml\n");
        softly.assertThat(steps.get("cp")).as("cp -a ends").isEqualTo("status 0\n");
        softly.assertThat(steps.get("diff")).as("diff -r of the copy against the mount").isEqualTo("status 0\n");

        softly.assertThat(steps.get("python-write")).as("python-write").isEqualTo("status 0\n");
        softly.assertThat(steps.get("python-new-key")).as("python-new-key").isEqualTo("status 0\n");
        Map<String, String> python = kube.configMaps().inNamespace(NAMESPACE).withName("python").get().getData();
        softly.assertThat(python.get("greeting")).as("python-write: the key at the API server")
                .isEqualTo("hello from python\n");
        softly.assertThat(python.get("farewell")).as("python-new-key: the key at the API server").isEqualTo("bye\n");
        int replicas = kube.apps().deployments().inNamespace("kube-system").withName("coredns").get()
                .getSpec().getReplicas();
        softly.assertThat(steps.get("python-json")).as("python-json")
                .isEqualTo("Deployment " + replicas + "\nstatus 0\n");
        softly.assertThat(steps.get("jq")).as("jq").isEqualTo("Deployment\n" + replicas + "\nstatus 0\n");

        for (String step : REFUSED) {
            String output = String.valueOf(steps.get(step));
            softly.assertThat(output.contains("status 0") && output.contains("error: \n"))
                    .as("%s: refused, by the write's status or the error file:%n%s", step, output).isFalse();
            softly.assertThat(deploymentNamed(step).getMetadata().getResourceVersion())
                    .as("%s: the object is unchanged at the API server", step).isEqualTo(refusedVersions.get(step));
        }

        softly.assertThat(steps.get("chunked")).as("chunked: dd's status").isEqualTo("over 3 writes\nstatus 0\n");
        softly.assertThat(chunkedWrites).as("chunked: requests that write, one commit at close; all requests: %s",
                chunked.api.requestCounts()).isEqualTo(1);
        Deployment written = chunked.kube.apps().deployments().inNamespace(NAMESPACE).withName("chunked").get();
        softly.assertThat(written.getMetadata().getGeneration()).as("chunked: generation moved by one update")
                .isEqualTo(chunkedGeneration + 1);
        softly.assertThat(image(written)).as("chunked: image at the API server").isEqualTo(EDITED_IMAGE);

        softly.assertThat(steps.get("umount")).as("umount").isEqualTo("unmounted\n");
        softly.assertAll();
    }

    /** vim's save succeeded and left nothing in the directory that was not there before. */
    private static void assertSaved(SoftAssertions softly, String step, String output) {
        softly.assertThat(output).as("%s: vim's status and the directory's new files", step)
                .isEqualTo("status 0\nno leftovers\n");
    }

    private static String image(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private Deployment deploymentNamed(String name) {
        return kube.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    private static void createNamespace(KubernetesClient kube) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
    }

    private static Deployment deployment(String name) {
        Map<String, String> labels = Map.of("app", name);
        return new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The requests other than reads that an API server has had: creations, updates, patches, deletions. */
    private static long writes(ApiServer api) {
        return api.requestCounts().entrySet().stream().filter(request -> !request.getKey().startsWith("GET "))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
