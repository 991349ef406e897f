package io.k9p.bench;

import io.k9p.demo.ApiServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * k9p mounted through FUSE against kubectl, in one run against one in-process API server: {@code ls -l}
 * of a type directory of thousands of configmaps, {@code grep -l} over their data.yaml files and
 * {@code grep -L Running} over a thousand pods' status files, by GNU ls and grep in bash on the mount,
 * and kubectl's closest command for each. Every mount and every kubectl starts cold (k9p: discovery
 * and the type's watch; kubectl: an empty cache directory), so each command's first run is reported
 * apart from the median of the repeated runs, with the API requests each run made.
 *
 * <p>Run it with {@code scripts/bench mount}, as root or a user who may mount FUSE; it needs kubectl
 * and fusermount3. {@code scripts/bench mount --help} lists the settings.
 */
public final class MountBenchmark {
    private static final String PROGRAM = "bench-mount";
    private static final String NAMESPACE = "bench";
    private static final String KUBECTL = "kubectl";
    /** Untimed runs before the first timed one: the JIT compiles the request path over several thousand requests. */
    private static final int WARM_UP_RUNS = 3;

    private MountBenchmark() {
    }

    record Settings(List<Integer> configmaps, int pods, int repeats, int needleEvery, int notRunningEvery,
                    Path kubectl) {
        static final String USAGE = """
                usage: scripts/bench mount [--configmaps N,N...] [--pods N] [--repeats N] [--needle-every N]
                                           [--not-running-every N] [--kubectl PATH]
                  --configmaps         configmaps in namespace bench, a round of ls and grep at each count;
                                       the namespace grows from one to the next (default 2000,5000)
                  --pods               pods in namespace bench (default 1000)
                  --repeats            runs of each command after its first, cold one (default 5)
                  --needle-every       every Nth configmap holds the string grep looks for (default 10)
                  --not-running-every  every Nth pod is not running (default 10)
                  --kubectl            the kubectl to compare with (default /usr/bin/kubectl)
                """;

        static Settings parse(String[] args) {
            Map<String, String> options = BenchmarkArguments.options(args, Set.of("--configmaps", "--pods",
                    "--repeats", "--needle-every", "--not-running-every", "--kubectl"));
            List<Integer> configmaps = BenchmarkArguments.positives(options.getOrDefault("--configmaps", "2000,5000"));
            if (!configmaps.equals(configmaps.stream().sorted().distinct().toList())) {
                throw new IllegalArgumentException("--configmaps must grow: the namespace is only ever added to");
            }
            return new Settings(configmaps,
                    BenchmarkArguments.positive(options.getOrDefault("--pods", "1000")),
                    BenchmarkArguments.positive(options.getOrDefault("--repeats", "5")),
                    BenchmarkArguments.positive(options.getOrDefault("--needle-every", "10")),
                    BenchmarkArguments.positive(options.getOrDefault("--not-running-every", "10")),
                    Path.of(options.getOrDefault("--kubectl", Kubectl.DEFAULT.toString())));
        }
    }

    /** A question's series: one per mount, then kubectl's. */
    private record Answers(Question question, List<Series> series) {}

    public static void main(String[] args) throws Exception {
        Settings settings = BenchmarkArguments.parse(PROGRAM, args, Settings.USAGE, Settings::parse);
        String kubectlVersion = Kubectl.version(settings.kubectl(), PROGRAM);
        try {
            run(settings, kubectlVersion);
        } finally {
            // fabric8's and Vert.x's threads would keep the JVM up
            System.out.flush();
        }
        System.exit(0);
    }

    private static void run(Settings settings, String kubectlVersion) throws Exception {
        try (WorkDirectory work = WorkDirectory.create("k9p-bench-mount-");
             ApiServer api = ApiServer.start()) {
            Path kubeconfig = work.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig);
            List<Mounter> mounters = mounters(kubeconfig, work);
            Asker asker = new Asker(mounters, new Kubectl(settings.kubectl(), kubeconfig), new ApiRequests(api), work,
                    settings.repeats() + 1);
            BenchObjects objects = new BenchObjects(api.client(), PROGRAM);
            objects.namespace(NAMESPACE);
            List<Answers> answers = new ArrayList<>();
            int seeded = 0;
            for (int configmaps : settings.configmaps()) {
                objects.configmaps(NAMESPACE, seeded, configmaps, settings.needleEvery());
                if (seeded == 0) {
                    // before the first timed run, with objects to read
                    asker.warmUp(grepConfigMaps(configmaps, settings.needleEvery()));
                }
                seeded = configmaps;
                answers.add(asker.ask(listConfigMaps(configmaps)));
                answers.add(asker.ask(grepConfigMaps(configmaps, settings.needleEvery())));
            }
            objects.pods(NAMESPACE, settings.pods(), settings.notRunningEvery());
            answers.add(asker.ask(podsNotRunning(settings.pods(), settings.notRunningEvery())));
            printReport(System.out, settings, kubectlVersion, mounters, answers);
        }
    }

    /** The ways of mounting k9p that this build has: FUSE in this JVM, and FUSE over 9P once k9p mount has --server. */
    private static List<Mounter> mounters(Path kubeconfig, WorkDirectory work) throws Exception {
        List<Mounter> mounters = new ArrayList<>();
        mounters.add(new Mounter("fuse", "FuseMount in the benchmark's JVM on KubeFileSystem (what k9p mount"
                + " --kubeconfig runs), no 9P between; warm JVM", new InProcessMount(kubeconfig)));
        if (K9pJar.mountTakes("--server")) {
            mounters.add(new Mounter("9p+fuse", "k9p mount --server tcp:127.0.0.1:PORT against k9p serve --kubeconfig,"
                    + " new processes for each command, so a first run includes their JIT's warm-up",
                    new ServedMount(kubeconfig, work.path())));
        } else {
            System.err.println(PROGRAM + ": k9p mount has no --server option in this build: no 9P+FUSE runs");
        }
        return mounters;
    }

    private static Question listConfigMaps(int configmaps) {
        return new Question("ls -l configmaps (%,d)".formatted(configmaps), configMapDirectory(), "ls -l",
                Pattern.compile(" config-\\d+$"), "get configmaps -n " + NAMESPACE + " -o wide",
                Pattern.compile("^config-\\d+ "), configmaps);
    }

    private static Question grepConfigMaps(int configmaps, int needleEvery) {
        return new Question("grep -l NEEDLE */data.yaml (%,d)".formatted(configmaps), configMapDirectory(),
                "grep -l " + BenchObjects.NEEDLE + " */data.yaml", Pattern.compile("^config-\\d+/data\\.yaml$"),
                "get configmaps -n " + NAMESPACE + " -o yaml | grep " + BenchObjects.NEEDLE,
                Pattern.compile(BenchObjects.NEEDLE), BenchObjects.needles(configmaps, needleEvery));
    }

    /**
     * kubectl's STATUS column comes from the API server's Table rendering, which the demo server lacks
     * (its {@code -o wide} shows NAME and AGE alone), so kubectl is asked for what STATUS is made of
     * here: the phase, and a waiting container's reason (CrashLoopBackOff) that overrides it.
     */
    private static Question podsNotRunning(int pods, int notRunningEvery) {
        return new Question("grep -L Running pods/*/status (%,d)".formatted(pods), "namespaces/" + NAMESPACE,
                "grep -L Running pods/*/status", Pattern.compile("^pods/pod-\\d+/status$"),
                "get pods -n " + NAMESPACE + " --no-headers -o 'custom-columns=NAME:.metadata.name,"
                        + "PHASE:.status.phase,WAITING:.status.containerStatuses[*].state.waiting.reason'"
                        + " | grep -v 'Running *<none>$'",
                Pattern.compile("^pod-\\d+ "), BenchObjects.notRunning(pods, notRunningEvery));
    }

    private static String configMapDirectory() {
        return "namespaces/" + NAMESPACE + "/configmaps";
    }

    /** Puts each question to every mount and to kubectl, each afresh, and times their runs. */
    private static final class Asker {
        private final List<Mounter> mounters;
        private final Kubectl kubectl;
        private final ApiRequests requests;
        private final WorkDirectory work;
        private final int runs;
        private int asked;

        Asker(List<Mounter> mounters, Kubectl kubectl, ApiRequests requests, WorkDirectory work, int runs) {
            this.mounters = mounters;
            this.kubectl = kubectl;
            this.requests = requests;
            this.work = work;
            this.runs = runs;
        }

        /**
         * An untimed mount and runs of each mounter, so that the first runs measure a new mount
         * (discovery, the type's watch) and not this JVM's loading and compiling of k9p's classes.
         */
        void warmUp(Question question) throws Exception {
            for (Mounter mounter : mounters) {
                throughMount(mounter, question, WARM_UP_RUNS);
            }
        }

        Answers ask(Question question) throws Exception {
            List<Series> series = new ArrayList<>();
            for (Mounter mounter : mounters) {
                series.add(new Series(mounter.tool(), question.label(), throughMount(mounter, question, runs)));
            }
            series.add(throughKubectl(question, work.resolve("kubectl-cache-" + ++asked)));
            SeriesReport.progress(PROGRAM, series);
            return new Answers(question, series);
        }

        private List<Run> throughMount(Mounter mounter, Question question, int count) throws Exception {
            Path mountPoint = Files.createTempDirectory("k9p-bench-mount-point-");
            List<Run> times = new ArrayList<>();
            try (AutoCloseable mounted = mounter.mount(mountPoint)) {
                Path directory = mountPoint.resolve(question.directory());
                for (int i = 0; i < count; i++) {
                    times.add(requests.timed(() -> question.count(mounter.tool(), ChildProcess.run(
                            ChildProcess.bash(question.shell()), directory, ProcessBuilder.Redirect.PIPE),
                            question.shellAnswer())));
                }
            } finally {
                // rmdir: it fails, and so keeps the files, if the mount outlived its close
                Files.delete(mountPoint);
            }
            return times;
        }

        /** kubectl with a cache directory of its own, not there yet: its first run discovers the API. */
        private Series throughKubectl(Question question, Path cache) throws Exception {
            List<String> command = ChildProcess.bash(kubectl.shell(cache, question.kubectl()));
            List<Run> times = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                times.add(requests.timed(() -> question.count(KUBECTL,
                        ChildProcess.run(command, null, ProcessBuilder.Redirect.PIPE), question.kubectlAnswer())));
            }
            return new Series(KUBECTL, question.label(), times);
        }
    }

    private static void printReport(PrintStream out, Settings settings, String kubectlVersion, List<Mounter> mounters,
                                    List<Answers> answers) {
        out.printf(Locale.ROOT, "k9p mounted through FUSE vs kubectl, namespace %s of one in-process API server"
                + " (fabric8 mock, HTTP on loopback): configmaps %s (every %dth holds NEEDLE), %,d pods (every %dth"
                + " not Running)%n", NAMESPACE, settings.configmaps(), settings.needleEvery(), settings.pods(),
                settings.notRunningEvery());
        out.printf(Locale.ROOT, "%d runs per command: the first apart (k9p: a new mount, so discovery and the type's"
                + " watch start; kubectl: empty --cache-dir, so discovery), then the median (min-max) of the other %d;"
                + " wall time of the process, from this JVM%n", settings.repeats() + 1, settings.repeats());
        out.printf(Locale.ROOT, "an untimed mount and %d greps first warm the JVM: a first run is a new mount's cost,"
                + " not class loading's or the JIT's%n", WARM_UP_RUNS);
        for (Mounter mounter : mounters) {
            out.printf(Locale.ROOT, "  %-8s %s; GNU ls and grep in bash, run in the mount%n", mounter.tool(),
                    mounter.description());
        }
        out.printf(Locale.ROOT, "  %-8s %s (%s)%n", KUBECTL, settings.kubectl(), kubectlVersion);
        out.println("the commands, on the mount and with kubectl:");
        for (Answers answer : answers) {
            Question question = answer.question();
            out.printf(Locale.ROOT, "  %s%n    cd MOUNT/%s && %s%n    kubectl %s%n", question.label(),
                    question.directory(), question.shell(), question.kubectl());
        }
        out.println("the demo API server renders no Tables: kubectl -o wide prints NAME and AGE from the full objects,"
                + " and pods' STATUS is asked for as custom columns");
        out.println("API requests are counted by the API server, as objects+discovery");
        out.printf(Locale.ROOT, "host: %d CPUs, Java %s%n%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        List<Series> all = answers.stream().flatMap(answer -> answer.series().stream()).toList();
        SeriesReport.table(out, all);
        out.println();
        out.printf(Locale.ROOT, "%-60s %8s %17s%n", "time ratio k9p/kubectl", "first", "repeated median");
        for (Answers answer : answers) {
            Series kubectl = answer.series().getLast();
            for (Series k9p : answer.series().subList(0, answer.series().size() - 1)) {
                out.printf(Locale.ROOT, "%-60s %8.2f %17.2f%n", k9p.tool() + "/kubectl, " + answer.question().label(),
                        k9p.first().millis() / kubectl.first().millis(),
                        k9p.repeatedMedian() / kubectl.repeatedMedian());
            }
        }
        out.println();
        SeriesReport.requestsByKind(out, all);
        out.println();
        SeriesReport.resultLines(out, all);
    }
}
