package io.k9p.bench;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.demo.ApiServer;
import io.k9p.kernel.GuestVm;
import io.k9p.kube.KubeFileSystem;
import io.k9p.server.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.protocol.Rmessage;
import io.k9p.server.ServerConfig;
import io.k9p.testing.PathClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * k9p against kubectl on a namespace with thousands of configmaps, against the same API server in
 * the same run: {@code ls -l} of the type directory and {@code grep -r} over it, in a Linux guest
 * that mounts k9p with the kernel's 9P client, and {@code kubectl get -o wide} and
 * {@code kubectl get -o yaml | grep} on the host. For each it reports the first run (k9p: discovery
 * and the type's watch start; kubectl: discovery, with an empty cache directory) apart from the
 * repeated runs, and how many requests each run made to the API server.
 *
 * <p>Run it with {@code scripts/bench cluster}; it needs the prepared guest (scripts/guest-kernel.sh),
 * QEMU and kubectl. {@code scripts/bench cluster --help} lists the settings.
 */
public final class ClusterBenchmark {
    private static final String NAMESPACE = "bench";
    private static final String NEEDLE = "k9p-needle-4a7e";
    private static final Path DEFAULT_KUBECTL = Path.of("/usr/bin/kubectl");
    private static final String LS = "ls";
    private static final String GREP = "grep";
    private static final String GUEST = "k9p-vm";
    private static final String HOST = "k9p-jvm";
    private static final String KUBECTL = "kubectl";
    private static final String DISCOVERY = "GET discovery";
    private static final Pattern RUN_LINE =
            Pattern.compile("RUN (\\w+) (\\d+) (\\d+\\.\\d+) (\\d+\\.\\d+) (\\d+) (-?\\d+)");

    private ClusterBenchmark() {
    }

    record Settings(int configmaps, int runs, int needleEvery, Path kubectl) {
        static final String USAGE = """
                usage: scripts/bench cluster [--configmaps N] [--runs N] [--needle-every N] [--kubectl PATH]
                  --configmaps    configmaps in namespace bench (default 5000)
                  --runs          runs of each command per tool, the first one included (default 4)
                  --needle-every  every Nth configmap holds the string grep looks for (default 10)
                  --kubectl       the kubectl to compare with (default /usr/bin/kubectl)
                """;

        static Settings parse(String[] args) {
            int configmaps = 5000;
            int runs = 4;
            int needleEvery = 10;
            Path kubectl = DEFAULT_KUBECTL;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--configmaps" -> configmaps = positive(value);
                    case "--runs" -> runs = positive(value);
                    case "--needle-every" -> needleEvery = positive(value);
                    case "--kubectl" -> kubectl = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (runs < 2) {
                throw new IllegalArgumentException("--runs must be at least 2: the first run, and a repeated one");
            }
            return new Settings(configmaps, runs, needleEvery, kubectl);
        }

        int needles() {
            return (configmaps + needleEvery - 1) / needleEvery;
        }

        private static int positive(String value) {
            int number = Integer.parseInt(value);
            if (number < 1) {
                throw new IllegalArgumentException("expected a positive count, got " + value);
            }
            return number;
        }
    }

    /** One run of one command: its wall time, the API requests it made (by kind), what it printed. */
    record Run(double millis, Map<String, Long> requests, long output) {
        long requestTotal() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Requests for discovery documents (and /version): fetched again by time, not by object. */
        long discoveryRequests() {
            return requests.getOrDefault(DISCOVERY, 0L);
        }

        long objectRequests() {
            return requestTotal() - discoveryRequests();
        }

        /** "objects+discovery" */
        String requestSplit() {
            return objectRequests() + "+" + discoveryRequests();
        }
    }

    /** The runs of one command by one tool, the first one first. */
    record Series(String tool, String command, List<Run> runs) {
        Run first() {
            return runs.get(0);
        }

        List<Run> repeated() {
            return runs.subList(1, runs.size());
        }

        double repeatedMedian() {
            return median(repeated().stream().mapToDouble(Run::millis).toArray());
        }

        double repeatedMin() {
            return repeated().stream().mapToDouble(Run::millis).min().orElseThrow();
        }

        double repeatedMax() {
            return repeated().stream().mapToDouble(Run::millis).max().orElseThrow();
        }

        double repeatedRequestsMedian() {
            return median(repeated().stream().mapToDouble(Run::requestTotal).toArray());
        }

        /** The repeated runs' "objects+discovery" requests: one when they agree, else each run's. */
        String repeatedRequests() {
            List<String> splits = repeated().stream().map(Run::requestSplit).distinct().toList();
            return splits.size() == 1 ? splits.get(0) : String.join(",", repeated().stream().map(Run::requestSplit).toList());
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = BenchmarkArguments.parse("bench-cluster", args, Settings.USAGE, Settings::parse);
        String kubectlVersion = kubectlVersion(settings.kubectl());
        GuestVm guest;
        try {
            guest = GuestVm.require();
        } catch (RuntimeException e) {
            // require() aborts as a skipped test would; here that is a failure.
            System.err.println("bench-cluster: no guest to run: " + e.getMessage());
            System.exit(1);
            return;
        }
        try {
            run(settings, guest, kubectlVersion);
        } finally {
            // fabric8's and Vert.x's threads would keep the JVM up
            System.out.flush();
        }
        System.exit(0);
    }

    /** kubectl's client version, or the benchmark stops here saying what is missing. */
    private static String kubectlVersion(Path kubectl) throws IOException, InterruptedException {
        if (!Files.isExecutable(kubectl)) {
            System.err.println("bench-cluster: " + kubectl + " not found or not executable: install kubectl,"
                    + " or name one with --kubectl PATH");
            System.exit(1);
        }
        Process process = new ProcessBuilder(kubectl.toString(), "version", "--client")
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            System.err.println("bench-cluster: " + kubectl + " version --client failed:\n" + out);
            System.exit(1);
        }
        return out.lines().findFirst().orElse("?");
    }

    private static void run(Settings settings, GuestVm guest, String kubectlVersion) throws Exception {
        Path workDir = Files.createTempDirectory("k9p-bench-cluster-");
        try (ApiServer api = ApiServer.start()) {
            seed(api.client(), settings);
            Path kubeconfig = workDir.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig);
            Marks marks = new Marks(api);
            // One k9p per command, each its own cluster cache: each command's first run starts cold.
            try (KubeFileSystem lsTree = new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null);
                 KubeFileSystem grepTree = new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null);
                 NinePServer lsServer = new NinePServer(ServerConfig.defaults(lsTree));
                 NinePServer grepServer = new NinePServer(ServerConfig.defaults(grepTree));
                 Marks.Listening listening = marks.listen()) {
                int lsPort = ((Endpoint.Tcp) lsServer.listen(Endpoint.parse("127.0.0.1:0"))).port();
                int grepPort = ((Endpoint.Tcp) grepServer.listen(Endpoint.parse("127.0.0.1:0"))).port();
                List<Series> results = new ArrayList<>();
                // The quick ones first, reported as they end; the guest takes long under TCG.
                List<Series> host = hostRuns(settings, kubeconfig, api);
                progress(host);
                List<Series> kubectl = kubectlRuns(settings, kubeconfig, workDir, api);
                progress(kubectl);
                results.addAll(guestRuns(guest, settings, lsPort, grepPort, listening.port(), marks));
                results.addAll(host);
                results.addAll(kubectl);
                printReport(System.out, settings, kubectlVersion, results);
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    private static void progress(List<Series> done) {
        for (Series series : done) {
            System.err.printf(Locale.ROOT, "bench-cluster: %s %s: ms %s, API requests %s%n", series.tool(),
                    series.command(), series.runs().stream().map(run -> String.format(Locale.ROOT, "%.0f", run.millis()))
                            .toList(), series.runs().stream().map(Run::requestSplit).toList());
        }
    }

    /** The namespace and its configmaps, created through the API several at a time. */
    private static void seed(KubernetesClient kube, Settings settings) throws Exception {
        long start = System.nanoTime();
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
                .create();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> created = new ArrayList<>(settings.configmaps());
            for (int i = 0; i < settings.configmaps(); i++) {
                boolean needle = i % settings.needleEvery() == 0;
                var configmap = new ConfigMapBuilder()
                        .withNewMetadata().withName("config-%05d".formatted(i)).withNamespace(NAMESPACE).endMetadata()
                        .addToData("index", Integer.toString(i))
                        .addToData("note", needle ? "owned by " + NEEDLE : "nothing to see here")
                        .build();
                created.add(threads.submit(() -> kube.resource(configmap).create()));
            }
            for (Future<?> future : created) {
                future.get();
            }
        }
        System.err.printf(Locale.ROOT, "bench-cluster: created %d configmaps in %.1f s%n", settings.configmaps(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Boots the guest once: it mounts both k9p servers, then runs each command {@code runs} times,
     * timing each run by the guest's clock and telling the host (over HTTP) before and after it, so
     * that the host can count the API requests the run made.
     */
    private static List<Series> guestRuns(GuestVm guest, Settings settings, int lsPort, int grepPort, int markPort,
                                          Marks marks) {
        String options = "trans=tcp,version=9p2000.L,msize=262144";
        String script = """
                mkdir -p /mnt/ls /mnt/grep
                mount -t 9p -o %1$s,port=%2$d 10.0.2.2 /mnt/ls || exit 90
                mount -t 9p -o %1$s,port=%3$d 10.0.2.2 /mnt/grep || exit 91
                mark() { wget -q -O /dev/null "http://10.0.2.2:%4$d/$1" || { echo "mark $1 failed"; exit 92; }; }
                D=namespaces/%5$s/configmaps
                i=1
                while [ $i -le %6$d ]; do
                  mark ls-$i-start
                  read t0 rest < /proc/uptime
                  ls -l /mnt/ls/$D > /dev/null
                  s=$?
                  read t1 rest < /proc/uptime
                  mark ls-$i-end
                  echo "RUN ls $i $t0 $t1 $s -1"
                  i=$((i + 1))
                done
                echo "ENTRIES $(ls /mnt/ls/$D | grep -c '^config-')"
                i=1
                while [ $i -le %6$d ]; do
                  mark grep-$i-start
                  read t0 rest < /proc/uptime
                  n=$(grep -r %7$s /mnt/grep/$D | wc -l)
                  s=$?
                  read t1 rest < /proc/uptime
                  mark grep-$i-end
                  echo "RUN grep $i $t0 $t1 $s $n"
                  i=$((i + 1))
                done
                umount /mnt/ls && umount /mnt/grep
                """.formatted(options, lsPort, grepPort, markPort, NAMESPACE, settings.runs(), NEEDLE);
        System.err.printf(Locale.ROOT, "bench-cluster: booting the guest (TCG) for %d runs of ls -l and grep -r%n",
                settings.runs());
        long start = System.nanoTime();
        // under TCG, grep -r takes ~0.1 s per configmap
        Duration timeout = Duration.ofMinutes(10).plusMillis(300L * settings.configmaps() * settings.runs());
        GuestVm.Result result = guest.runScript(script, timeout);
        System.err.printf(Locale.ROOT, "bench-cluster: the guest finished in %.1f s%n", (System.nanoTime() - start) / 1e9);
        if (result.exitStatus() != 0) {
            throw new IllegalStateException("the guest's script failed with status " + result.exitStatus()
                    + ":\n" + result.output() + "\nconsole:\n" + result.consoleLog());
        }
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        runs.put(LS, new ArrayList<>());
        runs.put(GREP, new ArrayList<>());
        for (String line : result.output().lines().toList()) {
            Matcher m = RUN_LINE.matcher(line.strip());
            if (m.matches()) {
                String op = m.group(1);
                int i = Integer.parseInt(m.group(2));
                double millis = (Double.parseDouble(m.group(4)) - Double.parseDouble(m.group(3))) * 1000;
                if (!m.group(5).equals("0")) {
                    throw new IllegalStateException(op + " run " + i + " failed in the guest:\n" + result.output());
                }
                runs.get(op).add(new Run(millis, marks.between(op + "-" + i + "-start", op + "-" + i + "-end"),
                        Long.parseLong(m.group(6))));
            } else if (line.startsWith("ENTRIES ")) {
                long entries = Long.parseLong(line.substring("ENTRIES ".length()).strip());
                check(entries == settings.configmaps(), "ls listed " + entries + " configmaps, expected "
                        + settings.configmaps());
            }
        }
        for (var entry : runs.entrySet()) {
            check(entry.getValue().size() == settings.runs(), "the guest reported " + entry.getValue().size()
                    + " runs of " + entry.getKey() + ":\n" + result.output());
        }
        // data.yaml and data/note of each configmap with the needle
        for (Run run : runs.get(GREP)) {
            check(run.output() == 2L * settings.needles(), "grep -r found " + run.output() + " lines, expected "
                    + 2L * settings.needles());
        }
        return List.of(
                new Series(GUEST, "ls -l configmaps > /dev/null", runs.get(LS)),
                new Series(GUEST, "grep -r NEEDLE configmaps | wc -l", runs.get(GREP)));
    }

    /** What a run in this JVM did: how many objects or lines it found. */
    private interface Work {
        long run() throws IOException;
    }

    /**
     * The same two commands from a 9P client in this JVM (io.k9p.testing.PathClient), sending what
     * the kernel sends (walk, getattr, open, read, clunk) over loopback: k9p's cost without the
     * emulated guest's. Each command has a k9p of its own, so its first run starts cold too.
     */
    private static List<Series> hostRuns(Settings settings, Path kubeconfig, ApiServer api) throws Exception {
        String directory = "/namespaces/" + NAMESPACE + "/configmaps";
        List<Run> lsRuns = new ArrayList<>();
        List<Run> grepRuns = new ArrayList<>();
        System.err.printf(Locale.ROOT, "bench-cluster: %d runs of ls -l and grep -r from a 9P client in this JVM%n",
                settings.runs());
        try (KubeFileSystem lsTree = new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null);
             KubeFileSystem grepTree = new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), null);
             NinePServer lsServer = new NinePServer(ServerConfig.defaults(lsTree));
             NinePServer grepServer = new NinePServer(ServerConfig.defaults(grepTree))) {
            try (PathClient fs = PathClient.attach(lsServer.listen(Endpoint.parse("127.0.0.1:0")), "")) {
                for (int i = 0; i < settings.runs(); i++) {
                    Run run = timed(api, () -> fs.listWithAttributes(directory).keySet().stream()
                            .filter(name -> name.startsWith("config-")).count());
                    check(run.output() == settings.configmaps(), "ls -l found " + run.output() + " configmaps");
                    lsRuns.add(run);
                }
            }
            try (PathClient fs = PathClient.attach(grepServer.listen(Endpoint.parse("127.0.0.1:0")), "")) {
                for (int i = 0; i < settings.runs(); i++) {
                    Run run = timed(api, () -> grep(fs, directory));
                    check(run.output() == 2L * settings.needles(), "grep -r found " + run.output() + " lines");
                    grepRuns.add(run);
                }
            }
        }
        return List.of(
                new Series(HOST, "ls -l configmaps (list, walk+getattr each)", lsRuns),
                new Series(HOST, "grep -r NEEDLE configmaps (read every file)", grepRuns));
    }

    /** grep -r: the lines that hold the needle in every file under a directory. */
    private static long grep(PathClient fs, String directory) throws IOException {
        long lines = 0;
        for (Map.Entry<String, Rmessage.Getattr> entry : fs.listWithAttributes(directory).entrySet()) {
            String path = directory + "/" + entry.getKey();
            if ((entry.getValue().mode() & 0170000) == 0040000) {
                lines += grep(fs, path);
            } else {
                lines += fs.read(path).lines().filter(line -> line.contains(NEEDLE)).count();
            }
        }
        return lines;
    }

    private static Run timed(ApiServer api, Work work) throws IOException {
        Map<String, Long> before = api.requestCounts();
        long start = System.nanoTime();
        long output = work.run();
        long elapsed = System.nanoTime() - start;
        return new Run(elapsed / 1e6, delta(before, api.requestCounts()), output);
    }

    /** kubectl on the host, each command with a cache directory of its own that starts empty. */
    private static List<Series> kubectlRuns(Settings settings, Path kubeconfig, Path workDir, ApiServer api)
            throws Exception {
        String kubectl = settings.kubectl().toString();
        List<String> wide = List.of(kubectl, "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", workDir.resolve("cache-wide").toString(),
                "get", "configmaps", "-n", NAMESPACE, "-o", "wide");
        String grep = String.join(" ", kubectl, "--kubeconfig", quote(kubeconfig), "--cache-dir",
                quote(workDir.resolve("cache-yaml")), "get", "configmaps", "-n", NAMESPACE, "-o", "yaml")
                + " | grep " + NEEDLE + " | wc -l";
        List<Run> wideRuns = new ArrayList<>();
        List<Run> grepRuns = new ArrayList<>();
        System.err.printf(Locale.ROOT, "bench-cluster: %d runs of kubectl get -o wide and -o yaml | grep%n",
                settings.runs());
        for (int i = 0; i < settings.runs(); i++) {
            wideRuns.add(timed(api, wide, ProcessBuilder.Redirect.DISCARD));
        }
        for (int i = 0; i < settings.runs(); i++) {
            Run run = timed(api, List.of("bash", "-c", "set -o pipefail; " + grep), ProcessBuilder.Redirect.PIPE);
            check(run.output() == settings.needles(), "kubectl -o yaml | grep found " + run.output()
                    + " lines, expected " + settings.needles());
            grepRuns.add(run);
        }
        // Untimed, after the runs: kubectl lists every configmap (and a header).
        Process check = new ProcessBuilder(wide).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        check.getOutputStream().close();
        long lines = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().count();
        check.waitFor();
        check(lines == settings.configmaps() + 1L, "kubectl get listed " + lines + " lines, expected "
                + (settings.configmaps() + 1));
        return List.of(
                new Series(KUBECTL, "kubectl get configmaps -o wide > /dev/null", wideRuns),
                new Series(KUBECTL, "kubectl get configmaps -o yaml | grep NEEDLE | wc -l", grepRuns));
    }

    private static Run timed(ApiServer api, List<String> command, ProcessBuilder.Redirect out) throws Exception {
        Map<String, Long> before = api.requestCounts();
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectOutput(out)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        String printed = out == ProcessBuilder.Redirect.PIPE
                ? new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip() : "";
        int status = process.waitFor();
        long elapsed = System.nanoTime() - start;
        if (status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with status " + status);
        }
        return new Run(elapsed / 1e6, delta(before, api.requestCounts()), printed.isEmpty() ? -1 : Long.parseLong(printed));
    }

    private static void printReport(PrintStream out, Settings settings, String kubectlVersion, List<Series> results) {
        out.printf(Locale.ROOT, "k9p vs kubectl: %,d configmaps in namespace %s (%d hold the needle), one in-process"
                + " API server (fabric8 mock, HTTP on loopback)%n", settings.configmaps(), NAMESPACE, settings.needles());
        out.printf(Locale.ROOT, "%d runs per command: the first apart (k9p: discovery and the watches start; kubectl:"
                + " empty --cache-dir, so discovery), then the median (min-max) of the other %d%n",
                settings.runs(), settings.runs() - 1);
        out.println("  " + GUEST + ":  Linux guest (busybox ls, grep) mounting k9p with the kernel's 9P client (9p2000.L,"
                + " tcp, msize 262144, cache=none); timed by the guest's /proc/uptime (10 ms resolution)");
        out.println("  " + HOST + ": the same commands from a 9P client in the benchmark's JVM (walk, getattr, open, read,"
                + " clunk, as the kernel sends them) over loopback: k9p's cost without the emulated guest");
        out.printf(Locale.ROOT, "  %s: %s (%s) on the host, output to /dev/null or through grep | wc -l%n", KUBECTL,
                settings.kubectl(), kubectlVersion);
        out.println("CAVEAT: the guest runs under QEMU TCG emulation (no KVM): its CPU is many times slower than the"
                + " host's, and every syscall and 9P round trip of ls and grep pays for it; kubectl runs natively");
        out.println("API requests are counted by the API server, as objects+discovery: k9p fetches discovery again"
                + " every 5 minutes while in use, so runs longer than that include one or more discoveries");
        out.printf(Locale.ROOT, "host: %d CPUs, Java %s%n%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.printf(Locale.ROOT, "%-8s %-50s %10s %28s %10s %14s%n", "tool", "command", "first ms",
                "repeated ms: median (range)", "req first", "req repeated");
        for (Series series : results) {
            out.printf(Locale.ROOT, "%-8s %-50s %,10.0f %,10.0f (%,7.0f-%,7.0f) %10s %14s%n", series.tool(),
                    series.command(), series.first().millis(), series.repeatedMedian(), series.repeatedMin(),
                    series.repeatedMax(), series.first().requestSplit(), series.repeatedRequests());
        }
        out.println();
        out.printf(Locale.ROOT, "%-46s %8s %17s%n", "time ratio", "first", "repeated median");
        for (String tool : List.of(GUEST, HOST)) {
            for (int i = 0; i < 2; i++) {
                Series k9p = series(results, tool, i);
                Series kubectl = series(results, KUBECTL, i);
                out.printf(Locale.ROOT, "%-46s %8.2f %17.2f%n",
                        tool + "/kubectl, " + (i == 0 ? "ls -l vs get -o wide" : "grep -r vs get -o yaml | grep"),
                        k9p.first().millis() / kubectl.first().millis(), k9p.repeatedMedian() / kubectl.repeatedMedian());
            }
        }
        out.println();
        out.println("API requests by kind, the first run, then each repeated run:");
        for (Series series : results) {
            out.printf(Locale.ROOT, "  %-8s %-50s %s%n", series.tool(), series.command(), series.first().requests());
            out.printf(Locale.ROOT, "  %-8s %-50s %s%n", "", "",
                    series.repeated().stream().map(run -> run.requests().toString()).toList());
        }
        out.println();
        for (Series series : results) {
            out.printf(Locale.ROOT, "RESULT {\"tool\":\"%s\",\"command\":\"%s\",\"first_ms\":%.1f,"
                            + "\"repeated_median_ms\":%.1f,\"first_requests\":%d,\"first_discovery_requests\":%d,"
                            + "\"repeated_requests_median\":%.1f}%n",
                    series.tool(), series.command().replace("\"", "\\\""), series.first().millis(),
                    series.repeatedMedian(), series.first().requestTotal(), series.first().discoveryRequests(),
                    series.repeatedRequestsMedian());
        }
    }

    /** The {@code index}th series (0: ls, 1: grep) of a tool. */
    private static Series series(List<Series> results, String tool, int index) {
        return results.stream().filter(s -> s.tool().equals(tool)).toList().get(index);
    }

    /**
     * The API server's request counts at named moments, which the guest reports over HTTP
     * ({@code wget http://10.0.2.2:PORT/NAME}) before and after each run.
     */
    private static final class Marks {
        private final ApiServer api;
        private final Map<String, Map<String, Long>> marks = new ConcurrentHashMap<>();

        Marks(ApiServer api) {
            this.api = api;
        }

        interface Listening extends AutoCloseable {
            int port();

            @Override
            void close();
        }

        Listening listen() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", exchange -> {
                marks.put(exchange.getRequestURI().getPath().substring(1), api.requestCounts());
                byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return new Listening() {
                @Override
                public int port() {
                    return server.getAddress().getPort();
                }

                @Override
                public void close() {
                    server.stop(0);
                }
            };
        }

        Map<String, Long> between(String start, String end) {
            Map<String, Long> before = marks.get(start);
            Map<String, Long> after = marks.get(end);
            if (before == null || after == null) {
                throw new IllegalStateException("the guest did not report " + (before == null ? start : end));
            }
            return delta(before, after);
        }
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((kind, count) -> {
            long made = count - before.getOrDefault(kind, 0L);
            if (made != 0) {
                delta.put(kind, made);
            }
        });
        return delta;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static String quote(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
