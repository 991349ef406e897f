package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.ApiServer;
import io.k9p.demo.DemoCluster;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import io.k9p.testing.ServerProcess;
import io.k9p.testing.TcpProxy;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@code k9p mount}'s two ends, through the host's FUSE, the mount and the tools run as an ordinary
 * user, in both ways of mounting. Its end: SIGINT, SIGTERM and SIGHUP unmount and end the process
 * within a bound whatever is in flight (a read of a watch, a follow or an events.follow file that
 * waits; a request that waits on an API server that stopped answering; with --server, one that waits
 * on a 9P server that stopped answering); the reader gets EIO and is never in uninterruptible sleep;
 * the mount point is an empty directory again. Its start: a mount point that is mounted already, or
 * not empty, is refused with what to do. And an ordinary session leaves the mount's stderr empty.
 *
 * <p>The demo API server and, with --server, the {@code k9p serve} process are reached through
 * {@link TcpProxy}s, which a test pauses to make them stop answering. Each stop's time, from the
 * signal to the mount process's exit, is printed ("stop time: ..."); {@code -Dk9p.stop.runs=N}
 * repeats each stop N times (up to 5, one unlisted type each), for figures.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(FuseMountLifeTest.Mode.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FuseMountLifeTest {
    /** What the mount serves. */
    enum Mode {
        /** The tree in the mount process, its kubeconfig pointing at the API server's proxy. */
        IN_PROCESS,
        /** A k9p serve process, itself through the API server's proxy, mounted with --server through a proxy of its own. */
        SERVER;

        @Override
        public String toString() {
            return this == IN_PROCESS ? "the tree in the mount process" : "k9p serve through --server";
        }
    }

    /** What waits in the mount when the signal comes. */
    enum InFlight {
        /** A cat of a watch file, blocked in read(2) until the next change. */
        WATCH,
        /** A cat of a running container's follow file, blocked in read(2) until its next line. */
        FOLLOW,
        /** A cat of a namespace's events.follow, blocked in read(2) until the next event. */
        EVENTS_FOLLOW,
        /** An ls of a type directory nothing has listed yet, whose first listing waits on the paused API server. */
        PAUSED_API_SERVER,
        /** A cat whose first walk waits on the paused 9P server (with --server only). */
        PAUSED_NINEP_SERVER
    }

    /** Well above the 2 s that must hold, for a loaded machine of two cores; the figures are printed. */
    private static final Duration STOP_LIMIT = Duration.ofSeconds(5);
    /** How long a reader may take to be blocked in the mount, or to end once the mount did. */
    private static final Duration READER_LIMIT = Duration.ofSeconds(30);
    private static final int STOP_RUNS = Integer.getInteger("k9p.stop.runs", 1);
    /** How long a reader waits in one request before it counts as blocked there. */
    private static final Duration STEADY = Duration.ofMillis(500);
    /** read(2)'s number in /proc/PID/syscall. */
    private static final String READ_SYSCALL = "aarch64".equals(System.getProperty("os.arch")) ? "63" : "0";
    private static final String KUBE_SYSTEM = "namespaces/kube-system";
    private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");
    /**
     * Type directories of kube-system that no other test lists, one for each stop with a paused API
     * server (signal and run): with --server the k9p serve lists each once and then keeps it.
     */
    private static final List<String> UNLISTED = List.of("leases", "endpoints", "limitranges", "networkpolicies",
            "poddisruptionbudgets", "persistentvolumeclaims", "ingresses", "jobs", "cronjobs", "daemonsets",
            "statefulsets", "replicasets", "serviceaccounts", "resourcequotas", "podtemplates");
    /** The namespace of the objects the session changes. */
    private static final String NAMESPACE = "life";
    private static final Queue<String> STOP_TIMES = new ConcurrentLinkedQueue<>();

    @Parameter
    Mode mode;

    private Path work;
    private OrdinaryUser user;
    private K9pCommand k9p;

    private ApiServer api;
    private TcpProxy apiProxy;
    private ServerProcess serve;
    private TcpProxy ninepProxy;
    private Path invocation;
    private Path kubeconfig;
    private int mountPoints;

    @BeforeAll
    void prepare() throws Exception {
        work = Files.createTempDirectory("k9p-fuse-life");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        user = OrdinaryUser.require(work.resolve("home"));
        MountProcess.requireFuse(user);
        k9p = K9pCommand.copiedTo(work.resolve("k9p"), user);
    }

    @BeforeParameterizedClassInvocation
    void startCluster() throws Exception {
        api = DemoCluster.start(0);
        KubernetesClient kube = api.client();
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        for (String name : List.of("edited", "emptied", "truncated")) {
            kube.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
                    .withData(Map.of("color", "blue\n", "size", "2\n")).build()).create();
        }
        apiProxy = TcpProxy.to(api.port());
        invocation = user.createDirectory(Files.createTempDirectory(work, "mounts"));
        Path direct = invocation.resolve("direct.kubeconfig");
        api.writeKubeconfig(direct);
        kubeconfig = user.writeFile(invocation.resolve("kubeconfig"),
                Files.readString(direct).replace(api.url(), "http://127.0.0.1:" + apiProxy.port()));
        if (mode == Mode.SERVER) {
            serve = ServerProcess.start("k9p serve", port -> k9p.line(List.of("serve", "--kubeconfig",
                    kubeconfig.toString(), "--listen", "tcp:127.0.0.1:" + port)), invocation.resolve("serve.log"));
            ninepProxy = TcpProxy.to(serve.endpoint().port());
        }
    }

    @AfterEach
    void resume() {
        apiProxy.resume();
        if (ninepProxy != null) {
            ninepProxy.resume();
        }
    }

    @AfterParameterizedClassInvocation
    void stopCluster() throws Exception {
        try {
            if (serve != null) {
                serve.close();
            }
            if (ninepProxy != null) {
                ninepProxy.close();
            }
            if (apiProxy != null) {
                apiProxy.close();
            }
        } finally {
            if (api != null) {
                api.close();
            }
            serve = null;
            ninepProxy = null;
            apiProxy = null;
            api = null;
        }
    }

    @AfterAll
    void report() throws Exception {
        STOP_TIMES.forEach(System.out::println);
        if (work != null) {
            // Never into a mount that failed to go: -xdev and --one-file-system.
            ProcessRun removed = ProcessRun.of(new ProcessBuilder("sh", "-c",
                    "find \"$1\" -xdev -type d -exec chmod u+w {} + ; rm -rf --one-file-system \"$1\"",
                    "sh", work.toString()), Duration.ofMinutes(1));
            assertThat(removed.exit()).as("removing %s: %s", work, removed).isZero();
        }
    }

    // ---------------------------------------------------------------- stopping

    /** Every signal that stops a mount, with every kind of request in flight this way of mounting has. */
    Stream<Arguments> stops() {
        return SIGNALS.stream().flatMap(signal -> Stream.of(InFlight.values())
                .filter(inFlight -> inFlight != InFlight.PAUSED_NINEP_SERVER || mode == Mode.SERVER)
                .map(inFlight -> Arguments.of(signal, inFlight)));
    }

    @ParameterizedTest(name = "SIG{0} with {1} in flight")
    @MethodSource("stops")
    void aSignalUnmountsAndEndsTheMountWhateverIsInFlight(String signal, InFlight inFlight) throws Exception {
        for (int run = 0; run < STOP_RUNS; run++) {
            stopWith(signal, inFlight, UNLISTED.get((SIGNALS.indexOf(signal) + SIGNALS.size() * run) % UNLISTED.size()));
            resume();
        }
    }

    /** Stops a mount with {@code unlisted}, a type directory no one listed yet, for a first listing. */
    private void stopWith(String signal, InFlight inFlight, String unlisted) throws Exception {
        try (MountProcess mount = mounted("stop")) {
            Path point = mount.mountPoint();
            Process reader = startReader(point, inFlight, unlisted);
            try {
                awaitBlockedInTheMount(reader, inFlight);
                long start = System.nanoTime();
                mount.signal(signal);
                Observed observed = observe(mount, reader);
                Duration stopped = Duration.ofNanos(observed.mountEnded() - start);
                STOP_TIMES.add("stop time: " + mode + ", SIG" + signal + ", " + inFlight + ": " + stopped.toMillis() + " ms");

                assertThat(observed.mountEnded()).as("k9p mount still ran %s after SIG%s (%s)", STOP_LIMIT, signal,
                        mount.describe()).isPositive();
                assertThat(stopped).as("time from SIG%s to the mount process's exit", signal).isLessThan(STOP_LIMIT);
                assertThat(mount.awaitExit()).as("%s", mount.describe()).isZero();
                assertThat(mount.output().lines().toList()).as("%s", mount.describe())
                        .endsWith("k9p: unmounted " + point)
                        .filteredOn(line -> line.contains("unmounted")).hasSize(1);
                assertThat(mount.errors()).as("the mount's stderr").isEmpty();

                assertThat(reader.waitFor(READER_LIMIT.toMillis(), TimeUnit.MILLISECONDS))
                        .as("the reader ended after the mount").isTrue();
                assertThat(observed.uninterruptible()).as("the reader was in uninterruptible sleep (D)").isFalse();
                assertThat(reader.exitValue()).as("the reader's status").isNotZero();
                assertThat(Files.readString(readerErrors(point))).as("the reader's error").contains("Input/output error");

                assertThat(mount.mounted()).as("a mount on %s in /proc/self/mountinfo", point).isFalse();
                ProcessRun ls = user.run(user.home(), "ls", "-A", point.toString());
                assertThat(ls.exit()).as("ls -A of the mount point: %s", ls).isZero();
                assertThat(ls.out()).as("the mount point's entries").isEmpty();
            } finally {
                reader.destroyForcibly();
            }
        }
    }

    /** The reader, as the user; a pause of what it is to wait on comes first. */
    private Process startReader(Path point, InFlight inFlight, String unlisted) throws IOException {
        List<String> command = switch (inFlight) {
            case WATCH -> List.of("cat", point + "/" + KUBE_SYSTEM + "/deployments/watch");
            case FOLLOW -> List.of("cat", point + "/" + KUBE_SYSTEM + "/pods/" + DemoCluster.HEALTHY_POD + "/follow/coredns");
            case EVENTS_FOLLOW -> List.of("cat", point + "/" + KUBE_SYSTEM + "/events.follow");
            case PAUSED_API_SERVER -> {
                apiProxy.pause();
                yield List.of("ls", point + "/" + KUBE_SYSTEM + "/" + unlisted);
            }
            case PAUSED_NINEP_SERVER -> {
                ninepProxy.pause();
                yield List.of("cat", point + "/namespaces/" + NAMESPACE + "/configmaps/edited/data.yaml");
            }
        };
        return user.processBuilder(user.home(), command)
                .redirectOutput(point.resolveSibling(point.getFileName() + ".reader.out").toFile())
                .redirectError(readerErrors(point).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    private static Path readerErrors(Path point) {
        return point.resolveSibling(point.getFileName() + ".reader.err");
    }

    /**
     * Waits until the reader waits on a FUSE request (the kernel names where it sleeps in
     * /proc/PID/wchan) in the same system call for {@link #STEADY}: its first lookups in a mount
     * that just started may take a moment too, and a signal then would catch it between requests.
     * A cat of a stream must wait in read(2).
     */
    private static void awaitBlockedInTheMount(Process reader, InFlight inFlight) throws Exception {
        Path proc = Path.of("/proc", Long.toString(reader.pid()));
        boolean reads = inFlight == InFlight.WATCH || inFlight == InFlight.FOLLOW || inFlight == InFlight.EVENTS_FOLLOW;
        long deadline = System.nanoTime() + READER_LIMIT.toNanos();
        String steady = null;
        long since = 0;
        while (true) {
            String where = reader.isAlive() ? read(proc.resolve("wchan")) : "";
            String call = read(proc.resolve("syscall")).split(" ")[0];
            boolean waiting = (where.equals("request_wait_answer") || where.startsWith("fuse_"))
                    && (!reads || call.equals(READ_SYSCALL));
            if (!waiting || !call.equals(steady)) {
                steady = waiting ? call : null;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= STEADY.toNanos()) {
                return;
            }
            if (!reader.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the reader did not wait in the mount (" + (reader.isAlive()
                        ? "it sleeps in " + where + ", system call " + call : "it ended with status " + reader.exitValue()) + ")");
            }
            Thread.sleep(10);
        }
    }

    /** When the mount process ended (0: not within the limit), and whether the reader was ever in D meanwhile. */
    private record Observed(long mountEnded, boolean uninterruptible) {}

    /** Polls the reader's state every millisecond until the mount process and the reader have ended. */
    private static Observed observe(MountProcess mount, Process reader) throws Exception {
        Path stat = Path.of("/proc", Long.toString(reader.pid()), "stat");
        long deadline = System.nanoTime() + STOP_LIMIT.toNanos();
        long ended = 0;
        boolean uninterruptible = false;
        while (System.nanoTime() < deadline && (ended == 0 || reader.isAlive())) {
            uninterruptible |= state(stat) == 'D';
            if (ended == 0 && mount.waitFor(Duration.ofMillis(1))) {
                ended = System.nanoTime();
            }
        }
        return new Observed(ended, uninterruptible);
    }

    /** The state letter of /proc/PID/stat (after the command's parenthesis); blank once the process is gone. */
    private static char state(Path stat) {
        String line = read(stat);
        int end = line.lastIndexOf(')');
        return end < 0 || end + 2 >= line.length() ? ' ' : line.charAt(end + 2);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A reader killed while it waits (Ctrl-C, timeout's SIGTERM) sleeps uninterruptibly until the
     * mount answers its request, which is interrupted: with --server the 9P server was asked to
     * flush the read, and one that no longer answers would keep the reader in D until the client
     * gave up waiting (10 s). In-process the API server stopped answering instead.
     */
    @Test
    void aReaderKilledWhileWhatServesTheMountDoesNotAnswerEndsAtOnce() throws Exception {
        try (MountProcess mount = mounted("killed-reader")) {
            Process reader = startReader(mount.mountPoint(), InFlight.WATCH, null);
            try {
                awaitBlockedInTheMount(reader, InFlight.WATCH);
                (mode == Mode.SERVER ? ninepProxy : apiProxy).pause();
                long start = System.nanoTime();
                reader.destroy();
                assertThat(reader.waitFor(READER_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).as("the reader ended").isTrue();
                Duration ended = Duration.ofNanos(System.nanoTime() - start);
                STOP_TIMES.add("killed reader: " + mode + ": " + ended.toMillis() + " ms");
                assertThat(ended).as("time from the reader's SIGTERM to its end").isLessThan(Duration.ofSeconds(2));
                assertThat(reader.exitValue()).as("the status of a reader killed by SIGTERM").isEqualTo(143);
            } finally {
                reader.destroyForcibly();
            }
        }
    }

    @Test
    void umountByRootStillEndsTheMountProcessWithStatusZero() throws Exception {
        assumeTrue(user.isSwitchedFromRoot(), "needs root to unmount: run the tests as root");
        try (MountProcess mount = mounted("umount")) {
            ProcessRun umount = ProcessRun.of(new ProcessBuilder("umount", mount.mountPoint().toString()),
                    Duration.ofSeconds(30));
            assertThat(umount.exit()).as("root's umount: %s", umount).isZero();
            assertThat(mount.awaitExit()).as("%s", mount.describe()).isZero();
            assertThat(mount.output()).contains("k9p: unmounted " + mount.mountPoint());
            assertThat(mount.mounted()).as("a mount on %s", mount.mountPoint()).isFalse();
        }
    }

    // ---------------------------------------------------------------- starting

    @Test
    void aSecondMountOnTheSameDirectoryIsRefusedAsAlreadyMounted() throws Exception {
        try (MountProcess first = mounted("twice")) {
            Path point = first.mountPoint();
            try (MountProcess second = start(point)) {
                assertThat(second.awaitExit()).as("%s", second.describe()).isEqualTo(1);
                assertThat(second.errors()).as("the second mount's error")
                        .contains(point + " is already mounted").contains("fusermount3 -u " + point)
                        .doesNotContain("Permission denied");
            }
            ProcessRun ls = user.run(user.home(), "ls", point + "/namespaces");
            assertThat(ls.lines()).as("the first mount, after the second was refused: %s", ls).contains("kube-system");
        }
    }

    @Test
    void aMountPointThatIsNotEmptyIsRefusedAndKeepsItsFiles() throws Exception {
        Path point = newMountPoint("notes");
        user.writeFile(point.resolve("todo.txt"), "buy milk\n");
        try (MountProcess refused = start(point)) {
            assertThat(refused.awaitExit()).as("%s", refused.describe()).isEqualTo(1);
            assertThat(refused.errors()).as("the refusal")
                    .contains(point + " is not empty (todo.txt)").contains("mount on an empty directory");
            assertThat(refused.mounted()).as("a mount on %s", point).isFalse();
        }
        assertThat(Files.readString(point.resolve("todo.txt"))).isEqualTo("buy milk\n");
    }

    // ---------------------------------------------------------------- a quiet stderr

    @Test
    void anOrdinarySessionLeavesTheMountsStderrEmpty() throws Exception {
        String configMaps = "namespaces/" + NAMESPACE + "/configmaps";
        try (MountProcess mount = mounted("session")) {
            Path root = mount.mountPoint();
            List<ProcessRun> session = new ArrayList<>();
            session.add(user.run(root, "ls", "-l", KUBE_SYSTEM));
            session.add(user.run(root, "cat", configMaps + "/edited/data.yaml"));
            session.add(user.run(root, "sed", "-i", "s/blue/teal/", configMaps + "/edited/data.yaml"));
            session.add(user.run(root, "sed", "-i", "s/2/3/", configMaps + "/edited/data/size"));
            session.add(user.shell(root, "echo new > " + configMaps + "/edited/data/added"));
            session.add(user.run(root, "rm", configMaps + "/edited/data/added"));
            // Emptying a key: a truncation alone, committed at the last close.
            session.add(user.shell(root, ": > " + configMaps + "/emptied/data/color"));
            ProcessRun watch = user.run(root, "timeout", "1", "cat", KUBE_SYSTEM + "/deployments/watch");
            assertThat(session).as("the session's commands").allSatisfy(run -> assertThat(run.exit()).as("%s", run).isZero());
            assertThat(watch.exit()).as("timeout's status, having ended cat of the watch: %s", watch).isEqualTo(124);
            ProcessRun edited = user.run(root, "cat", configMaps + "/edited/data/color", configMaps + "/edited/data/size",
                    configMaps + "/emptied/data/color");
            assertThat(edited.out()).as("the keys read back").isEqualTo("teal\n3\n");

            mount.signal("TERM");
            assertThat(mount.awaitExit()).as("%s", mount.describe()).isZero();
            assertThat(mount.errors()).as("the mount's stderr after the session and its end").isEmpty();
        }
    }

    /**
     * A truncation alone (": > data.yaml") commits at the last close, where no program hears a
     * refusal: the object's error file tells, and the mount logs it no more than once. Over --server
     * the 9P server refused the Tclunk with it, which is no news for the mount's stderr.
     */
    @Test
    void aRefusalAtTheLastCloseShowsInTheErrorFileAndIsLoggedAtMostOnce() throws Exception {
        String object = "namespaces/" + NAMESPACE + "/configmaps/truncated";
        try (MountProcess mount = mounted("truncate")) {
            Path root = mount.mountPoint();
            ProcessRun truncate = user.shell(root, ": > " + object + "/data.yaml");
            assertThat(truncate.exit()).as("the shell ignores close(2)'s error: %s", truncate).isZero();
            // The kernel sends the last close's release after close(2) returned: the error file tells soon after.
            String error = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!error.contains("empty document") && System.nanoTime() < deadline) {
                error = user.run(root, "cat", object + "/error").out();
            }
            assertThat(error).as("the object's error file").contains("invalid YAML: empty document");
            ProcessRun data = user.run(root, "cat", object + "/data/color");
            assertThat(data.out()).as("the object, unchanged").isEqualTo("blue\n");

            mount.signal("TERM");
            assertThat(mount.awaitExit()).as("%s", mount.describe()).isZero();
            assertThat(mount.errors().lines().toList()).as("the mount's stderr")
                    .hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(line -> assertThat(line).contains("empty document").doesNotContain("release", "Tclunk"));
        }
    }

    // ---------------------------------------------------------------- helpers

    private Path newMountPoint(String name) throws IOException {
        return user.createDirectory(invocation.resolve(name + "-" + ++mountPoints));
    }

    /** A k9p mount of this invocation's source on a new mount point, once it serves. */
    private MountProcess mounted(String name) throws IOException, InterruptedException {
        MountProcess mount = start(newMountPoint(name));
        try {
            mount.awaitMounted();
            return mount;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            mount.close();
            throw e;
        }
    }

    /** A k9p mount of this invocation's source on {@code mountPoint}. */
    private MountProcess start(Path mountPoint) throws IOException {
        List<String> arguments = mode == Mode.IN_PROCESS
                ? List.of("--kubeconfig", kubeconfig.toString())
                : List.of("--server", "tcp:127.0.0.1:" + ninepProxy.port());
        return MountProcess.start(user, k9p, arguments, mountPoint);
    }
}
