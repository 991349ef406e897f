package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.k9p.fs.FsException;
import io.k9p.fs.Waiting;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The objects of every type in use, kept current by one watch per type (an informer) and shared
 * by every connection and mount of the cluster; reads never ask the API server. A type's watch
 * starts at its first use and is released, its objects dropped, once nobody has used the type for
 * the idle time: the next use lists it again. While a type cannot be watched its reads are served
 * from what is kept, and {@link #staleness} says since when and why; an informer that stops for
 * good is replaced at a use, with backoff. The changes k9p makes show in the next read at once,
 * watch or no watch ({@link WrittenObjects}).
 */
public final class ObjectCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ObjectCache.class.getName());
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    /** How often each type's watch is looked at, and idle ones released. */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(250);
    /** A type whose first list failed is not listed again for a while: every read would ask. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private record Failure(FsException error, long at, Instant when) {}

    private final KubernetesClient client;
    private final ApiRequests requests;
    private final Duration idle;
    private final Map<String, CachedType> types = new ConcurrentHashMap<>();
    /** One lock per type key, so that one type's slow first list holds up no other type. */
    private final Map<String, Object> starting = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Function<GenericKubernetesResource, List<String>>>> extraIndexes =
            new ConcurrentHashMap<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final WrittenObjects written = new WrittenObjects();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("k9p-cache-checks").factory());

    ObjectCache(KubernetesClient client, ApiRequests requests, Duration idle) {
        this.client = client;
        this.requests = requests;
        this.idle = idle;
        checks.scheduleWithFixedDelay(this::check, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Asks for an index on a type's cache, before its first use; for example events by object. */
    void index(ResourceType type, String name, Function<GenericKubernetesResource, List<String>> function) {
        extraIndexes.computeIfAbsent(key(type), k -> new ConcurrentHashMap<>()).put(name, function);
    }

    /** The objects of a type in one namespace (or all, for null), sorted by name. */
    public List<GenericKubernetesResource> list(ResourceType type, String namespace) throws FsException {
        CachedType cached = use(type);
        var indexer = cached.informer.getIndexer();
        boolean all = namespace == null || !type.namespaced();
        List<GenericKubernetesResource> kept = all ? indexer.list() : indexer.byIndex(Cache.NAMESPACE_INDEX, namespace);
        Map<String, GenericKubernetesResource> pending = written.pending(key(type));
        List<GenericKubernetesResource> objects = new ArrayList<>(kept.size() + pending.size());
        if (pending.isEmpty()) {
            objects.addAll(kept);
        } else {
            Map<String, GenericKubernetesResource> byKey = new LinkedHashMap<>();
            kept.forEach(object -> byKey.put(Cache.metaNamespaceKeyFunc(object), object));
            String synced = cached.informer.lastSyncResourceVersion();
            for (String key : pending.keySet()) {
                byKey.compute(key, (k, object) -> written.resolve(key(type), k, object, synced));
            }
            byKey.values().stream()
                    .filter(object -> all || namespace.equals(object.getMetadata().getNamespace()))
                    .forEach(objects::add);
        }
        objects.sort(Comparator.comparing((GenericKubernetesResource o) -> o.getMetadata().getName()));
        return objects;
    }

    List<GenericKubernetesResource> byIndex(ResourceType type, String index, String value) throws FsException {
        return use(type).informer.getIndexer().byIndex(index, value);
    }

    public GenericKubernetesResource get(ResourceType type, String namespace, String name) throws FsException {
        String key = type.namespaced() ? namespace + "/" + name : name;
        CachedType cached = use(type);
        return written.resolve(key(type), key, cached.informer.getIndexer().getByKey(key),
                cached.informer.lastSyncResourceVersion());
    }

    /** A change k9p made, as the API server answered it: the next read shows it, watch or no watch. */
    void written(ResourceType type, GenericKubernetesResource object) {
        written.wrote(key(type), Cache.metaNamespaceKeyFunc(object), object);
    }

    /** An object k9p deleted: the next read no longer shows it (or shows it terminating, once the watch does). */
    void deleted(ResourceType type, GenericKubernetesResource object) {
        written.deleted(key(type), Cache.metaNamespaceKeyFunc(object), object.getMetadata().getUid());
    }

    /**
     * One line that says since when and why a type's cache is not current, or that it could not
     * be listed; empty when it is current, or not kept at all. Reading it is no use of the type.
     */
    public String staleness(ResourceType type) {
        CachedType cached = types.get(key(type));
        if (cached != null) {
            return cached.staleness();
        }
        Failure failed = failures.get(key(type));
        return failed == null ? "" : failed.when + " " + failed.error.getMessage() + "\n";
    }

    /** The type's cache, its informer started (the first use lists the type) or replaced if it stopped. */
    private CachedType use(ResourceType type) throws FsException {
        String key = key(type);
        CachedType cached = types.get(key);
        if (cached != null) {
            cached.used();
            if (cached.stopped()) {
                replace(key, cached);
            }
            return cached;
        }
        // Starting a watch lists the type: seconds for a big one.
        Waiting.mayWait();
        synchronized (starting.computeIfAbsent(key, k -> new Object())) {
            cached = types.get(key);
            if (cached != null) {
                cached.used();
                return cached;
            }
            Failure failed = failures.get(key);
            if (failed != null && System.nanoTime() - failed.at < RETRY_AFTER.toNanos()) {
                throw failed.error;
            }
            try {
                cached = start(type);
            } catch (FsException e) {
                failures.put(key, new Failure(e, System.nanoTime(), Instant.now().truncatedTo(ChronoUnit.SECONDS)));
                throw e;
            }
            failures.remove(key);
            types.put(key, cached);
            return cached;
        }
    }

    private CachedType start(ResourceType type) throws FsException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SharedIndexInformer<GenericKubernetesResource> informer = informer(type, failure);
        try {
            informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.log(Level.DEBUG, "watching {0}", type.directoryName());
            return new CachedType(type, informer, failure);
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

    /**
     * An informer of the type, not started. fabric8 retries lists and watches itself while it has
     * ever listed the type, and stops on what it takes for a bug of its own (an event it cannot
     * read); its handler's verdict stays fabric8's, and each failure is kept to say why.
     */
    private SharedIndexInformer<GenericKubernetesResource> informer(ResourceType type,
            AtomicReference<Throwable> failure) {
        SharedIndexInformer<GenericKubernetesResource> informer = client.genericKubernetesResources(type.context())
                .inAnyNamespace().runnableInformer(0).itemStore(new CompactStore());
        var indexes = extraIndexes.get(key(type));
        if (indexes != null) {
            informer.addIndexers(indexes);
        }
        informer.exceptionHandler((started, t) -> {
            failure.set(t);
            return started && !(t instanceof WatcherException);
        });
        return informer;
    }

    /** Starts a new informer in place of one that stopped for good, if the backoff allows; reads go on meanwhile. */
    private void replace(String key, CachedType stopped) {
        if (!stopped.mayReplace()) {
            return;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SharedIndexInformer<GenericKubernetesResource> informer = informer(stopped.type, failure);
        informer.start().toCompletableFuture().orTimeout(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, t) -> {
                    if (t != null) {
                        informer.close();
                        stopped.replacementFailed(Errors.of("list " + stopped.type.directoryName(), t).getMessage());
                        return;
                    }
                    CachedType fresh = new CachedType(stopped.type, informer, failure);
                    fresh.usedAsOf(stopped);
                    if (types.replace(key, stopped, fresh)) {
                        stopped.informer.close();
                        LOG.log(Level.INFO, "{0}: the informer that stopped is replaced; watching again",
                                stopped.type.directoryName());
                    } else {
                        informer.close();
                    }
                });
    }

    /** Looks at every type's watch: says in the log when one stops or starts being current, and releases idle ones. */
    private void check() {
        try {
            for (Map.Entry<String, CachedType> entry : types.entrySet()) {
                CachedType cached = entry.getValue();
                if (cached.idleFor(idle)) {
                    release(entry.getKey(), cached);
                    continue;
                }
                cached.check(requests);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "checking the watches failed: {0}", e.toString());
            LOG.log(Level.DEBUG, "checking the watches failed", e);
        }
    }

    /** Stops the type's watch and drops its objects; the next use lists it again. */
    private void release(String key, CachedType cached) {
        if (types.remove(key, cached)) {
            cached.informer.close();
            written.forget(key);
            LOG.log(Level.DEBUG, "released the watch of {0}: unused for {1} s", cached.type.directoryName(),
                    idle.toSeconds());
        }
    }

    private static String key(ResourceType type) {
        return type.group() + "/" + type.version() + "/" + type.plural();
    }

    @Override
    public void close() {
        checks.shutdownNow();
        types.values().forEach(cached -> cached.informer.close());
        types.clear();
    }
}
