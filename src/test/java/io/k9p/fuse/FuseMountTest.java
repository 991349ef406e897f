package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.DemoCluster;
import io.k9p.kernel.ScriptSteps;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.FailedCommits;
import io.k9p.testing.Kubectl;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code k9p mount} through the host's FUSE: the mount process runs as an ordinary user
 * ({@link OrdinaryUser}), and so do the host's tools on the mount (GNU coreutils, grep, sed and
 * findutils, vim); kubectl and the fabric8 client change the demo API server from elsewhere, and each
 * change made through the mount is checked at the API server. One mount serves the scenarios; those
 * about a mount's life (unmounting, a crash, {@code --read-only}) start their own.
 *
 * <p>Every scenario runs once for each way of mounting in {@link #mountSources}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("mountSources")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuseMountTest {
    /** What {@code k9p mount} is told to mount: its arguments before the options and the mount point. */
    @FunctionalInterface
    interface MountSource {
        List<String> arguments(ClusterServer cluster, Path kubeconfig);
    }

    /**
     * The ways of mounting that the scenarios run against, each with a shared mount of its own: the
     * tree in the mount process, and a running k9p serve (the ClusterServer's own 9P server) through
     * k9p's 9P client.
     */
    static Stream<Named<MountSource>> mountSources() {
        return Stream.of(
                Named.<MountSource>of("the tree in the mount process",
                        (cluster, kubeconfig) -> List.of("--kubeconfig", kubeconfig.toString())),
                Named.<MountSource>of("k9p serve through --server",
                        (cluster, kubeconfig) -> List.of("--server", "tcp:127.0.0.1:" + cluster.port())));
    }

    /** vim saving one configmap's data.yaml or one key, with vim's options; each edits a configmap of its own. */
    record VimEdit(String configMap, String file, List<String> options) {
        @Override
        public String toString() {
            return "vim" + options.stream().map(option -> " -c '" + option + "'").collect(Collectors.joining()) + " " + file;
        }
    }

    /**
     * vim's two ways of saving, on the whole object and on a key: its defaults (backupcopy=auto, a swap
     * file and the 4913 probe beside the file) and backupcopy=no, which renames the file away and writes
     * a new one.
     */
    static final List<VimEdit> VIM_EDITS = List.of(
            new VimEdit("vim-yaml", "data.yaml", List.of()),
            new VimEdit("vim-yaml-rename", "data.yaml", List.of("set backupcopy=no")),
            new VimEdit("vim-key", "data/app.conf", List.of()),
            new VimEdit("vim-key-rename", "data/app.conf", List.of("set backupcopy=no")));

    /** The namespace of the objects that the scenarios change, beside the demo's own. */
    private static final String NAMESPACE = "fuse";
    private static final String OWN = "namespaces/" + NAMESPACE;
    private static final String KUBE_SYSTEM = "namespaces/kube-system";
    private static final Map<String, String> CONFIG = Map.of("app.conf", "level=info\nport=8080\n", "other", "x\n");
    private static final Map<String, String> EDITED_CONFIG = Map.of("app.conf", "level=debug\nport=8080\n", "other", "x\n");
    private static final Duration VISIBLE_WITHIN = Duration.ofMillis(1500);

    @Parameter
    MountSource source;

    private FuseWork work;
    private OrdinaryUser user;
    private Kubectl kubectl;
    private K9pCommand k9p;

    private ClusterServer cluster;
    private KubernetesClient kube;
    /** This invocation's directory: the user-readable kubeconfig, mount points and their processes' output. */
    private Path invocation;
    private Path kubeconfig;
    private MountProcess mount;
    /** The shared mount's mount point: the working directory of the scenarios' commands. */
    private Path root;

    @BeforeAll
    void prepare() throws Exception {
        work = FuseWork.prepare("k9p-fuse-test");
        user = work.user();
        kubectl = Kubectl.require(work.directory());
        k9p = work.k9p();
    }

    @BeforeParameterizedClassInvocation
    void mount() throws Exception {
        cluster = ClusterServer.demo();
        kube = cluster.kube;
        seed();
        invocation = user.createDirectory(Files.createTempDirectory(work.directory(), "mount"));
        kubeconfig = user.writeFile(invocation.resolve("kubeconfig"), Files.readString(cluster.kubeconfig));
        mount = start(newMountPoint("shared"), List.of());
        mount.awaitMounted();
        root = mount.mountPoint();
    }

    @AfterParameterizedClassInvocation
    void unmount() throws Exception {
        try {
            if (mount != null) {
                mount.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            mount = null;
            cluster = null;
        }
    }

    @AfterAll
    void removeWorkDirectory() throws Exception {
        if (work != null) {
            work.remove();
        }
    }

    // ---------------------------------------------------------------- the seed's workflows

    @Test
    void lsListsTheNamespacesTypesAsTheUsersDirectories() throws Exception {
        ProcessRun ls = user.run(root, "ls", "-lp", KUBE_SYSTEM);
        assertThat(ls.exit()).as("%s", ls).isZero();
        List<String[]> entries = ls.lines().stream().filter(line -> !line.startsWith("total "))
                .map(line -> line.split(" +")).toList();
        assertThat(entries).as("%s", ls).isNotEmpty().allSatisfy(fields -> {
            assertThat(fields[0]).as("mode").startsWith("d");
            assertThat(fields[2]).as("owner").isEqualTo(user.name());
            assertThat(fields[fields.length - 1]).as("name").endsWith("/");
        });
        assertThat(entries.stream().map(fields -> fields[fields.length - 1]))
                .contains("configmaps/", "deployments/", "pods/", "secrets/", "crontabs/");
    }

    @Test
    void echoIntoScaleScalesTheDeployment() throws Exception {
        String scale = KUBE_SYSTEM + "/deployments/coredns/scale";
        ProcessRun echo = user.shell(root, "echo 5 > " + scale);
        assertThat(echo.exit()).as("%s", echo).isZero();
        assertThat(kube.apps().deployments().inNamespace("kube-system").withName("coredns").get().getSpec().getReplicas())
                .as("replicas at the API server").isEqualTo(5);
        ProcessRun cat = user.run(root, "cat", scale);
        assertThat(cat.out()).as("the scale file read back: %s", cat).isEqualTo("5\n");
    }

    @Test
    void grepListsThePodThatIsNotRunning() throws Exception {
        ProcessRun grep = user.shell(root, "grep -L Running " + KUBE_SYSTEM + "/pods/*/status");
        assertThat(grep.out()).as("%s", grep).isEqualTo(KUBE_SYSTEM + "/pods/" + DemoCluster.CRASHING_POD + "/status\n");
    }

    @Test
    void tailPrintsTheEndOfEveryLogAsKubectlLogsDoes() throws Exception {
        ProcessRun tail = user.shell(root, "tail -n 2 " + KUBE_SYSTEM + "/pods/*/logs/*");
        assertThat(tail.exit()).as("%s", tail).isZero();
        assertThat(tail.out()).isEqualTo(String.join("\n",
                logTail(DemoCluster.HEALTHY_POD, false),
                logTail(DemoCluster.CRASHING_POD, false),
                logTail(DemoCluster.CRASHING_POD, true)));
    }

    /** What tail prints for one of a pod's logs: its name, then the last two lines as kubectl has them. */
    private String logTail(String pod, boolean previous) throws Exception {
        List<String> logs = new ArrayList<>(List.of("logs", "-n", "kube-system", pod, "--tail=2"));
        if (previous) {
            logs.add("--previous");
        }
        return "==> " + KUBE_SYSTEM + "/pods/" + pod + "/logs/coredns" + (previous ? ".previous" : "") + " <==\n"
                + kubectl(logs.toArray(String[]::new)).text();
    }

    @Test
    void sedEditsAConfigMapsDataYamlInPlace() throws Exception {
        ProcessRun sed = user.run(root, "sed", "-i", "s/cache 30/cache 60/", KUBE_SYSTEM + "/configmaps/coredns/data.yaml");
        assertThat(sed.exit()).as("%s", sed).isZero();
        assertThat(kube.configMaps().inNamespace("kube-system").withName("coredns").get().getData().get("Corefile"))
                .as("the Corefile at the API server").contains("cache 60").doesNotContain("cache 30");
    }

    /**
     * sed -i renames its temporary file onto data.yaml, which commits it. The kernel then ties the
     * name to the temporary file's inode unless told otherwise, so a second edit at once would read
     * the content of before the commit and fail as stale.
     */
    @Test
    void aSecondSedAtOnceEditsWhatTheFirstCommitted() throws Exception {
        String file = OWN + "/configmaps/edited-twice/data.yaml";
        ProcessRun edits = user.shell(root, "sed -i s/blue/green/ " + file + " && sed -i s/green/red/ " + file
                + " && grep resourceVersion " + file);
        assertThat(edits.exit()).as("%s", edits).isZero();
        ConfigMap edited = configMap("edited-twice");
        assertThat(edited.getData()).as("the data at the API server").containsEntry("color", "red");
        assertThat(edits.out()).as("data.yaml read right after the second edit")
                .contains("resourceVersion: \"" + edited.getMetadata().getResourceVersion() + "\"");
    }

    // ---------------------------------------------------------------- editors and failed changes

    @ParameterizedTest(name = "{0}")
    @FieldSource("VIM_EDITS")
    void vimSavesAndLeavesNoEditorFilesBehind(VimEdit edit) throws Exception {
        String file = OWN + "/configmaps/" + edit.configMap() + "/" + edit.file();
        String directory = file.substring(0, file.lastIndexOf('/'));
        ProcessRun before = user.run(root, "ls", "-A", directory);
        // As a user saving a file: vim's compiled-in defaults, no vimrc or viminfo, Ex mode as there is no terminal.
        List<String> vim = new ArrayList<>(List.of("vim", "-Nu", "NONE", "-i", "NONE", "-es"));
        edit.options().forEach(option -> vim.addAll(List.of("-c", option)));
        vim.addAll(List.of("-c", "1,$s/level=info/level=debug/", "-c", "wq", file));
        ProcessRun saved = user.run(root, vim.toArray(String[]::new));
        ProcessRun after = user.run(root, "ls", "-A", directory);

        assertThat(before.lines()).as("%s before the save: %s", directory, before)
                .contains(file.substring(directory.length() + 1));
        assertThat(saved.exit()).as("vim: %s", saved).isZero();
        assertThat(after.lines()).as("%s after the save (no swap file, backup or 4913 left): %s", directory, after)
                .isEqualTo(before.lines());
        assertThat(configMap(edit.configMap()).getData())
                .as("the configmap at the API server: edited, and none of vim's files became a key")
                .isEqualTo(EDITED_CONFIG);
    }

    @Test
    void aStaleCopyWrittenBackFailsAtCloseWithEstale() throws Exception {
        String file = OWN + "/configmaps/stale/data.yaml";
        String copy = user.home().resolve("stale.yaml").toString();
        ProcessRun saved = user.run(root, "cp", file, copy);
        assertThat(saved.exit()).as("%s", saved).isZero();
        kubectl("label", "-n", NAMESPACE, "configmap/stale", "edited=elsewhere");
        String newer = configMap("stale").getMetadata().getResourceVersion();

        ProcessRun back = user.run(root, "cp", copy, file);
        assertThat(back.exit()).as("%s", back).isNotZero();
        assertThat(back.err()).as("cp's error").contains("Stale file handle");
        ConfigMap kept = configMap("stale");
        assertThat(kept.getMetadata().getResourceVersion()).as("resourceVersion at the API server").isEqualTo(newer);
        assertThat(kept.getMetadata().getLabels()).as("labels at the API server").containsEntry("edited", "elsewhere");
    }

    @Test
    void cpIntoATypeDirectoryCreatesTheObjectAndRmRDeletesIt() throws Exception {
        Path yaml = user.writeFile(user.home().resolve("created.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: created
                data:
                  port: "8080"
                """);
        ProcessRun cp = user.run(root, "cp", yaml.toString(), OWN + "/configmaps/");
        assertThat(cp.exit()).as("%s", cp).isZero();
        ConfigMap created = configMap("created");
        assertThat(created).as("the configmap at the API server once cp returned").isNotNull();
        assertThat(created.getData()).isEqualTo(Map.of("port", "8080"));
        ProcessRun ls = user.run(root, "ls", OWN + "/configmaps");
        assertThat(ls.lines()).as("%s", ls).contains("created").doesNotContain("created.yaml");

        ProcessRun rm = user.run(root, "rm", "-r", OWN + "/configmaps/created");
        assertThat(rm.exit()).as("%s", rm).isZero();
        assertThat(configMap("created")).as("the configmap at the API server once rm returned").isNull();
    }

    // ---------------------------------------------------------------- live files and changes made elsewhere

    @Test
    void timeoutEndsACatOfTheWatchFileThatPrintedTheChange() throws Exception {
        // The mount opens an upstream watch when cat opens the file, and a change made before that is
        // not what cat is to print (the demo API server would even replay it as ADDED). So the change
        // waits for that watch to reach the API server, as the next watch request: the mount's cache of
        // configmaps is watching already once a change made through the client shows through the mount.
        setCount("0");
        assertThat(timeUntilMountShows(OWN + "/configmaps/watched/data/count", "0", VISIBLE_WITHIN))
                .as("time until the mount showed a change to the configmap").isLessThan(VISIBLE_WITHIN);
        long watches = watchRequests();
        FutureTask<ProcessRun> reader = new FutureTask<>(() -> user.run(root, "timeout", "3", "cat", OWN + "/configmaps/watch"));
        Thread.ofPlatform().name("watch-reader").start(reader);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (watchRequests() == watches && !reader.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(watchRequests()).as("watch requests at the API server once cat opened the watch file").isGreaterThan(watches);
        String version = setCount("1");
        ProcessRun watched = reader.get(30, TimeUnit.SECONDS);

        assertThat(watched.exit()).as("timeout's status, having ended cat: %s", watched).isEqualTo(124);
        assertThat(watched.elapsed()).as("how long timeout 3 cat took").isLessThan(Duration.ofSeconds(6));
        assertThat(watched.lines()).as("what cat printed").containsExactly("MODIFIED configmaps watched " + version);
    }

    /** Sets the watched configmap's count key through the client; the configmap's new resourceVersion. */
    private String setCount(String count) {
        return kube.configMaps().inNamespace(NAMESPACE).withName("watched")
                .edit(configMap -> new ConfigMapBuilder(configMap).addToData("count", count).build())
                .getMetadata().getResourceVersion();
    }

    private long watchRequests() {
        return cluster.api.requestCounts().getOrDefault("GET watch", 0L);
    }

    @Test
    void aLabelAddedWithKubectlShowsThroughTheMountWithinASecond() throws Exception {
        String file = OWN + "/configmaps/labelled/data.yaml";
        ProcessRun before = user.run(root, "cat", file);
        assertThat(before.out()).as("%s", before).contains("name: labelled").doesNotContain("changed-by: kubectl");
        kubectl("label", "-n", NAMESPACE, "configmap/labelled", "changed-by=kubectl");
        // Polled for twice the limit, so that a failure says how late it was.
        assertThat(timeUntilMountShows(file, "changed-by: kubectl", VISIBLE_WITHIN.multipliedBy(2)))
                .as("time from kubectl's return until grep found the label in data.yaml (the mount has the"
                        + " kernel cache entries and attributes 1 s, and reads data.yaml with direct I/O)")
                .isLessThan(VISIBLE_WITHIN);
    }

    /**
     * How long {@code grep -F TEXT FILE} through the mount took to find the text, polling from now;
     * {@code limit} or more when it did not.
     */
    private Duration timeUntilMountShows(String file, String text, Duration limit) throws Exception {
        long start = System.nanoTime();
        while (true) {
            boolean shown = user.run(root, "grep", "-q", "-F", text, file).exit() == 0;
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            if (shown || waited.compareTo(limit) >= 0) {
                return waited;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void cpRAndFindWalkTheTreeAndEnd() throws Exception {
        Path copy = user.createDirectory(Files.createTempDirectory(user.home(), "copy")).resolve("shop");
        ProcessRun cp = user.run(root, "cp", "-r", "namespaces/shop", copy.toString());
        assertThat(cp.exit()).as("%s", cp).isZero();
        try (Stream<Path> files = Files.walk(copy)) {
            assertThat(files.filter(path -> path.getFileName().toString().equals("data.yaml"))
                    .map(path -> copy.relativize(path).toString()))
                    .contains("configmaps/settings/data.yaml", "pods/web-0/data.yaml", "crontabs/nightly/data.yaml");
        }
        assertThat(Files.readString(copy.resolve("configmaps/settings/data.yaml")))
                .as("the copied data.yaml").isEqualTo(kubectl("get", "-n", "shop", "configmap/settings", "-o", "yaml").text());

        ProcessRun find = user.run(root, "find", ".");
        assertThat(find.exit()).as("find: %s", find.err()).isZero();
        assertThat(find.lines()).contains("./namespaces/shop/configmaps/settings/data/color",
                "./cluster/nodes/node-1/data.yaml", "./namespaces/kube-system/pods/" + DemoCluster.CRASHING_POD + "/logs/coredns");
    }

    // ---------------------------------------------------------------- pods that are not running

    /**
     * The demo's shop holds a pod still being created and one whose sidecar crash-loops with its
     * previous run gone, whose logs the API server refuses with 400: every listed file stats and
     * reads, so the recursive tools get through the namespace.
     */
    @Test
    void recursiveToolsGetThroughANamespaceWithPodsThatAreNotRunning() throws Exception {
        Path copy = user.createDirectory(Files.createTempDirectory(user.home(), "copy")).resolve("shop");
        for (String tool : List.of(
                "cp -r namespaces/shop " + copy,
                "grep -r -l ContainerCreating namespaces/shop",
                "tar cf /dev/null namespaces/shop",
                "find namespaces/shop -type f -exec cat {} + > /dev/null",
                "du -s namespaces/shop")) {
            ProcessRun run = user.shell(root, tool);
            assertThat(run.exit()).as("%s: %s", tool, run).isZero();
            assertThat(run.err()).as("%s: stderr", tool).isEmpty();
        }
        assertThat(copy.resolve("pods/" + DemoCluster.CHECKOUT_POD + "/logs/checkout")).as("the copied log").isEmptyFile();
        assertThat(copy.resolve("pods/db-migrate-8m2kq/logs/migrate")).as("the completed pod's copied log")
                .hasContent(kubectl("logs", "-n", "shop", "db-migrate-8m2kq").text());
    }

    @Test
    void aContainerThatHasNotStartedHasAnEmptyLogAndThePodSaysWhy() throws Exception {
        String pod = "namespaces/shop/pods/" + DemoCluster.CHECKOUT_POD;
        ProcessRun stat = user.run(root, "stat", "-c", "%s", pod + "/logs/checkout");
        assertThat(stat.out()).as("%s", stat).isEqualTo("0\n");
        ProcessRun cat = user.run(root, "cat", pod + "/logs/checkout");
        assertThat(cat.exit()).as("%s", cat).isZero();
        assertThat(cat.out()).as("the log of a container that waits").isEmpty();
        assertThat(user.run(root, "cat", pod + "/error").out()).as("the pod's error file")
                .contains("logs/checkout is empty: container \"checkout\" in pod \"" + DemoCluster.CHECKOUT_POD
                        + "\" is waiting to start: ContainerCreating");
    }

    @Test
    void aPreviousRunThatIsGoneHasAnEmptyLogAndThePodSaysWhy() throws Exception {
        String pod = "namespaces/shop/pods/" + DemoCluster.PAYMENTS_POD;
        ProcessRun ls = user.run(root, "ls", pod + "/logs");
        assertThat(ls.lines()).as("%s", ls).containsExactly("payments", "sidecar", "sidecar.previous");
        ProcessRun stat = user.run(root, "stat", "-c", "%s", pod + "/logs/sidecar", pod + "/logs/sidecar.previous");
        assertThat(stat.out()).as("%s", stat).isEqualTo("0\n0\n");
        String error = user.run(root, "cat", pod + "/error").out();
        assertThat(error.lines()).as("the pod's error file, a line for each log that reads empty")
                .satisfiesExactly(
                        line -> assertThat(line).contains("logs/sidecar is empty: container \"sidecar\" in pod \""
                                + DemoCluster.PAYMENTS_POD + "\" is waiting to start: CrashLoopBackOff"),
                        line -> assertThat(line).contains("logs/sidecar.previous is empty: previous terminated"
                                + " container \"sidecar\" in pod \"" + DemoCluster.PAYMENTS_POD + "\" not found"));
        user.run(root, "cat", pod + "/logs/sidecar", pod + "/logs/sidecar.previous");
        assertThat(user.run(root, "cat", pod + "/error").out()).as("the error file after the logs are read again")
                .isEqualTo(error);
        assertThat(user.run(root, "cat", pod + "/logs/payments").out()).as("the running container's log, beside them")
                .contains("listening on :8080");
    }

    /**
     * FUSE sends a flush at close and k9p commits there, so every program that checks close(2) tells
     * of a refusal (cat, cp, tee, dd, python's with, vim, sed -i); the shell's own redirections and
     * a later sync cannot.
     */
    @Test
    void everyProgramThatChecksCloseReportsARefusedCommit() throws Exception {
        ProcessRun run = user.shell(root, FailedCommits.script(OWN + "/configmaps/refused"));
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(run.exit()).as("%s", run).isZero();
        FailedCommits.check(softly, ScriptSteps.split(run.out()),
                Set.of("cat", "cp", "tee", "dd", "dd-fsync", "python", "vim", "sed"));
        softly.assertAll();
    }

    // ---------------------------------------------------------------- who may enter a mount

    @Test
    void noOtherUserEntersTheMountRootIncluded() throws Exception {
        assumeTrue(user.isSwitchedFromRoot(), "needs another user than the mount's: run the tests as root");
        ProcessBuilder ls = new ProcessBuilder("ls", root.toString());
        ls.environment().put("LC_ALL", "C.UTF-8");
        ProcessRun denied = ProcessRun.of(ls, Duration.ofSeconds(30));
        assertThat(denied.exit()).as("root's ls of %s's mount (no allow_other): %s", user.name(), denied).isEqualTo(2);
        assertThat(denied.err()).contains("Permission denied");
    }

    // ---------------------------------------------------------------- a mount's life

    /** The ways a mount is ended from outside, each of which the process answers by exiting 0. */
    enum Unmounting {
        FUSERMOUNT3_U {
            @Override
            void end(MountProcess mount) throws Exception {
                ProcessRun unmount = mount.unmount();
                assertThat(unmount.exit()).as("fusermount3 -u: %s", unmount).isZero();
            }
        },
        SIGTERM {
            @Override
            void end(MountProcess mount) {
                mount.terminate();
            }
        };

        abstract void end(MountProcess mount) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Unmounting.class)
    void unmountingEndsTheMountProcessWithStatusZero(Unmounting unmounting) throws Exception {
        try (MountProcess ended = start(newMountPoint(unmounting.name().toLowerCase()), List.of())) {
            ended.awaitMounted();
            unmounting.end(ended);
            assertThat(ended.awaitExit()).as("%s", ended.describe()).isZero();
            assertThat(ended.output()).contains("k9p: unmounted " + ended.mountPoint());
            assertThat(ended.mounted()).as("a mount on %s", ended.mountPoint()).isFalse();
        }
    }

    @Test
    void aMountOnTheStaleMountPointOfAKilledOneNamesFusermount() throws Exception {
        Path point = newMountPoint("killed");
        try (MountProcess killed = start(point, List.of())) {
            killed.awaitMounted();
            killed.kill();
            assertThat(killed.awaitExit()).as("the status of a process killed by SIGKILL").isEqualTo(137);
            ProcessRun stale = user.run(user.home(), "ls", point.toString());
            assertThat(stale.err()).as("%s", stale).contains("Transport endpoint is not connected");

            try (MountProcess refused = start(point, List.of())) {
                assertThat(refused.awaitExit()).as("%s", refused.describe()).isEqualTo(1);
                assertThat(refused.errors()).contains("fusermount3 -u " + point);
            }

            ProcessRun cleared = killed.unmount();
            assertThat(cleared.exit()).as("%s", cleared).isZero();
            assertThat(killed.mounted()).as("a mount on %s", point).isFalse();
            ProcessRun empty = user.run(user.home(), "ls", "-A", point.toString());
            assertThat(empty.exit()).as("%s", empty).isZero();
            assertThat(empty.out()).isEmpty();
        }
    }

    @Test
    void aReadOnlyMountRefusesWritesWithErofs() throws Exception {
        try (MountProcess readOnly = start(newMountPoint("read-only"), List.of("--read-only"))) {
            readOnly.awaitMounted();
            String scale = "namespaces/shop/statefulsets/web/scale";
            ProcessRun echo = user.shell(readOnly.mountPoint(), "echo 3 > " + scale);
            assertThat(echo.exit()).as("%s", echo).isNotZero();
            assertThat(echo.err()).contains("Read-only file system");
            assertThat(user.run(readOnly.mountPoint(), "cat", scale).out()).as("the scale file").isEqualTo("1\n");
            assertThat(kube.apps().statefulSets().inNamespace("shop").withName("web").get().getSpec().getReplicas())
                    .as("replicas at the API server").isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The objects the scenarios change, in a namespace of their own. */
    private void seed() {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        for (VimEdit edit : VIM_EDITS) {
            createConfigMap(edit.configMap(), CONFIG);
        }
        for (String name : List.of("stale", "labelled", "watched", "edited-twice", "refused")) {
            createConfigMap(name, Map.of("color", "blue"));
        }
    }

    private void createConfigMap(String name, Map<String, String> data) {
        kube.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                .withData(data).build()).create();
    }

    private ConfigMap configMap(String name) {
        return kube.configMaps().inNamespace(NAMESPACE).withName(name).get();
    }

    private Path newMountPoint(String name) throws IOException {
        return user.createDirectory(invocation.resolve(name));
    }

    /** A k9p mount of this invocation's source with {@code options}, on {@code mountPoint}. */
    private MountProcess start(Path mountPoint, List<String> options) throws IOException {
        List<String> arguments = new ArrayList<>(source.arguments(cluster, kubeconfig));
        arguments.addAll(options);
        return MountProcess.start(user, k9p, arguments, mountPoint);
    }

    /** kubectl against the demo API server; fails the test when kubectl fails. */
    private Kubectl.Result kubectl(String... arguments) throws Exception {
        List<String> line = new ArrayList<>(List.of("--kubeconfig=" + kubeconfig));
        line.addAll(List.of(arguments));
        Kubectl.Result result = kubectl.run(line);
        assertThat(result.exit()).as("kubectl %s: %s", String.join(" ", arguments), result.err()).isZero();
        return result;
    }
}
