package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.demo.ApiServer;
import io.k9p.demo.DemoCluster;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import io.k9p.testing.RawClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code k9p mount} and {@code k9p serve}, the real commands run as the ordinary user, with a
 * cluster that cannot be used: each stops before it says it is ready, with exit status 1 and one
 * line on stderr that names the cause and where (the URL, the context, the kubeconfig), no stack
 * trace, and no mount left behind. The failures are real ones: a closed port, a name that does not
 * resolve, the demo API server over HTTPS with a certificate the kubeconfig does not trust, is for
 * another name, or has expired, a token it rejects (401), a context the kubeconfig lacks, a
 * kubeconfig with no current context or that does not parse, and no kubeconfig at all. And a
 * running server refuses an attach of a context it lacks with ENOENT and says so in one log line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartupCheckTest {
    private static final Duration LIMIT = Duration.ofSeconds(90);
    /** The JVM's own notes (a deprecated flag, native access) are not k9p's lines. */
    private static final String JVM_NOTE = "WARNING: ";

    /** A kubeconfig (null: none at all), the context to ask for (null: the current), and what the line must say. */
    record Failure(String kubeconfig, String context, List<String> said) {
    }

    private FuseWork fuse;
    private Path work;
    private OrdinaryUser user;
    private K9pCommand k9p;
    private final List<ApiServer> servers = new ArrayList<>();

    @BeforeAll
    void prepare() throws Exception {
        fuse = FuseWork.prepare("k9p-startup");
        work = fuse.directory();
        user = fuse.user();
        k9p = fuse.k9p();
    }

    @AfterAll
    void removeWorkDirectory() throws Exception {
        servers.forEach(ApiServer::close);
        if (fuse != null) {
            fuse.remove();
        }
    }

    Stream<Named<Failure>> failures() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        ApiServer plain = started(ApiServer.start());
        ApiServer https = started(ApiServer.startHttps());
        ApiServer otherName = started(ApiServer.startHttps(ApiServer.Certificate.FOR_ANOTHER_NAME));
        ApiServer expired = started(ApiServer.startHttps(ApiServer.Certificate.EXPIRED));
        return Stream.of(
                Named.of("a closed port", new Failure(kubeconfig("https://127.0.0.1:" + closed, null, null), null,
                        List.of("https://127.0.0.1:" + closed, "context test", "connection refused"))),
                Named.of("a host that does not resolve", new Failure(
                        kubeconfig("https://k9p-no-such-host.invalid:6443", null, null), null,
                        List.of("https://k9p-no-such-host.invalid:6443", "context test",
                                "k9p-no-such-host.invalid does not resolve"))),
                Named.of("a certificate from an unknown CA", new Failure(kubeconfig(https.url(), null, null), null,
                        List.of("TLS", https.url(), "context test", "unknown CA"))),
                Named.of("a certificate for another name", new Failure(
                        kubeconfig(otherName.url(), otherName.caCertificate().orElseThrow(), null), null,
                        List.of("TLS", otherName.url(), "context test", "name mismatch", "127.0.0.1"))),
                Named.of("an expired certificate", new Failure(
                        kubeconfig(expired.url(), expired.caCertificate().orElseThrow(), null), null,
                        List.of("TLS", expired.url(), "context test", "expired"))),
                Named.of("a token the API server rejects", new Failure(
                        kubeconfig(plain.url(), null, "k9p-not-a-token"), null,
                        List.of(plain.url(), "context test", "refused the credentials", "401 Unauthorized"))),
                Named.of("a context the kubeconfig lacks", new Failure(kubeconfig(plain.url(), null, null), "nope",
                        List.of("no context nope", "it has: test"))),
                Named.of("a kubeconfig with no current context", new Failure(
                        written("apiVersion: v1\nkind: Config\ncontexts:\n- name: test\n  context: {cluster: test}\n"),
                        null, List.of("has no current context", "it has: test", "--context"))),
                Named.of("a kubeconfig that is not YAML", new Failure(written("apiVersion: v1\nclusters: [unclosed\n"),
                        null, List.of("cannot be read", "line 2, column 11"))),
                Named.of("no kubeconfig", new Failure(null, null,
                        List.of("no kubeconfig", user.home().resolve(".kube/config").toString(), "--kubeconfig"))));
    }

    @ParameterizedTest(name = "k9p mount: {0}")
    @MethodSource("failures")
    void mountSaysWhyInOneLineAndMountsNothing(Failure failure) throws Exception {
        Path point = user.createDirectory(Files.createTempDirectory(work, "mount"));
        List<String> mount = new ArrayList<>(List.of("mount"));
        mount.addAll(options(failure));
        mount.add(point.toString());
        ProcessRun run = run(mount);

        assertOneLineWhy(run, failure);
        assertThat(run.out()).as("%s", run).doesNotContain("mounted");
        assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
                .as("the mount table").noneMatch(line -> line.contains(" " + point + " "));
    }

    @ParameterizedTest(name = "k9p serve: {0}")
    @MethodSource("failures")
    void serveSaysWhyInOneLineAndServesNothing(Failure failure) throws Exception {
        List<String> serve = new ArrayList<>(List.of("serve", "--listen", "127.0.0.1:0"));
        serve.addAll(options(failure));
        ProcessRun run = run(serve);

        assertOneLineWhy(run, failure);
        assertThat(run.out()).as("%s", run).doesNotContain("serving");
    }

    /** The 9P aname names a context: one the kubeconfig lacks is ENOENT, and the server's log says which. */
    @Test
    void anAttachOfAContextTheKubeconfigLacksIsRefusedWithOneLogLine() throws Exception {
        ApiServer demo = started(DemoCluster.start(0));
        Path kubeconfig = Path.of(kubeconfig(demo.url(), null, null));
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path log = work.resolve("serve.log");
        Process server = user.processBuilder(user.home(), k9p.line(List.of("serve", "--kubeconfig", kubeconfig.toString(),
                "--listen", "127.0.0.1:" + port))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLine(server, log, "k9p: serving");
            try (RawClient client = RawClient.connect(Endpoint.parse("127.0.0.1:" + port), Dialect.P9P2000_L, 65536)) {
                Rmessage refused = client.call(new Tmessage.Attach(0, Tmessage.NOFID, "", "nope", 0));
                assertThat(refused).as("the attach of context nope").isInstanceOf(Rmessage.Lerror.class);
                assertThat(((Rmessage.Lerror) refused).errno()).isEqualTo(Errno.ENOENT.number());
                RawClient.expect(client.call(new Tmessage.Attach(1, Tmessage.NOFID, "", "", 0)), Rmessage.Attach.class);
            }
        } finally {
            server.destroy();
            server.waitFor();
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.stream().filter(line -> line.contains("nope")))
                .as("the server's log: %s", lines)
                .singleElement().asString().contains("context nope").contains("it has: test");
        assertThat(lines).as("the server's log").noneMatch(line -> line.startsWith("\tat "));
    }

    private void assertOneLineWhy(ProcessRun run, Failure failure) {
        assertThat(run.exit()).as("%s", run).isEqualTo(1);
        assertThat(run.elapsed()).as("%s", run).isLessThan(Duration.ofSeconds(60));
        List<String> lines = run.err().lines().filter(line -> !line.startsWith(JVM_NOTE)).toList();
        assertThat(lines).as("stderr: %s", run).singleElement().asString()
                .startsWith("k9p: ").contains(failure.said());
        assertThat(run.err()).as("stderr: %s", run).doesNotContain("\tat ");
    }

    private List<String> options(Failure failure) {
        List<String> options = new ArrayList<>();
        if (failure.kubeconfig() != null) {
            options.addAll(List.of("--kubeconfig", failure.kubeconfig()));
        }
        if (failure.context() != null) {
            options.addAll(List.of("--context", failure.context()));
        }
        return options;
    }

    private ProcessRun run(List<String> arguments) throws Exception {
        return ProcessRun.of(user.processBuilder(user.home(), k9p.line(arguments)), LIMIT);
    }

    private ApiServer started(ApiServer server) {
        servers.add(server);
        return server;
    }

    /** A kubeconfig whose one context, test, is the server at {@code url}, with a CA and a token where given. */
    private String kubeconfig(String url, Path ca, String token) throws Exception {
        Path file = Files.createTempFile(work, "kubeconfig", "");
        if (ca != null) {
            // The server's own copy is in a directory private to the test JVM's user.
            ca = user.writeFile(Files.createTempFile(work, "ca", ".crt"), Files.readString(ca));
        }
        user.writeFile(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s%s
                users:
                - name: test
                  user: {%s}
                contexts:
                - name: test
                  context: {cluster: test, user: test}
                current-context: test
                """.formatted(url, ca == null ? "" : "\n    certificate-authority: " + ca,
                token == null ? "" : "token: " + token));
        return file.toString();
    }

    /** A kubeconfig file of this text. */
    private String written(String text) throws Exception {
        return user.writeFile(Files.createTempFile(work, "kubeconfig", ""), text).toString();
    }

    private static void awaitLine(Process process, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!Files.readString(log).contains(text)) {
            assertThat(process.isAlive()).as("k9p serve: %s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("k9p serve did not start: %s", Files.readString(log)).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
