package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.k9p.fs.Waiting;
import io.k9p.fs.FsException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The objects of every type in use, kept current by one watch per type (an informer) and shared
 * by every connection and mount of the cluster. A type's watch starts on first use; reads never
 * ask the API server.
 */
public final class ObjectCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ObjectCache.class.getName());
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    /** How long a write through k9p waits for its own watch event, so the next read shows it. */
    private static final Duration READ_YOUR_WRITES = Duration.ofSeconds(3);

    private final KubernetesClient client;
    private final Map<String, SharedIndexInformer<GenericKubernetesResource>> informers = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Function<GenericKubernetesResource, List<String>>>> extraIndexes =
            new ConcurrentHashMap<>();
    /** A type whose watch could not start is not tried again for a while: every read would ask. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private record Failure(FsException error, long at) {}
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();

    ObjectCache(KubernetesClient client) {
        this.client = client;
    }

    /** Asks for an index on a type's cache, before its first use; for example events by object. */
    void index(ResourceType type, String name, Function<GenericKubernetesResource, List<String>> function) {
        extraIndexes.computeIfAbsent(key(type), k -> new ConcurrentHashMap<>()).put(name, function);
    }

    /** The objects of a type in one namespace (or all, for null), sorted by name. */
    public List<GenericKubernetesResource> list(ResourceType type, String namespace) throws FsException {
        var indexer = informer(type).getIndexer();
        List<GenericKubernetesResource> objects = namespace == null || !type.namespaced()
                ? indexer.list()
                : indexer.byIndex(Cache.NAMESPACE_INDEX, namespace);
        return objects.stream()
                .sorted(Comparator.comparing((GenericKubernetesResource o) -> o.getMetadata().getName()))
                .toList();
    }

    List<GenericKubernetesResource> byIndex(ResourceType type, String index, String value) throws FsException {
        return informer(type).getIndexer().byIndex(index, value);
    }

    public GenericKubernetesResource get(ResourceType type, String namespace, String name) throws FsException {
        String key = type.namespaced() ? namespace + "/" + name : name;
        return informer(type).getIndexer().getByKey(key);
    }

    /**
     * Waits, briefly, until the cache shows what a write through k9p did, so that the next read
     * through any mount sees it; the watch usually delivers within milliseconds.
     */
    void awaitVisible(ResourceType type, String namespace, String name,
                      Predicate<GenericKubernetesResource> visible) throws FsException {
        long deadline = System.nanoTime() + READ_YOUR_WRITES.toNanos();
        while (!visible.test(get(type, namespace, name)) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static Predicate<GenericKubernetesResource> hasVersion(String resourceVersion) {
        return object -> object != null
                && Objects.equals(object.getMetadata().getResourceVersion(), resourceVersion);
    }

    static Predicate<GenericKubernetesResource> gone(String uid) {
        return object -> object == null || !Objects.equals(object.getMetadata().getUid(), uid);
    }

    private SharedIndexInformer<GenericKubernetesResource> informer(ResourceType type) throws FsException {
        String key = key(type);
        SharedIndexInformer<GenericKubernetesResource> informer = informers.get(key);
        if (informer != null) {
            return informer;
        }
        // Starting a watch lists the type: seconds for a big one.
        Waiting.mayWait();
        synchronized (this) {
            informer = informers.get(key);
            if (informer != null) {
                return informer;
            }
            Failure failed = failures.get(key);
            if (failed != null && System.nanoTime() - failed.at < RETRY_AFTER.toNanos()) {
                throw failed.error;
            }
            try {
                informer = start(type);
            } catch (FsException e) {
                failures.put(key, new Failure(e, System.nanoTime()));
                throw e;
            }
            failures.remove(key);
            informers.put(key, informer);
            return informer;
        }
    }

    private SharedIndexInformer<GenericKubernetesResource> start(ResourceType type) throws FsException {
        var operation = client.genericKubernetesResources(type.context()).inAnyNamespace();
        SharedIndexInformer<GenericKubernetesResource> informer = operation.runnableInformer(0)
                .itemStore(new CompactStore());
        var indexes = extraIndexes.get(key(type));
        if (indexes != null) {
            informer.addIndexers(indexes);
        }
        try {
            informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.log(Level.DEBUG, "watching {0}", type.directoryName());
            return informer;
        } catch (ExecutionException e) {
            informer.close();
            throw Errors.of("list " + type.directoryName(), e.getCause());
        } catch (TimeoutException e) {
            informer.close();
            throw Errors.of("list " + type.directoryName(), e);
        } catch (InterruptedException e) {
            informer.close();
            Thread.currentThread().interrupt();
            throw Errors.of("list " + type.directoryName(), e);
        }
    }

    private static String key(ResourceType type) {
        return type.group() + "/" + type.version() + "/" + type.plural();
    }

    @Override
    public void close() {
        informers.values().forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
