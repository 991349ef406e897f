package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.k9p.fs.Waiting;
import io.k9p.fs.BlockingStream;
import io.k9p.fs.FsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Pods' container logs, as {@code kubectl logs} fetches them. A log fetched is kept a moment, so
 * that a stat and the read that follows it see the same bytes; so is a log found unavailable. A followed log ({@code kubectl
 * logs -f}) is copied by a pump thread into a small queue, because reads of the HTTP stream cannot
 * be interrupted and a flushed read must end at once; closing the source closes the upstream stream.
 */
public final class PodLogs {
    /** Chunks buffered per reader; the pump waits when they are unread, so memory stays bounded. */
    private static final int QUEUED_CHUNKS = 64;
    private static final byte[] END = new byte[0];

    private final Access access;
    private final ShortLivedCache recent = new ShortLivedCache(Duration.ofSeconds(2));

    PodLogs(Access access) {
        this.access = access;
    }

    /**
     * A container's log as of now, or its previous instance's, which {@code name} names in errors.
     * A log the API server has not (400: the container has not started, or its previous run is
     * gone) or that the identity may not read (403) is empty, as every listed file must be readable
     * and a log's reader must never take k9p's words for the container's; why is in {@code where}'s
     * error file. An API server that cannot answer is still EIO.
     */
    public byte[] get(GenericKubernetesResource pod, String container, boolean previous, String name, String where)
            throws FsException {
        var metadata = pod.getMetadata();
        String key = metadata.getUid() + "/" + name;
        return recent.get(key, () -> {
            Waiting.mayWait();
            var logs = access.client().pods().inNamespace(metadata.getNamespace())
                    .withName(metadata.getName()).inContainer(container);
            String text;
            try {
                text = previous ? logs.terminated().getLog() : logs.getLog();
            } catch (RuntimeException e) {
                FsException failure = Errors.of("logs/" + name + " is empty", e);
                int code = Errors.code(e);
                if (code != 400 && code != 403) {
                    throw failure;
                }
                access.unavailable(where, name, failure.getMessage());
                return new byte[0];
            }
            access.available(where, name);
            return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        });
    }

    /** Follows a container's log upstream, from its start, until the container ends or the source is closed. */
    public BlockingStream.Source follow(GenericKubernetesResource pod, String container) throws FsException {
        var metadata = pod.getMetadata();
        Waiting.mayWait();
        LogWatch upstream;
        try {
            upstream = access.client().pods().inNamespace(metadata.getNamespace()).withName(metadata.getName())
                    .inContainer(container).watchLog();
        } catch (RuntimeException e) {
            throw Errors.of("follow logs of " + metadata.getName() + "/" + container, e);
        }
        BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
        Thread pump = Thread.ofVirtual().name("k9p-log-" + metadata.getName()).start(() -> copy(upstream.getOutput(), chunks));
        return new BlockingStream.Source() {
            private byte[] rest = new byte[0];

            @Override
            public byte[] next(int max) throws InterruptedException {
                byte[] chunk = rest.length > 0 ? rest : chunks.take();
                if (chunk == END) {
                    chunks.offer(END);
                    return END;
                }
                rest = chunk.length > max ? Arrays.copyOfRange(chunk, max, chunk.length) : new byte[0];
                return chunk.length > max ? Arrays.copyOf(chunk, max) : chunk;
            }

            @Override
            public void close() {
                upstream.close();
                pump.interrupt();
            }
        };
    }

    private static void copy(InputStream log, BlockingQueue<byte[]> chunks) {
        byte[] buffer = new byte[8192];
        try (log) {
            for (int n; (n = log.read(buffer)) >= 0; ) {
                if (n > 0) {
                    chunks.put(Arrays.copyOf(buffer, n));
                }
            }
            chunks.put(END);
        } catch (IOException | InterruptedException e) {
            // The stream was closed by the reader, or broke: the log ends here.
            chunks.offer(END);
        }
    }
}
