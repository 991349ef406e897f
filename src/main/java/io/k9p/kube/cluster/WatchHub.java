package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.k9p.fs.FsException;
import io.k9p.fs.LineQueue;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Upstream watches for the stream files: one per type and namespace, shared by all its readers,
 * opened for the first reader and closed when the last one goes. Each starts at the moment it
 * opens (from the list's resourceVersion), so readers see changes, not the objects that exist.
 */
public final class WatchHub {
    private static final System.Logger LOG = System.getLogger(WatchHub.class.getName());
    /** Lines kept per reader before the rest are counted as dropped. */
    public static final int READER_CAPACITY = 1024;

    /** One reader: its queue and how it words each event (null: not a line for this reader). */
    public record Reader(LineQueue queue, BiFunction<Watcher.Action, GenericKubernetesResource, String> format) {}

    private final class Shared implements Watcher<GenericKubernetesResource> {
        final String key;
        final Set<Reader> readers = ConcurrentHashMap.newKeySet();
        Watch watch;

        Shared(String key) {
            this.key = key;
        }

        @Override
        public void eventReceived(Action action, GenericKubernetesResource object) {
            if (action == Action.BOOKMARK || action == Action.ERROR) {
                return;
            }
            for (Reader reader : readers) {
                String line = reader.format().apply(action, object);
                if (line != null) {
                    reader.queue().offer(line);
                }
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            LOG.log(Level.WARNING, "watch of {0} ended: {1}", key, cause.getMessage());
            readers.forEach(reader -> reader.queue().end());
        }
    }

    private final Access access;
    private final Map<String, Shared> watches = new ConcurrentHashMap<>();

    WatchHub(Access access) {
        this.access = access;
    }

    /** Adds a reader of a type's changes in a namespace (null: cluster-scoped or all). */
    public synchronized void subscribe(ResourceType type, String namespace, Reader reader) throws FsException {
        String key = type.directoryName() + "@" + (namespace == null ? "" : namespace);
        Shared shared = watches.get(key);
        if (shared == null) {
            shared = new Shared(key);
            shared.watch = open(type, namespace, shared);
            watches.put(key, shared);
        }
        shared.readers.add(reader);
    }

    /** Removes a reader everywhere it is subscribed, closing watches nobody reads any more. */
    public synchronized void unsubscribe(Reader reader) {
        watches.values().removeIf(shared -> {
            shared.readers.remove(reader);
            if (!shared.readers.isEmpty()) {
                return false;
            }
            shared.watch.close();
            return true;
        });
    }

    /** How many upstream watches are open now. */
    public int open() {
        return watches.size();
    }

    private Watch open(ResourceType type, String namespace, Shared shared) throws FsException {
        var all = access.client().genericKubernetesResources(type.context());
        var scoped = namespace == null ? all.inAnyNamespace() : all.inNamespace(namespace);
        try {
            String now = scoped.list(new ListOptionsBuilder().withLimit(1L).build()).getMetadata().getResourceVersion();
            return scoped.watch(now, shared);
        } catch (RuntimeException e) {
            throw Errors.of("watch " + type.directoryName(), e);
        }
    }

    void closeAll() {
        watches.values().forEach(shared -> shared.watch.close());
        watches.clear();
    }
}
