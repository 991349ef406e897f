package io.k9p.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.memfs.MemFileSystem;
import io.k9p.net.Endpoint;
import io.k9p.server.NinePServer;
import io.k9p.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which addresses serve without authentication, and the options that set who may attach. */
class ServerOptionsTest {

    @Test
    void loopbackAndUnixSocketsServeAndOtherAddressesNeedInsecure() {
        ServerOptions options = new ServerOptions();
        assertThat(options.refusal(Endpoint.parse("127.0.0.1:1564"))).isNull();
        assertThat(options.refusal(Endpoint.parse("localhost:1564"))).isNull();
        assertThat(options.refusal(Endpoint.parse("tcp:[::1]:1564"))).isNull();
        assertThat(options.refusal(Endpoint.parse("unix:/run/k9p.sock"))).isNull();
        assertThat(options.refusal(Endpoint.parse("0.0.0.0:1564")))
                .contains("without authentication", "--insecure", "--auth token", "unix:PATH");
        options.insecure = true;
        assertThat(options.refusal(Endpoint.parse("0.0.0.0:1564"))).isNull();
    }

    @Test
    void withTokensOtherAddressesServe() {
        ServerOptions options = new ServerOptions();
        options.auth = ServerOptions.Auth.token;
        assertThat(options.refusal(Endpoint.parse("0.0.0.0:1564"))).isNull();
    }

    @Test
    void tokensNeedAClusterAndABadUserMapStopsTheStart() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main()).setErr(new PrintWriter(err));
        assertThat(command.execute("serve", "--memfs", "--auth", "token", "--listen", "127.0.0.1:0")).isEqualTo(2);
        assertThat(err.toString()).contains("--auth token checks tokens with the cluster");
        err.getBuffer().setLength(0);
        assertThat(command.execute("serve", "--memfs", "--user-map", "/nonexistent/users", "--listen", "127.0.0.1:0"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--user-map").contains("/nonexistent/users");
    }

    /**
     * An address of every interface is printed as written, with the port it got, and the mount
     * commands name HOST, as no client connects to 0.0.0.0 or ::; a name stays a name for k9p mount,
     * and the kernel's mount gets the address it resolved to.
     */
    @Test
    void theAddressIsPrintedAsWrittenAndTheMountCommandsAreOnesAClientCanUse() throws Exception {
        ServerOptions options = new ServerOptions();
        options.auth = ServerOptions.Auth.token;
        try (NinePServer server = new NinePServer(new ServerConfig(new MemFileSystem(), 65536, 16, false))) {
            for (String asked : List.of("0.0.0.0:0", "tcp:[::]:0")) {
                Endpoint.Tcp bound = (Endpoint.Tcp) server.listen(Endpoint.parse(asked));
                StringWriter out = new StringWriter();
                options.announce(new PrintWriter(out), "memfs", Endpoint.parse(asked), bound);
                String written = asked.replace("tcp:", "").replace(":0", ":" + bound.port());
                assertThat(out.toString()).as(asked)
                        .contains("k9p: serving memfs on tcp:" + written + " (attaches need a token)\n")
                        .contains("mount -t 9p -o trans=tcp,port=" + bound.port() + ",version=9p2000.L HOST /mnt/k8s\n")
                        .contains("k9p mount --server tcp:HOST:" + bound.port() + " --token-file FILE")
                        .contains("for HOST, use its name or one of its addresses")
                        .doesNotContain("0:0:0:0");
            }
            Endpoint.Tcp local = (Endpoint.Tcp) server.listen(Endpoint.parse("localhost:0"));
            StringWriter out = new StringWriter();
            options.announce(new PrintWriter(out), "memfs", Endpoint.parse("localhost:0"), local);
            assertThat(out.toString())
                    .contains("serving memfs on tcp:localhost:" + local.port())
                    .contains("version=9p2000.L 127.0.0.1 /mnt/k8s")
                    .contains("k9p mount --server tcp:localhost:" + local.port())
                    .doesNotContain("HOST");
        }
    }

    /** Each command's line in k9p --help is one whole sentence; the long description is the command's own help. */
    @Test
    void everyCommandHasAOneLineSummary() {
        StringWriter out = new StringWriter();
        assertThat(new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("--help")).isZero();
        List<String> commands = out.toString().lines().dropWhile(line -> !line.equals("Commands:")).skip(1).toList();
        assertThat(commands).as("%s", out).extracting(line -> line.split(" +")[1])
                .containsExactly("demo", "serve", "mount", "help");
        assertThat(commands).as("%s", out).allSatisfy(line -> assertThat(line).matches("  [a-z]+ +[A-Z].*\\."));
    }

    @Test
    void serveOnAllAddressesRefusesToStartAndSaysWhy() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main()).setErr(new PrintWriter(err));
        int status = command.execute("serve", "--memfs", "--listen", "0.0.0.0:0");
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("refusing to serve tcp:0.0.0.0:0 without authentication");
    }
}
