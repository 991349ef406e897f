package io.k9p.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.net.Endpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    @Test
    void serveOnAllAddressesRefusesToStartAndSaysWhy() {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new Main()).setErr(new PrintWriter(err));
        int status = command.execute("serve", "--memfs", "--listen", "0.0.0.0:0");
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("refusing to serve tcp:0.0.0.0:0 without authentication");
    }
}
