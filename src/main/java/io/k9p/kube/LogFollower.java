package io.k9p.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.k9p.fs.BlockingStream;
import io.k9p.fs.FsException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * {@code follow/<container>}: like {@code kubectl logs -f}. Each open follows the log upstream;
 * a pump thread copies it into a small queue, because reads of the HTTP stream cannot be
 * interrupted and a flushed read must end at once. Closing the file closes the upstream stream.
 */
final class LogFollower extends StreamFile {
    /** Chunks buffered per reader; the pump waits when they are unread, so memory stays bounded. */
    private static final int QUEUED_CHUNKS = 64;
    private static final byte[] END = new byte[0];

    private final ObjectDirectory owner;
    private final String container;

    LogFollower(ObjectDirectory owner, String container) {
        super(owner.cluster, container, owner.path("follow/" + container));
        this.owner = owner;
        this.container = container;
    }

    @Override
    BlockingStream.Source start() throws FsException {
        GenericKubernetesResource pod = owner.current();
        var metadata = pod.getMetadata();
        LogWatch upstream;
        try {
            upstream = cluster.client.pods().inNamespace(metadata.getNamespace()).withName(metadata.getName())
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
