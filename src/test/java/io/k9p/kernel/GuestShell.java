package io.k9p.kernel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.k9p.testing.ProcessRun;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shell in a running guest, for a test that must act between the guest's steps (make the API
 * server fail, then see what the mount shows): the guest runs {@link #GUEST_PROGRAM} with python3,
 * which asks this host for a script over HTTP (the guest reaches the host's loopback as 10.0.2.2),
 * runs it with /bin/sh in the mount, and sends back its status and output. One script at a time;
 * {@link #close()} ends the guest's loop, and its boot script goes on.
 */
final class GuestShell implements AutoCloseable {
    /** The guest's side: {@code python3 -c "$GUEST_PROGRAM" http://10.0.2.2:PORT}, in the directory scripts run in. */
    static final String GUEST_PROGRAM = """
            import subprocess, sys, urllib.request
            base = sys.argv[1]
            while True:
                with urllib.request.urlopen(base + "/next", timeout=3600) as answer:
                    if answer.status == 204:
                        break
                    script = answer.read().decode()
                done = subprocess.run(["/bin/sh", "-c", script], capture_output=True, timeout=600)
                body = b"%d\\n%d\\n" % (done.returncode, len(done.stdout)) + done.stdout + done.stderr
                urllib.request.urlopen(urllib.request.Request(base + "/result", data=body, method="POST"), timeout=60).read()
            """;
    private static final Duration LIMIT = Duration.ofMinutes(5);
    /** What /next answers when the loop is to end. */
    private static final String END = "";

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final BlockingQueue<String> scripts = new LinkedBlockingQueue<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    /** Counted down when the guest has been told to end its loop. */
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CompletableFuture<String> result;

    GuestShell() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/next", this::next);
        server.createContext("/result", this::result);
        server.start();
    }

    /** The port the guest reaches as 10.0.2.2. */
    int port() {
        return server.getAddress().getPort();
    }

    /** Waits until the guest first asks for a script; false if {@code guest} ended first, or after {@code limit}. */
    boolean awaitReady(CompletableFuture<?> guest, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!ready.await(100, TimeUnit.MILLISECONDS)) {
            if (guest.isDone() || System.nanoTime() > deadline) {
                return false;
            }
        }
        return true;
    }

    /** Runs a script in the guest and waits for it; its elapsed time is the round trip, as the host sees it. */
    synchronized ProcessRun run(String script) throws IOException, InterruptedException {
        long start = System.nanoTime();
        CompletableFuture<String> answer = new CompletableFuture<>();
        result = answer;
        scripts.put(script);
        String body;
        try {
            body = answer.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the guest did not run the script within " + LIMIT + ": " + script, e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        int first = body.indexOf('\n');
        int second = body.indexOf('\n', first + 1);
        int exit = Integer.parseInt(body.substring(0, first));
        int outLength = Integer.parseInt(body.substring(first + 1, second));
        byte[] rest = body.substring(second + 1).getBytes(StandardCharsets.ISO_8859_1);
        return new ProcessRun(exit, new String(rest, 0, outLength, StandardCharsets.UTF_8),
                new String(rest, outLength, rest.length - outLength, StandardCharsets.UTF_8), elapsed);
    }

    private void next(HttpExchange exchange) throws IOException {
        ready.countDown();
        try (exchange) {
            String script = scripts.take();
            if (script.equals(END)) {
                exchange.sendResponseHeaders(204, -1);
                ended.countDown();
                return;
            }
            byte[] bytes = script.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void result(HttpExchange exchange) throws IOException {
        try (exchange) {
            // ISO-8859-1 keeps every byte, so that the output's length counts bytes.
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            exchange.sendResponseHeaders(200, -1);
            CompletableFuture<String> waiting = result;
            if (waiting != null) {
                waiting.complete(body);
            }
        }
    }

    /** Ends the guest's loop (waiting a while for it to ask once more) and stops serving. */
    @Override
    public void close() throws InterruptedException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scripts.add(END);
        ended.await(30, TimeUnit.SECONDS);
        server.stop(1);
        handlers.shutdownNow();
    }
}
