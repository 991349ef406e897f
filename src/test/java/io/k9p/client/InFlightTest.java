package io.k9p.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.Rmessage;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The tag rules: never NOTAG, never a tag in use, and a flushed tag only free after its Rflush. */
class InFlightTest {

    @Test
    void tagsAreNeverNotagNorOneInUse() throws Exception {
        InFlight inFlight = new InFlight();
        Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < InFlight.TAGS; i++) {
            Exchange exchange = inFlight.open();
            assertThat(exchange.tag).isNotEqualTo(MessageCodec.NOTAG);
            assertThat(taken.add(exchange.tag)).as("tag %d handed out twice", exchange.tag).isTrue();
        }
        assertThat(taken).hasSize(InFlight.TAGS);
        // A reply frees its tag, and the next request may take it.
        assertThat(inFlight.deliver(42, new Rmessage.Clunk())).isTrue();
        assertThat(inFlight.open().tag).isEqualTo(42);
    }

    @Test
    void aFlushedTagStaysTakenThroughALateReplyUntilTheRflush() throws Exception {
        InFlight inFlight = new InFlight();
        Exchange read = inFlight.open();
        assertThat(inFlight.startFlush(read)).isTrue();
        Exchange flush = inFlight.openFlush(read);

        // The read's reply comes before the Rflush: it counts, but the tag stays taken.
        assertThat(inFlight.deliver(read.tag, new Rmessage.Read(new byte[] {1}))).isTrue();
        assertThat(read.reply.get()).isInstanceOf(Rmessage.Read.class);
        assertThat(inFlight.taken(read.tag)).isTrue();
        // A second reply for it is a stray.
        assertThat(inFlight.deliver(read.tag, new Rmessage.Read(new byte[] {2}))).isFalse();

        assertThat(inFlight.deliver(flush.tag, new Rmessage.Flush())).isTrue();
        assertThat(inFlight.taken(read.tag)).isFalse();
        assertThat(inFlight.taken(flush.tag)).isFalse();
    }

    @Test
    void aRequestAnsweredBeforeItsFlushStartsNeedsNoFlush() throws Exception {
        InFlight inFlight = new InFlight();
        Exchange walk = inFlight.open();
        inFlight.deliver(walk.tag, new Rmessage.Walk(java.util.List.of()));
        assertThat(inFlight.startFlush(walk)).isFalse();
        assertThat(inFlight.taken(walk.tag)).isFalse();
    }

    @Test
    void failureReachesWaitingAndLaterRequests() throws Exception {
        InFlight inFlight = new InFlight();
        Exchange waiting = inFlight.open();
        inFlight.failAll(new FsException(Errno.EIO, "9P server tcp:x:1 closed the connection"));
        assertThatThrownBy(waiting.reply::get).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("9P server tcp:x:1 closed the connection");
        assertThat(inFlight.taken(waiting.tag)).isFalse();
        assertThatThrownBy(inFlight::open).isInstanceOfSatisfying(FsException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
    }

    @Test
    void aTagIsFreeByTheTimeItsReplyIsHeard() throws Exception {
        InFlight inFlight = new InFlight();
        Exchange version = inFlight.open(MessageCodec.NOTAG);
        CompletableFuture<Boolean> freeWhenHeard = version.reply.thenApply(reply -> !inFlight.taken(MessageCodec.NOTAG));
        inFlight.deliver(MessageCodec.NOTAG, new Rmessage.Version(8192, "9P2000.L"));
        assertThat(freeWhenHeard.get()).isTrue();
    }

    @Test
    void aChosenTagInUseIsRefused() throws Exception {
        InFlight inFlight = new InFlight();
        inFlight.open(100);
        assertThatThrownBy(() -> inFlight.open(100)).isInstanceOf(IllegalStateException.class);
        inFlight.open(MessageCodec.NOTAG);
        assertThat(inFlight.taken(MessageCodec.NOTAG)).isTrue();
    }
}
