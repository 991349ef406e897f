package io.k9p.kube;

import static io.k9p.testing.RawClient.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.k9p.demo.DemoCluster;
import io.k9p.kube.cluster.WatchHub;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Files whose reads wait for what happens next: watches, events, followed logs. */
class LiveFilesTest {
    private static final int ROOT = 0;
    private ClusterServer cluster;
    private RawClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterServer.demo();
        client = RawClient.connect(cluster.endpoint, Dialect.P9P2000_L, 65536);
        expect(client.call(new Tmessage.Attach(ROOT, Tmessage.NOFID, "tester", "", 0)), Rmessage.Attach.class);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        cluster.close();
    }

    @Test
    void typeWatchPrintsEachChangeAndReleasesItsWatch() throws Exception {
        open(1, "namespaces", "kube-system", "deployments", "watch");
        CompletableFuture<Rmessage> read = client.send(new Tmessage.Read(1, 0, 8192));
        Thread.sleep(200);
        assertThat(read).as("a watch read waits for a change").isNotDone();
        scaleCoreDns(4);
        String line = text(RawClient.await(read));
        String rv = cluster.kube.apps().deployments().inNamespace("kube-system").withName("coredns").get()
                .getMetadata().getResourceVersion();
        assertThat(line).isEqualTo("MODIFIED deployments coredns " + rv + "\n");
        // The chunk ends with one empty reply (Linux's read loop), then reads wait again.
        assertThat(text(client.call(new Tmessage.Read(1, line.length(), 8192)))).isEmpty();
        CompletableFuture<Rmessage> waiting = client.send(77, new Tmessage.Read(1, line.length(), 8192));
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        assertThat(cluster.fileSystem.openWatches()).isEqualTo(1);
        assertThat(client.call(new Tmessage.Flush(77))).isEqualTo(new Rmessage.Flush());
        assertThat(client.call(new Tmessage.Clunk(1))).isEqualTo(new Rmessage.Clunk());
        assertThat(cluster.fileSystem.openWatches()).as("upstream watches after the last reader left").isZero();
    }

    @Test
    void readersShareOneUpstreamWatch() throws Exception {
        open(1, "namespaces", "kube-system", "deployments", "watch");
        open(2, "namespaces", "kube-system", "deployments", "watch");
        assertThat(cluster.fileSystem.openWatches()).isEqualTo(1);
        CompletableFuture<Rmessage> first = client.send(new Tmessage.Read(1, 0, 8192));
        CompletableFuture<Rmessage> second = client.send(new Tmessage.Read(2, 0, 8192));
        scaleCoreDns(6);
        assertThat(text(RawClient.await(first))).startsWith("MODIFIED deployments coredns ");
        assertThat(text(RawClient.await(second))).startsWith("MODIFIED deployments coredns ");
        client.call(new Tmessage.Clunk(1));
        assertThat(cluster.fileSystem.openWatches()).isEqualTo(1);
        client.call(new Tmessage.Clunk(2));
        assertThat(cluster.fileSystem.openWatches()).isZero();
    }

    @Test
    void namespaceWatchNamesTheTypeAndNamespace() throws Exception {
        open(1, "namespaces", "shop", "watch");
        CompletableFuture<Rmessage> read = client.send(new Tmessage.Read(1, 0, 8192));
        cluster.kube.configMaps().inNamespace("shop").withName("settings")
                .edit(cm -> { cm.getData().put("size", "5"); return cm; });
        assertThat(text(RawClient.await(read))).startsWith("MODIFIED configmaps shop settings ");
        client.call(new Tmessage.Clunk(1));
        assertThat(cluster.fileSystem.openWatches()).isZero();
    }

    @Test
    void eventsFollowPrintsNewEvents() throws Exception {
        open(1, "namespaces", "shop", "events.follow");
        CompletableFuture<Rmessage> read = client.send(new Tmessage.Read(1, 0, 8192));
        cluster.kube.v1().events().inNamespace("shop").resource(new EventBuilder()
                .withNewMetadata().withName("web-0.restart").endMetadata()
                .withType("Warning").withReason("BackOff").withMessage("Back-off restarting failed container")
                .withNewInvolvedObject().withKind("Pod").withName("web-0").withNamespace("shop").endInvolvedObject()
                .build()).create();
        assertThat(text(RawClient.await(read))).isEqualTo("Warning BackOff Pod/web-0 Back-off restarting failed container\n");
    }

    @Test
    void slowReaderGetsAGapMarkerNotUnboundedMemory() throws Exception {
        open(1, "namespaces", "kube-system", "deployments", "watch");
        for (int i = 0; i < WatchHub.READER_CAPACITY + 30; i++) {
            scaleCoreDns(10 + i % 5);
        }
        StringBuilder all = new StringBuilder();
        long offset = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!all.toString().contains("DROPPED") && System.nanoTime() < deadline) {
            String chunk = text(client.call(new Tmessage.Read(1, offset, 65536)));
            all.append(chunk);
            offset += chunk.getBytes(StandardCharsets.UTF_8).length;
        }
        List<String> lines = all.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("DROPPED ");
        assertThat(Long.parseLong(lines.get(0).substring("DROPPED ".length()))).isPositive();
    }

    @Test
    void followedLogPrintsTheLogThenNewLines() throws Exception {
        String pod = DemoCluster.HEALTHY_POD;
        open(1, "namespaces", "kube-system", "pods", pod, "follow", "coredns");
        String start = text(client.call(new Tmessage.Read(1, 0, 65536)));
        assertThat(start).contains("CoreDNS-1.6.4");
        long offset = start.getBytes(StandardCharsets.UTF_8).length;
        // Drain what the API server sent at first; then a new line arrives as it is written.
        StringBuilder later = new StringBuilder();
        CompletableFuture<Rmessage> read = client.send(new Tmessage.Read(1, offset, 65536));
        cluster.api.logs().append("kube-system", pod, "coredns", "a line written just now\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!later.toString().contains("a line written just now") && System.nanoTime() < deadline) {
            String chunk = text(RawClient.await(read));
            later.append(chunk);
            offset += chunk.getBytes(StandardCharsets.UTF_8).length;
            read = client.send(new Tmessage.Read(1, offset, 65536));
        }
        assertThat(later.toString()).contains("a line written just now");
    }

    @Test
    void aLogReadPastItsEndSeesWhatWasWrittenSince() throws Exception {
        String pod = DemoCluster.HEALTHY_POD;
        open(1, "namespaces", "kube-system", "pods", pod, "logs", "coredns");
        String atOpen = text(client.call(new Tmessage.Read(1, 0, 65536)));
        long end = atOpen.getBytes(StandardCharsets.UTF_8).length;
        assertThat(text(client.call(new Tmessage.Read(1, end, 65536)))).isEmpty();
        cluster.api.logs().append("kube-system", pod, "coredns", "written after open\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String more = "";
        while (more.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            more = text(client.call(new Tmessage.Read(1, end, 65536)));
        }
        assertThat(more).isEqualTo("written after open\n");
        assertThat(text(client.call(new Tmessage.Read(1, 0, (int) end)))).as("the start is unchanged").isEqualTo(atOpen);
    }

    private void open(int fid, String... path) throws Exception {
        expect(client.call(new Tmessage.Walk(ROOT, fid, List.of(path))), Rmessage.Walk.class);
        expect(client.call(new Tmessage.Lopen(fid, 0)), Rmessage.Lopen.class);
    }

    private void scaleCoreDns(int replicas) {
        cluster.kube.apps().deployments().inNamespace("kube-system").withName("coredns")
                .edit(d -> { d.getSpec().setReplicas(replicas); return d; });
    }

    private static String text(Rmessage reply) {
        return new String(expect(reply, Rmessage.Read.class).data(), StandardCharsets.UTF_8);
    }
}
