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

    @Test
    void pastWhatIsRetainedTheStreamKeepsExactlyTheLastBytes() throws Exception {
        LineQueue many = new LineQueue(1000, () -> { });
        BlockingStream followed = new BlockingStream(many);
        StringBuilder sent = new StringBuilder();
        // 300 lines of 1,000 bytes read 4 KiB at a time: the retained bytes wrap around several times.
        for (int i = 0; i < 300; i++) {
            String line = "%03d".formatted(i) + "x".repeat(996);
            many.offer(line);
            sent.append(line).append('\n');
        }
        StringBuilder got = new StringBuilder();
        while (got.length() < sent.length()) {
            got.append(new String(followed.read(got.length(), 4096), StandardCharsets.UTF_8));
        }
        assertThat(got).hasToString(sent.toString());
        int end = sent.length();
        assertThat(new String(followed.read(end - 1500, 4096), StandardCharsets.UTF_8)).isEqualTo(sent.substring(end - 1500));
        // Before what is kept, a read gets the oldest byte still kept onwards.
        int oldest = end - BlockingStream.RETAINED;
        assertThat(new String(followed.read(0, 100), StandardCharsets.UTF_8)).isEqualTo(sent.substring(oldest, oldest + 100));

        // One chunk larger than all that is kept: its own last bytes are what is kept.
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String line = "big %03d ".formatted(i) + "y".repeat(991);
            many.offer(line);
            big.append(line).append('\n');
        }
        assertThat(new String(followed.read(end, 200_000), StandardCharsets.UTF_8)).isEqualTo(big.toString());
        int bigEnd = end + big.length();
        assertThat(new String(followed.read(bigEnd - 10, 4096), StandardCharsets.UTF_8)).isEqualTo(big.substring(big.length() - 10));
        assertThat(new String(followed.read(end, 100), StandardCharsets.UTF_8))
                .isEqualTo(big.substring(big.length() - BlockingStream.RETAINED, big.length() - BlockingStream.RETAINED + 100));
    }

    private String read(long offset, int count) throws Exception {
        return new String(stream.read(offset, count), StandardCharsets.UTF_8);
    }
}
