package io.k9p.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stream files as Linux's client and shells read them. */
class BlockingStreamTest {
    private final LineQueue lines = new LineQueue(3, () -> { });
    private final BlockingStream stream = new BlockingStream(lines);

    @Test
    void aReadReturnsWhatArrivedAndTheNextReadWaitsForMore() throws Exception {
        lines.offer("MODIFIED deployments coredns 1");
        lines.offer("MODIFIED deployments coredns 2");
        String chunk = read(0, 4096);
        assertThat(chunk).isEqualTo("MODIFIED deployments coredns 1\nMODIFIED deployments coredns 2\n");
        var next = CompletableFuture.supplyAsync(() -> {
            try {
                return read(chunk.length(), 4096);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(next).as("nothing new has arrived").isNotDone();
        lines.offer("DELETED deployments coredns 3");
        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("DELETED deployments coredns 3\n");
        assertThat(stream.blocking()).isTrue();
    }

    @Test
    void aReaderThatSeeksBackGetsTheRetainedBytesAgain() throws Exception {
        lines.offer("first");
        lines.offer("second");
        assertThat(read(0, 128)).isEqualTo("first\nsecond\n");
        // A shell that read ahead seeks back to the end of the first line.
        assertThat(read(6, 128)).isEqualTo("second\n");
        lines.offer("third");
        assertThat(read(13, 128)).isEqualTo("third\n");
    }

    @Test
    void byteAtATimeReadersLoseNothing() throws Exception {
        lines.offer("ADDED configmaps web 7");
        StringBuilder text = new StringBuilder();
        for (int offset = 0; offset < "ADDED configmaps web 7\n".length(); offset++) {
            text.append(read(offset, 1));
        }
        assertThat(text).hasToString("ADDED configmaps web 7\n");
    }

    @Test
    void aReaderThatFallsBehindGetsAGapMarker() throws Exception {
        for (int i = 1; i <= 5; i++) {
            lines.offer("line " + i);
        }
        assertThat(read(0, 4096)).isEqualTo("DROPPED 2\nline 1\nline 2\nline 3\n");
    }

    @Test
    void theEndOfTheStreamIsTheEndOfTheFile() throws Exception {
        lines.offer("last");
        lines.end();
        assertThat(read(0, 4096)).isEqualTo("last\n");
        assertThat(read(5, 4096)).isEmpty();
        assertThat(read(5, 4096)).isEmpty();
    }

    private String read(long offset, int count) throws Exception {
        return new String(stream.read(offset, count), StandardCharsets.UTF_8);
    }
}
