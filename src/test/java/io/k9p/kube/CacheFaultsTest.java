package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.demo.ApiFaults;
import io.k9p.demo.ApiFaults.Refusal;
import io.k9p.protocol.Errno;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.FaultConvergence;
import io.k9p.testing.PathClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A cache that is not current says so, and heals, against the demo API server made to fail as real
 * ones do ({@link ApiFaults}), over 9P: the staleness line in {@code .error} and {@code error}
 * while a type cannot be watched, an informer that stopped for good replaced, idle watches
 * released, the changes k9p makes shown at once during a watch outage, and an API server that
 * goes away after start. Each runs with k9p watching over WebSocket (fabric8's default) and over
 * HTTP streaming (where a proxy allows no WebSocket).
 */
@ParameterizedClass(name = "watches over {0}")
@EnumSource(ClusterServer.Watches.class)
class CacheFaultsTest {
    private static final String NS = "faults";
    private static final String CONFIGMAPS = "/namespaces/" + NS + "/configmaps";
    private static final String DEPLOYMENTS = "/namespaces/" + NS + "/deployments";
    /** What the informers of configmaps and deployments list and watch. */
    private static final String CONFIGMAPS_PATH = "/api/v1/configmaps";
    private static final String DEPLOYMENTS_PATH = "/apis/apps/v1/deployments";
    /** Generous for a loaded two-core machine: fabric8 waits up to 32 s between watch attempts. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Parameter
    ClusterServer.Watches watches;

    private ClusterServer cluster;

    private void start(Duration cacheIdle) throws Exception {
        cluster = ClusterServer.demo(cacheIdle, watches);
        FaultConvergence.seedNamespace(cluster.kube, NS, List.of("kept", "changed", "gone"));
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void whileWatchesAreRefusedReadsSayHowStaleTheyAreAndTheLineGoesOnceWatchingAgain() throws Exception {
        start(Duration.ofMinutes(10));
        try (PathClient fs = cluster.attach()) {
            assertThat(fs.list(CONFIGMAPS)).contains("kept", "changed", "gone");
            assertThat(fs.read(CONFIGMAPS + "/.error")).isEmpty();
            await("the configmaps' watch open at the API server", () -> cluster.api.openWatches(CONFIGMAPS_PATH),
                    open -> open > 0);

            cluster.api.faults().refuse(Refusal.TOO_MANY_REQUESTS).closeWatches();
            String stale = await("the staleness line", () -> fs.read(CONFIGMAPS + "/.error"),
                    text -> text.contains("429"));
            assertThat(stale).matches("configmaps: not current since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ:"
                    + " (watch|list) refused: 429 Too Many Requests \\(retrying\\)\n");
            assertThat(fs.read(CONFIGMAPS + "/kept/error")).as("each object's error says it too").isEqualTo(stale);
            cluster.kube.configMaps().inNamespace(NS).withName("gone").delete();
            assertThat(fs.list(CONFIGMAPS)).as("reads go on, from the cache").contains("kept", "gone");
            assertThat(fs.read(CONFIGMAPS + "/kept/data/value")).isEqualTo("1");

            cluster.api.faults().end();
            await("the deletion made during the fault", () -> fs.list(CONFIGMAPS), list -> !list.contains("gone"));
            await("the staleness line gone", () -> fs.read(CONFIGMAPS + "/.error"), String::isEmpty);
            assertThat(fs.read(CONFIGMAPS + "/kept/error")).isEmpty();
        }
    }

    @Test
    void aTypeNeverListedFailsAndItsErrorFileSaysWhy() throws Exception {
        start(Duration.ofMinutes(10));
        try (PathClient fs = cluster.attach()) {
            cluster.api.faults().refuse(Refusal.FORBIDDEN, "secrets");
            assertThatThrownBy(() -> fs.list("/namespaces/" + NS + "/secrets"))
                    .isInstanceOfSatisfying(PathClient.Failure.class,
                            f -> assertThat(f.errno).isEqualTo(Errno.EACCES.number()));
            assertThat(fs.read("/namespaces/" + NS + "/secrets/.error"))
                    .contains("list secrets: secrets is forbidden: User \"kubernetes-admin\" cannot list resource"
                            + " \"secrets\" in API group \"\" at the cluster scope");
        }
    }

    @Test
    void anInformerThatStoppedForGoodIsReplacedAtTheNextRead() throws Exception {
        start(Duration.ofMinutes(10));
        try (PathClient fs = cluster.attach()) {
            assertThat(fs.list(CONFIGMAPS)).contains("kept");
            // Until the configmaps' watch has had its share: it may open a moment after the list.
            await("the stopped informer in .error", () -> {
                cluster.api.faults().garbleWatches();
                return fs.read(CONFIGMAPS + "/.error");
            }, text -> text.contains("the informer stopped"));
            cluster.kube.configMaps().inNamespace(NS).withName("changed").edit(cm -> {
                cm.getData().put("value", "2");
                return cm;
            });
            await("the change, through a new informer", () -> fs.read(CONFIGMAPS + "/changed/data/value"),
                    "2"::equals);
            await("the staleness line gone", () -> fs.read(CONFIGMAPS + "/.error"), String::isEmpty);
        }
    }

    @Test
    void aTypeNobodyReadsHasItsWatchReleasedAndIsListedAgainAtTheNextRead() throws Exception {
        start(Duration.ofSeconds(2));
        try (PathClient fs = cluster.attach()) {
            assertThat(fs.list(DEPLOYMENTS)).contains("app");
            await("the deployments' watch open", () -> cluster.api.openWatches(DEPLOYMENTS_PATH), open -> open > 0);
            long lists = lists(DEPLOYMENTS_PATH);
            long watchRequests = cluster.api.requestCount("GET watch", DEPLOYMENTS_PATH);
            await("every watch released after 2 s unused", cluster.api::openWatches, open -> open == 0);
            assertThat(lists(DEPLOYMENTS_PATH)).as("no list while unused").isEqualTo(lists);
            assertThat(fs.read(DEPLOYMENTS + "/app/scale")).isEqualTo("1\n");
            assertThat(lists(DEPLOYMENTS_PATH)).as("the next read lists the type again").isEqualTo(lists + 1);
            await("and watches it again", () -> cluster.api.requestCount("GET watch", DEPLOYMENTS_PATH),
                    count -> count == watchRequests + 1);
            assertThat(cluster.api.streamedWatches() > 0).as("watches served as HTTP streams")
                    .isEqualTo(watches == ClusterServer.Watches.HTTP_STREAMING);
        }
    }

    @Test
    void aChangeMadeThroughK9pShowsAtOnceWhileTheWatchIsDownAndLandsOnce() throws Exception {
        start(Duration.ofMinutes(10));
        try (PathClient fs = cluster.attach()) {
            assertThat(fs.read(DEPLOYMENTS + "/app/scale")).isEqualTo("1\n");
            await("the deployments' watch open at the API server", () -> cluster.api.openWatches(DEPLOYMENTS_PATH),
                    open -> open > 0);
            ApiFaults faults = cluster.api.faults().refuse(Refusal.UNAVAILABLE).closeWatches();
            await("the outage seen", () -> fs.read(DEPLOYMENTS + "/.error"), text -> text.contains("503"));
            // A change k9p has not seen, then k9p's own on top of it: the watch will deliver both, in order.
            cluster.kube.apps().deployments().inNamespace(NS).withName("app").edit(d -> {
                d.getMetadata().getLabels().put("tier", "web");
                return d;
            });
            long scales = cluster.api.requestCounts().getOrDefault("PUT scale", 0L);
            fs.write(DEPLOYMENTS + "/app/scale", "3");
            assertThat(fs.read(DEPLOYMENTS + "/app/scale")).as("read your write, watch down").isEqualTo("3\n");
            assertThat(fs.read(DEPLOYMENTS + "/app/data.yaml")).contains("tier: web");

            faults.end();
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (!fs.read(DEPLOYMENTS + "/.error").isEmpty() && System.nanoTime() < deadline) {
                assertThat(fs.read(DEPLOYMENTS + "/app/scale")).as("never an older version while the watch catches up")
                        .isEqualTo("3\n");
            }
            assertThat(fs.read(DEPLOYMENTS + "/.error")).isEmpty();
            assertThat(fs.read(DEPLOYMENTS + "/app/scale")).isEqualTo("3\n");
            assertThat(cluster.api.requestCounts().getOrDefault("PUT scale", 0L) - scales).as("the write landed once")
                    .isEqualTo(1);
            assertThat(cluster.kube.apps().deployments().inNamespace(NS).withName("app").get().getSpec().getReplicas())
                    .isEqualTo(3);
        }
    }

    @Test
    void whenTheApiServerGoesAwayCachedReadsGoOnChangesFailAndTheLogSaysSoOnce() throws Exception {
        start(Duration.ofMinutes(10));
        List<LogRecord> log = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.INFO.intValue()) {
                    log.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger k9p = Logger.getLogger("io.k9p");
        k9p.addHandler(handler);
        try (PathClient fs = cluster.attach()) {
            assertThat(fs.list(CONFIGMAPS)).contains("kept");
            assertThat(fs.read(DEPLOYMENTS + "/app/scale")).isEqualTo("1\n");

            cluster.api.faults().unreachable();
            String stale = await("the staleness line", () -> fs.read(CONFIGMAPS + "/.error"),
                    text -> text.contains("cannot be reached"));
            assertThat(stale).matches("configmaps: not current since \\S+: the API server cannot be reached: .+"
                    + " \\(retrying\\)\n");
            assertThat(fs.read(CONFIGMAPS + "/kept/data/value")).as("cached reads go on").isEqualTo("1");
            assertThatThrownBy(() -> fs.write(DEPLOYMENTS + "/app/scale", "2"))
                    .isInstanceOfSatisfying(PathClient.Failure.class,
                            f -> assertThat(f.errno).isEqualTo(Errno.EIO.number()));
            assertThat(fs.read(DEPLOYMENTS + "/app/error")).as("the write's failure, and the staleness")
                    .contains("scale app").contains("deployments: not current since");
            assertThatThrownBy(() -> fs.list("/namespaces/" + NS + "/secrets")).as("a type never listed")
                    .isInstanceOfSatisfying(PathClient.Failure.class,
                            f -> assertThat(f.errno).isEqualTo(Errno.EIO.number()));
            assertThat(fs.read("/namespaces/" + NS + "/secrets/.error")).contains("list secrets: ");
            Thread.sleep(5_000);
            assertThat(messages(log)).as("one line for the outage, however many retries; one for the failed write")
                    .hasSize(2).anyMatch(line -> line.contains("cannot be reached: "))
                    .anyMatch(line -> line.contains("scale app: "));

            cluster.api.faults().end();
            await("the staleness line gone", () -> fs.read(CONFIGMAPS + "/.error"), String::isEmpty);
            await("one more line, when it answers again", () -> messages(log), lines -> lines.size() == 3);
            assertThat(messages(log).get(2)).contains("answers again");
        } finally {
            k9p.removeHandler(handler);
        }
    }

    private static List<String> messages(List<LogRecord> log) {
        SimpleFormatter formatter = new SimpleFormatter();
        return log.stream().map(formatter::formatMessage).toList();
    }

    private long lists(String path) {
        return cluster.api.requestCount("GET collection", path);
    }

    private interface Read<T> {
        T get() throws Exception;
    }

    /** Reads until {@code done} holds of what was read, and returns it; fails after {@link #BOUND}. */
    static <T> T await(String what, Read<T> read, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        T value = read.get();
        while (!done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + BOUND.toSeconds() + " s; last read: " + value);
            }
            Thread.sleep(50);
            value = read.get();
        }
        return value;
    }
}
