package io.k9p.bench;

import static io.k9p.testing.RawClient.expect;

import io.k9p.protocol.Dialect;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import io.k9p.testing.RawClient;
import io.k9p.testing.ServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Requests per second of k9p against diod, a 9P2000.L server written in C, on the path a kernel
 * client takes to read a small file it has not open: walk, open, read, clunk. Both servers run as
 * processes of their own on loopback, in the same run and with their measurements interleaved, so
 * the machine's noise falls on both; the ratio k9p/diod is the number to watch.
 *
 * <p>Run it with {@code scripts/bench}, as root (diod serves each attach as the attaching user, and
 * the clients attach as root) with diod installed. {@code scripts/bench --help} lists the settings.
 */
public final class ProtocolBenchmark {
    private static final Path DIOD = Path.of("/usr/sbin/diod");
    private static final Path K9P_JAR = Path.of("target", "k9p.jar");
    private static final int MSIZE = 65536;
    private static final int ROOT_FID = 1;
    private static final int FILE_FID = 2;
    private static final List<String> FILE_PATH = List.of("bench", "small");
    private static final byte[] FILE_CONTENT =
            "0123456789abcdef".repeat(4).getBytes(StandardCharsets.US_ASCII);
    private static final int READ_COUNT = 4096;
    private static final int REQUESTS_PER_OPERATION = 4;
    /** Linux open(2) flags, which 9P2000.L carries unchanged. */
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;

    private ProtocolBenchmark() {
    }

    /** How long to run, and with how many concurrent clients. */
    record Settings(Duration warmUp, Duration round, int rounds, List<Integer> clientCounts) {
        static final String USAGE = """
                usage: scripts/bench [--warmup SECONDS] [--round SECONDS] [--rounds N] [--clients N,N,...]
                  --warmup   seconds each server runs, per client count, before it is measured (default 3)
                  --round    seconds of one measured round (default 5)
                  --rounds   measured rounds per server and client count; the median is reported (default 3)
                  --clients  client counts to measure, each client a connection of its own (default 1,16)
                """;

        static Settings parse(String[] args) {
            Duration warmUp = Duration.ofSeconds(3);
            Duration round = Duration.ofSeconds(5);
            int rounds = 3;
            List<Integer> clientCounts = List.of(1, 16);
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--warmup" -> warmUp = seconds(value);
                    case "--round" -> round = seconds(value);
                    case "--rounds" -> rounds = positive(value);
                    case "--clients" -> clientCounts = Arrays.stream(value.split(","))
                            .map(String::trim).map(Settings::positive).toList();
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Settings(warmUp, round, rounds, clientCounts);
        }

        /** Both servers, for every client count, warm up and then run every round. */
        Duration runtime() {
            return warmUp.plus(round.multipliedBy(rounds)).multipliedBy(2L * clientCounts.size());
        }

        private static Duration seconds(String value) {
            double seconds = Double.parseDouble(value);
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("expected a positive number of seconds, got " + value);
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        }

        private static int positive(String value) {
            int number = Integer.parseInt(value);
            if (number < 1) {
                throw new IllegalArgumentException("expected a positive count, got " + value);
            }
            return number;
        }
    }

    /** A running server and the aname its attaches need: diod names the exported directory. */
    record Target(ServerProcess server, String aname) {
        String name() {
            return server.name();
        }
    }

    /**
     * What the clients of one target completed together in one timed phase, and the CPU time the
     * server spent on it: on a machine with few cores, clients and server share them, so the server's
     * CPU per operation shows its cost apart from the clients'.
     */
    record Round(long operations, long nanos, long serverCpuNanos) {
        double operationsPerSecond() {
            return operations * 1e9 / nanos;
        }
    }

    /** The rounds of one target at one client count: operations per second, and server CPU per operation. */
    record Summary(double median, double min, double max, double serverCpuMicrosPerOperation) {
        static Summary of(List<Round> rounds) {
            double[] rates = rounds.stream().mapToDouble(Round::operationsPerSecond).sorted().toArray();
            int middle = rates.length / 2;
            double median = rates.length % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2;
            long cpuNanos = rounds.stream().mapToLong(Round::serverCpuNanos).sum();
            long operations = rounds.stream().mapToLong(Round::operations).sum();
            return new Summary(median, rates[0], rates[rates.length - 1], cpuNanos / 1e3 / operations);
        }
    }

    record CaseResult(int clients, Summary k9p, Summary diod) {
        double ratio() {
            return k9p.median() / diod.median();
        }
    }

    /** One client: a connection of its own, attached once, reading the small file over and over. */
    record Client(RawClient connection) implements AutoCloseable {
        static Client attach(Target target) throws IOException {
            RawClient connection = RawClient.connect(target.server().endpoint(), Dialect.P9P2000_L, MSIZE);
            try {
                expect(connection.call(new Tmessage.Attach(ROOT_FID, Tmessage.NOFID, "root", target.aname(), 0)),
                        Rmessage.Attach.class);
                return new Client(connection);
            } catch (Throwable e) {
                connection.close();
                throw e;
            }
        }

        /** One operation: the four requests that read a file from a fresh walk, returning its bytes. */
        byte[] readSmallFile() throws IOException {
            Rmessage.Walk walk = expect(connection.call(new Tmessage.Walk(ROOT_FID, FILE_FID, FILE_PATH)),
                    Rmessage.Walk.class);
            if (walk.qids().size() != FILE_PATH.size()) {
                throw new IOException("walk to " + FILE_PATH + " stopped after " + walk.qids().size() + " names");
            }
            expect(connection.call(new Tmessage.Lopen(FILE_FID, O_RDONLY)), Rmessage.Lopen.class);
            byte[] data = expect(connection.call(new Tmessage.Read(FILE_FID, 0, READ_COUNT)),
                    Rmessage.Read.class).data();
            expect(connection.call(new Tmessage.Clunk(FILE_FID)), Rmessage.Clunk.class);
            return data;
        }

        /** Clunks the root fid, which diod would otherwise report, for every connection, as left over. */
        void detach() throws IOException {
            expect(connection.call(new Tmessage.Clunk(ROOT_FID)), Rmessage.Clunk.class);
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings = BenchmarkArguments.parse("bench", args, Settings.USAGE, Settings::parse);
        List<String> unmet = unmetPrerequisites();
        if (!unmet.isEmpty()) {
            unmet.forEach(problem -> System.err.println("bench: " + problem));
            System.exit(1);
        }
        run(settings);
    }

    private static List<String> unmetPrerequisites() throws IOException {
        List<String> unmet = new ArrayList<>();
        if (!Files.isExecutable(DIOD)) {
            unmet.add(DIOD + " not found: install diod (apt-get install diod)");
        }
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
            unmet.add("not root: diod serves each attach as the attaching user, and the clients attach as root");
        }
        if (!Files.isRegularFile(K9P_JAR)) {
            unmet.add(K9P_JAR + " not found: run from the project root after mvn package (scripts/bench does both)");
        }
        return unmet;
    }

    private static void run(Settings settings) throws Exception {
        System.err.printf(Locale.ROOT, "bench: about %d s of measurement%n", settings.runtime().toSeconds());
        Path workDir = Files.createTempDirectory("k9p-bench-");
        Path export = Files.createDirectory(workDir.resolve("export"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (ServerProcess k9pServer = ServerProcess.start("k9p",
                     port -> List.of(java, "-jar", K9P_JAR.toString(), "serve", "--memfs",
                             "--listen", "127.0.0.1:" + port),
                     workDir.resolve("k9p.log"));
             ServerProcess diodServer = ServerProcess.start("diod",
                     port -> List.of(DIOD.toString(),
                             "-f",                // stay in the foreground, so this process owns it
                             "-n",                // no authentication: the clients attach as plain root
                             "-c", "/dev/null",   // ignore any /etc/diod.conf on this machine
                             "-L", "stderr",
                             "-e", export.toString(),
                             "-l", "127.0.0.1:" + port),
                     workDir.resolve("diod.log"))) {
            Target k9p = new Target(k9pServer, "");
            Target diod = new Target(diodServer, export.toString());
            createTree(k9p);
            createTree(diod);
            List<CaseResult> results = new ArrayList<>();
            for (int clients : settings.clientCounts()) {
                results.add(runCase(clients, k9p, diod, settings));
            }
            printReport(System.out, settings, results);
            for (Target target : List.of(k9p, diod)) {
                String output = target.server().logTail(10);
                System.out.printf("%n%s's output (last 10 lines):%n%s%n", target.name(),
                        output.isEmpty() ? "(none)" : output);
            }
        } finally {
            deleteRecursively(workDir);
        }
    }

    /**
     * Builds /bench/small through 9P, so both servers get their tree from the same requests, and
     * reads it back once to check the workload sees what was written.
     */
    private static void createTree(Target target) throws IOException {
        try (Client client = Client.attach(target)) {
            RawClient connection = client.connection();
            expect(connection.call(new Tmessage.Mkdir(ROOT_FID, FILE_PATH.get(0), 0755, 0)), Rmessage.Mkdir.class);
            expect(connection.call(new Tmessage.Walk(ROOT_FID, FILE_FID, FILE_PATH.subList(0, 1))),
                    Rmessage.Walk.class);
            // Tlcreate moves the fid from the directory onto the new file, open for writing.
            expect(connection.call(new Tmessage.Lcreate(FILE_FID, FILE_PATH.get(1), O_WRONLY | O_CREAT, 0644, 0)),
                    Rmessage.Lcreate.class);
            Rmessage.Write written = expect(connection.call(new Tmessage.Write(FILE_FID, 0, FILE_CONTENT)),
                    Rmessage.Write.class);
            if (written.count() != FILE_CONTENT.length) {
                throw new IOException(target.name() + " wrote " + written.count() + " of " + FILE_CONTENT.length
                        + " bytes");
            }
            expect(connection.call(new Tmessage.Clunk(FILE_FID)), Rmessage.Clunk.class);
            if (!Arrays.equals(client.readSmallFile(), FILE_CONTENT)) {
                throw new IOException(target.name() + " did not read back what was written to " + FILE_PATH);
            }
            client.detach();
        }
    }

    /**
     * Warms both servers up, then measures them round by round, alternating which goes first so that
     * neither is always the one measured right after the other's load (or a slow start) ended.
     */
    private static CaseResult runCase(int clientCount, Target k9p, Target diod, Settings settings)
            throws Exception {
        List<Target> targets = List.of(k9p, diod);
        Map<Target, List<Client>> clients = new LinkedHashMap<>();
        Map<Target, List<Round>> rounds = new LinkedHashMap<>();
        try {
            for (Target target : targets) {
                clients.put(target, attachClients(target, clientCount));
                rounds.put(target, new ArrayList<>());
            }
            for (Target target : targets) {
                Round warmUp = measure(target, clients.get(target), settings.warmUp());
                progress(clientCount, "warm-up", target, warmUp);
            }
            for (int i = 0; i < settings.rounds(); i++) {
                for (Target target : i % 2 == 0 ? targets : targets.reversed()) {
                    Round round = measure(target, clients.get(target), settings.round());
                    rounds.get(target).add(round);
                    progress(clientCount, "round " + (i + 1) + "/" + settings.rounds(), target, round);
                }
            }
            for (Client client : all(clients)) {
                client.detach();
            }
        } finally {
            for (Client client : all(clients)) {
                client.close();
            }
        }
        return new CaseResult(clientCount, Summary.of(rounds.get(k9p)), Summary.of(rounds.get(diod)));
    }

    private static List<Client> all(Map<Target, List<Client>> clients) {
        return clients.values().stream().flatMap(List::stream).toList();
    }

    private static List<Client> attachClients(Target target, int count) throws IOException {
        List<Client> clients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            clients.add(Client.attach(target));
        }
        return clients;
    }

    /**
     * Runs every client, each on a thread of its own with one request outstanding at a time, until the
     * phase's time is up. A client finishes the operation it is in, so a phase overruns by at most one
     * operation per client, which the elapsed time includes.
     */
    private static Round measure(Target target, List<Client> clients, Duration duration) throws Exception {
        Duration serverCpuBefore = target.server().cpuTime();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<Future<Long>> counts = new ArrayList<>(clients.size());
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name(target.name() + "-client-", 0).factory())) {
            for (Client client : clients) {
                counts.add(threads.submit(() -> readUntil(client, deadline)));
            }
        }
        long elapsed = System.nanoTime() - start;
        long operations = 0;
        try {
            for (Future<Long> count : counts) {
                operations += count.get();
            }
        } catch (ExecutionException e) {
            target.server().checkAlive();
            throw new IOException(target.name() + " failed the workload: " + e.getCause(), e.getCause());
        }
        return new Round(operations, elapsed, target.server().cpuTime().minus(serverCpuBefore).toNanos());
    }

    private static long readUntil(Client client, long deadline) throws IOException {
        long operations = 0;
        while (System.nanoTime() < deadline) {
            int length = client.readSmallFile().length;
            if (length != FILE_CONTENT.length) {
                throw new IOException("read returned " + length + " bytes, expected " + FILE_CONTENT.length);
            }
            operations++;
        }
        return operations;
    }

    private static void progress(int clients, String phase, Target target, Round round) {
        System.err.printf(Locale.ROOT, "bench: %2d clients  %-9s %-5s %,10.0f ops/s%n",
                clients, phase, target.name(), round.operationsPerSecond());
    }

    private static void printReport(PrintStream out, Settings settings, List<CaseResult> results) {
        out.printf(Locale.ROOT, "walk+open+read+clunk of a %d-byte file, 9P2000.L over loopback, msize %d%n",
                FILE_CONTENT.length, MSIZE);
        out.printf(Locale.ROOT, "each client its own connection with one request outstanding; per server and client"
                        + " count: %s warm-up, then %d rounds of %s, servers interleaved%n",
                seconds(settings.warmUp()), settings.rounds(), seconds(settings.round()));
        out.printf(Locale.ROOT, "%d CPUs, Java %s; k9p --memfs in its own JVM, diod exporting a directory%n%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.printf(Locale.ROOT, "%7s  %-8s  %12s  %12s  %12s  %12s  %16s%n",
                "clients", "server", "ops/s median", "min", "max", "requests/s", "server CPU us/op");
        for (CaseResult result : results) {
            row(out, result.clients(), "k9p", result.k9p());
            row(out, result.clients(), "diod", result.diod());
            out.printf(Locale.ROOT, "%7d  %-8s  %12.2f%n", result.clients(), "k9p/diod", result.ratio());
        }
        out.println();
        for (CaseResult result : results) {
            out.println(resultLine(result));
        }
    }

    private static void row(PrintStream out, int clients, String server, Summary summary) {
        out.printf(Locale.ROOT, "%7d  %-8s  %,12.0f  %,12.0f  %,12.0f  %,12.0f  %16.1f%n", clients, server,
                summary.median(), summary.min(), summary.max(), summary.median() * REQUESTS_PER_OPERATION,
                summary.serverCpuMicrosPerOperation());
    }

    /** One line of JSON per client count, prefixed so that scripts can pick it out of the output. */
    private static String resultLine(CaseResult result) {
        return String.format(Locale.ROOT, "RESULT {\"clients\":%d,"
                        + "\"k9p_ops_per_s\":%.0f,\"k9p_min\":%.0f,\"k9p_max\":%.0f,\"k9p_cpu_us_per_op\":%.1f,"
                        + "\"diod_ops_per_s\":%.0f,\"diod_min\":%.0f,\"diod_max\":%.0f,\"diod_cpu_us_per_op\":%.1f,"
                        + "\"requests_per_op\":%d,\"ratio\":%.3f}",
                result.clients(),
                result.k9p().median(), result.k9p().min(), result.k9p().max(),
                result.k9p().serverCpuMicrosPerOperation(),
                result.diod().median(), result.diod().min(), result.diod().max(),
                result.diod().serverCpuMicrosPerOperation(),
                REQUESTS_PER_OPERATION, result.ratio());
    }

    private static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
