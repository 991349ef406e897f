package io.k9p.bench;

import com.sun.net.httpserver.HttpServer;
import io.k9p.demo.ApiServer;
import io.k9p.kernel.GuestVm;
import io.k9p.kube.KubeFileSystem;
import io.k9p.net.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import io.k9p.testing.PathClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final String PROGRAM = "bench-cluster";
    private static final String NAMESPACE = "bench";
    private static final String NEEDLE = BenchObjects.NEEDLE;
    private static final String LS = "ls";
    private static final String GREP = "grep";
    private static final String GUEST = "k9p-vm";
    private static final String HOST = "k9p-jvm";
    private static final String KUBECTL = "kubectl";
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
            Map<String, String> options = BenchmarkArguments.options(args,
                    Set.of("--configmaps", "--runs", "--needle-every", "--kubectl"));
            int runs = BenchmarkArguments.positive(options.getOrDefault("--runs", "4"));
            if (runs < 2) {
                throw new IllegalArgumentException("--runs must be at least 2: the first run, and a repeated one");
            }
            return new Settings(BenchmarkArguments.positive(options.getOrDefault("--configmaps", "5000")), runs,
                    BenchmarkArguments.positive(options.getOrDefault("--needle-every", "10")),
                    Path.of(options.getOrDefault("--kubectl", Kubectl.DEFAULT.toString())));
        }

        int needles() {
            return BenchObjects.needles(configmaps, needleEvery);
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = BenchmarkArguments.parse(PROGRAM, args, Settings.USAGE, Settings::parse);
        String kubectlVersion = Kubectl.version(settings.kubectl(), PROGRAM);
        GuestVm guest;
        try {
            guest = GuestVm.require();
        } catch (RuntimeException e) {
            // require() aborts as a skipped test would; here that is a failure.
            System.err.println(PROGRAM + ": no guest to run: " + e.getMessage());
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

    private static void run(Settings settings, GuestVm guest, String kubectlVersion) throws Exception {
        try (WorkDirectory workDir = WorkDirectory.create("k9p-bench-cluster-");
             ApiServer api = ApiServer.start()) {
            BenchObjects objects = new BenchObjects(api.client(), PROGRAM);
            objects.namespace(NAMESPACE);
            objects.configmaps(NAMESPACE, 0, settings.configmaps(), settings.needleEvery());
            Path kubeconfig = workDir.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig);
            ApiRequests requests = new ApiRequests(api);
            Marks marks = new Marks(requests);
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
                List<Series> host = hostRuns(settings, kubeconfig, requests);
                SeriesReport.progress(PROGRAM, host);
                List<Series> kubectl = kubectlRuns(settings, new Kubectl(settings.kubectl(), kubeconfig), workDir,
                        requests);
                SeriesReport.progress(PROGRAM, kubectl);
                results.addAll(guestRuns(guest, settings, lsPort, grepPort, listening.port(), marks));
                results.addAll(host);
                results.addAll(kubectl);
                printReport(System.out, settings, kubectlVersion, results);
            }
        }
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

    /**
     * The same two commands from a 9P client in this JVM (io.k9p.testing.PathClient), sending what
     * the kernel sends (walk, getattr, open, read, clunk) over loopback: k9p's cost without the
     * emulated guest's. Each command has a k9p of its own, so its first run starts cold too.
     */
    private static List<Series> hostRuns(Settings settings, Path kubeconfig, ApiRequests requests)
            throws Exception {
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
                    Run run = requests.timed(() -> fs.listWithAttributes(directory).keySet().stream()
                            .filter(name -> name.startsWith("config-")).count());
                    check(run.output() == settings.configmaps(), "ls -l found " + run.output() + " configmaps");
                    lsRuns.add(run);
                }
            }
            try (PathClient fs = PathClient.attach(grepServer.listen(Endpoint.parse("127.0.0.1:0")), "")) {
                for (int i = 0; i < settings.runs(); i++) {
                    Run run = requests.timed(() -> grep(fs, directory));
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
        for (Map.Entry<String, PathClient.Entry> entry : fs.listWithAttributes(directory).entrySet()) {
            String path = directory + "/" + entry.getKey();
            if (entry.getValue().directory()) {
                lines += grep(fs, path);
            } else {
                lines += fs.read(path).lines().filter(line -> line.contains(NEEDLE)).count();
            }
        }
        return lines;
    }

    /** kubectl on the host, each command with a cache directory of its own that starts empty. */
    private static List<Series> kubectlRuns(Settings settings, Kubectl kubectl, WorkDirectory workDir,
                                            ApiRequests requests) throws Exception {
        List<String> wide = kubectl.command(workDir.resolve("cache-wide"),
                "get", "configmaps", "-n", NAMESPACE, "-o", "wide");
        List<String> grep = ChildProcess.bash(kubectl.shell(workDir.resolve("cache-yaml"),
                "get configmaps -n " + NAMESPACE + " -o yaml | grep " + NEEDLE + " | wc -l"));
        List<Run> wideRuns = new ArrayList<>();
        List<Run> grepRuns = new ArrayList<>();
        System.err.printf(Locale.ROOT, "bench-cluster: %d runs of kubectl get -o wide and -o yaml | grep%n",
                settings.runs());
        for (int i = 0; i < settings.runs(); i++) {
            wideRuns.add(requests.timed(() -> number(ChildProcess.run(wide, null, ProcessBuilder.Redirect.DISCARD))));
        }
        for (int i = 0; i < settings.runs(); i++) {
            Run run = requests.timed(() -> number(ChildProcess.run(grep, null, ProcessBuilder.Redirect.PIPE)));
            check(run.output() == settings.needles(), "kubectl -o yaml | grep found " + run.output()
                    + " lines, expected " + settings.needles());
            grepRuns.add(run);
        }
        // Untimed, after the runs: kubectl lists every configmap (and a header).
        long lines = ChildProcess.run(wide, null, ProcessBuilder.Redirect.PIPE).lines().count();
        check(lines == settings.configmaps() + 1L, "kubectl get listed " + lines + " lines, expected "
                + (settings.configmaps() + 1));
        return List.of(
                new Series(KUBECTL, "kubectl get configmaps -o wide > /dev/null", wideRuns),
                new Series(KUBECTL, "kubectl get configmaps -o yaml | grep NEEDLE | wc -l", grepRuns));
    }

    /** What wc -l printed, or -1 for a command whose output went to /dev/null. */
    private static long number(String printed) {
        return printed.isBlank() ? -1 : Long.parseLong(printed.strip());
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
        SeriesReport.table(out, results);
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
        SeriesReport.requestsByKind(out, results);
        out.println();
        SeriesReport.resultLines(out, results);
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
        private final ApiRequests requests;
        private final Map<String, Map<String, Long>> marks = new ConcurrentHashMap<>();

        Marks(ApiRequests requests) {
            this.requests = requests;
        }

        interface Listening extends AutoCloseable {
            int port();

            @Override
            void close();
        }

        Listening listen() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", exchange -> {
                marks.put(exchange.getRequestURI().getPath().substring(1), requests.counts());
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
            return ApiRequests.between(before, after);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
