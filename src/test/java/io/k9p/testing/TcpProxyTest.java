package io.k9p.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The test proxy against an echo server: it forwards, holds everything while paused, and delays. */
class TcpProxyTest {
    private ServerSocket echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (true) {
                Socket client;
                try {
                    client = echo.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofVirtual().start(() -> {
                    try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // The client went away.
                    }
                });
            }
        });
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    @Test
    void aPausedProxyHoldsTheConnectionAndDeliversWhatItHeldOnceResumed() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(echo.getLocalPort()); Socket socket = connect(proxy)) {
            assertThat(roundTrip(socket, "one")).isEqualTo("one");
            proxy.pause();
            socket.getOutputStream().write("two".getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(300);
            assertThatThrownBy(() -> socket.getInputStream().read()).as("a read while paused")
                    .isInstanceOf(SocketTimeoutException.class);
            proxy.resume();
            socket.setSoTimeout(5000);
            assertThat(new String(socket.getInputStream().readNBytes(3), StandardCharsets.UTF_8)).isEqualTo("two");
        }
    }

    @Test
    void eachDirectionIsDelayedByItsOwnTime() throws Exception {
        Duration toTarget = Duration.ofMillis(150);
        Duration fromTarget = Duration.ofMillis(100);
        try (TcpProxy proxy = TcpProxy.to(echo.getLocalPort(), toTarget, fromTarget); Socket socket = connect(proxy)) {
            long start = System.nanoTime();
            assertThat(roundTrip(socket, "late")).isEqualTo("late");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a round trip through the proxy")
                    .isGreaterThanOrEqualTo(toTarget.plus(fromTarget));
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(5000);
        return socket;
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(bytes);
        return new String(socket.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
    }
}
