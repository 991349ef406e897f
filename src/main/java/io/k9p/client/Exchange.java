package io.k9p.client;

import io.k9p.protocol.Rmessage;
import java.util.concurrent.CompletableFuture;

/** One request on the wire and the reply it waits for, under the tag that pairs them. */
final class Exchange {
    final int tag;
    final CompletableFuture<Rmessage> reply = new CompletableFuture<>();
    /** For a Tflush: the exchange it flushes, whose tag becomes free with this one's reply. */
    final Exchange flushed;
    /** Set once a Tflush for this tag is on its way: the tag then stays taken until the Rflush. */
    boolean flushing;

    Exchange(int tag, Exchange flushed) {
        this.tag = tag;
        this.flushed = flushed;
    }
}
