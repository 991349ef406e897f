package io.k9p.testing;

import io.k9p.net.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A 9P server under test, run as a child process on a free loopback port. Each server runs in a
 * process of its own, so neither shares a JVM, heap or JIT with the benchmark's clients.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Endpoint.Tcp endpoint;
    private final Path log;

    private ServerProcess(String name, Process process, Endpoint.Tcp endpoint, Path log) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /**
     * Starts the command that {@code commandForPort} builds for a free port, with its output going to
     * {@code log}, and returns once the port accepts connections.
     */
    public static ServerProcess start(String name, IntFunction<List<String>> commandForPort, Path log)
            throws IOException, InterruptedException {
        return start(name, commandForPort, environment -> { }, log);
    }

    /** As {@link #start(String, IntFunction, Path)}, with the environment {@code environment} makes of this one's. */
    public static ServerProcess start(String name, IntFunction<List<String>> commandForPort,
            Consumer<Map<String, String>> environment, Path log) throws IOException, InterruptedException {
        int port = freeLoopbackPort();
        ProcessBuilder builder = new ProcessBuilder(commandForPort.apply(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        environment.accept(builder.environment());
        Process process = builder.start();
        // The benchmark may end by Ctrl-C, which skips its finally blocks but not shutdown hooks; the
        // hook is harmless after close(), as destroying an exited process does nothing.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        ServerProcess server = new ServerProcess(name, process, new Endpoint.Tcp("127.0.0.1", port), log);
        try {
            server.awaitListening();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public String name() {
        return name;
    }

    public Endpoint.Tcp endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    /** CPU time the server has used so far, all its threads together. */
    public Duration cpuTime() {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("cannot read the CPU time of " + name));
    }

    /** The last lines the server wrote, for reports and for failures that the server may explain. */
    public String logTail(int lines) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Fails with the server's own words when it has died, for instance of an error mid-benchmark. */
    public void checkAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name + " exited with status " + process.exitValue() + "; its output:\n"
                    + logTail(20));
        }
    }

    /** Stops the server at once, for tests that do not care how it stops. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Asks the server to stop as a signal would, then forces it, so no server outlives the run. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            checkAlive();
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " did not listen on " + endpoint + " within " + STARTUP_TIMEOUT
                            + "; its output:\n" + logTail(20));
                }
                Thread.sleep(50);
            }
        }
    }

    /** A port the kernel just handed out, so almost surely still free when the server binds it. */
    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
