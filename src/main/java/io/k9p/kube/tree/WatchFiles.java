package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watcher;
import io.k9p.fs.BlockingStream;
import io.k9p.fs.FsException;
import io.k9p.fs.LineQueue;
import io.k9p.kube.cluster.Access;
import io.k9p.kube.cluster.ResourceType;
import io.k9p.kube.cluster.WatchHub;
import io.k9p.kube.render.Fields;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * The stream files made of watch events: a type's {@code watch}, a namespace's {@code watch} (all
 * its types) and a namespace's {@code events.follow} (its Kubernetes events as they arrive).
 */
final class WatchFiles {
    static final String WATCH = "watch";
    static final String EVENTS = "events.follow";
    private static final System.Logger LOG = System.getLogger(WatchFiles.class.getName());

    private WatchFiles() {
    }

    /** {@code <type>/watch}: {@code MODIFIED deployments coredns 4711}, one line per change. */
    static StreamFile ofType(KubeTree tree, ResourceType type, String namespace, String where) {
        return new StreamFile(tree, WATCH, where + "/" + WATCH) {
            @Override
            BlockingStream.Source start() throws FsException {
                access.check(where, Access.Verb.WATCH, type, namespace);
                return subscribe(access, List.of(type), namespace, (action, object) ->
                        action + " " + type.directoryName() + " " + object.getMetadata().getName()
                                + " " + object.getMetadata().getResourceVersion());
            }
        };
    }

    /** {@code namespaces/<ns>/watch}: every namespaced type's changes, with the namespace. */
    static StreamFile ofNamespace(KubeTree tree, String namespace) {
        return new StreamFile(tree, WATCH, "/namespaces/" + namespace + "/" + WATCH) {
            @Override
            BlockingStream.Source start() throws FsException {
                List<ResourceType> types = cluster.discovery().types(true);
                return subscribe(access, types, namespace, (action, object) ->
                        action + " " + directoryOf(types, object) + " " + namespace + " "
                                + object.getMetadata().getName() + " " + object.getMetadata().getResourceVersion());
            }
        };
    }

    /** {@code namespaces/<ns>/events.follow}: {@code Warning BackOff Pod/web-0 Back-off restarting ...}. */
    static StreamFile ofEvents(KubeTree tree, String namespace) {
        return new StreamFile(tree, EVENTS, "/namespaces/" + namespace + "/" + EVENTS) {
            @Override
            BlockingStream.Source start() throws FsException {
                return subscribe(access, List.of(cluster.events()), namespace, (action, event) ->
                        action == Watcher.Action.DELETED ? null
                                : Fields.string(event, "type") + " " + Fields.string(event, "reason") + " "
                                + Fields.string(event, "involvedObject.kind") + "/"
                                + Fields.string(event, "involvedObject.name") + " "
                                + String.valueOf(Fields.string(event, "message")).replace('\n', ' '));
            }
        };
    }

    private static BlockingStream.Source subscribe(Access access, List<ResourceType> types, String namespace,
            BiFunction<Watcher.Action, GenericKubernetesResource, String> format) throws FsException {
        AtomicReference<WatchHub.Reader> self = new AtomicReference<>();
        LineQueue queue = new LineQueue(WatchHub.READER_CAPACITY, () -> access.watches().unsubscribe(self.get()));
        WatchHub.Reader reader = new WatchHub.Reader(queue, format);
        self.set(reader);
        FsException first = null;
        int subscribed = 0;
        for (ResourceType type : types) {
            try {
                access.watches().subscribe(type, type.namespaced() ? namespace : null, reader);
                subscribed++;
            } catch (FsException e) {
                LOG.log(Level.DEBUG, "not watching {0}: {1}", type.directoryName(), e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (subscribed == 0 && first != null) {
            throw first;
        }
        return queue;
    }

    private static String directoryOf(List<ResourceType> types, GenericKubernetesResource object) {
        String apiVersion = object.getApiVersion();
        for (ResourceType type : types) {
            if (type.kind().equals(object.getKind()) && type.apiVersion().equals(apiVersion)) {
                return type.directoryName();
            }
        }
        return object.getKind();
    }
}
