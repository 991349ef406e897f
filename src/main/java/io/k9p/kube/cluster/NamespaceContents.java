package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.k9p.fs.FsException;
import io.k9p.fs.Waiting;
import io.k9p.protocol.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Whether a namespace holds objects, as the API server answers the identity: one small list of
 * every namespaced type that discovery lists, all at once. What Kubernetes itself puts in every
 * namespace (the ServiceAccount {@code default}, the ConfigMap {@code kube-root-ca.crt}) and
 * Events, which nobody keeps, do not count. The cache is not asked: it may lag, and may not hold
 * every type.
 */
public final class NamespaceContents {
    /** More than the one object per type that Kubernetes makes, so a page holds one of the user's. */
    private static final long PAGE = 2;

    private NamespaceContents() {
    }

    /**
     * One object of each type the namespace holds, as {@code type/name}; empty when it holds none.
     * A namespace is empty only when every type said so: where none holds objects but one could
     * not be listed, that failure is thrown (EACCES for a type the identity may not list).
     */
    public static List<String> sample(Access access, String namespace) throws FsException {
        Waiting.mayWait();
        List<ResourceType> types = access.cluster().discovery().types(true).stream()
                .filter(type -> !isEvent(type))
                .toList();
        try (ExecutorService lists = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<String>>> answers = new ArrayList<>();
            for (ResourceType type : types) {
                answers.add(lists.submit(() -> first(access, type, namespace)));
            }
            List<String> held = new ArrayList<>();
            FsException unanswered = null;
            for (Future<Optional<String>> answer : answers) {
                try {
                    answer(answer).ifPresent(held::add);
                } catch (FsException e) {
                    unanswered = unanswered == null ? e : unanswered;
                }
            }
            if (held.isEmpty() && unanswered != null) {
                throw unanswered;
            }
            held.sort(null);
            return held;
        }
    }

    private static Optional<String> answer(Future<Optional<String>> answer) throws FsException {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EINTR, "interrupted while listing the namespace's objects", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FsException failure) {
                throw failure;
            }
            throw new FsException(Errno.EIO, "listing the namespace's objects: " + e.getCause(), e.getCause());
        }
    }

    /** The first object of the type in the namespace that Kubernetes did not make itself. */
    private static Optional<String> first(Access access, ResourceType type, String namespace) throws FsException {
        String next = null;
        do {
            String page = next;
            GenericKubernetesResourceList list;
            try {
                list = access.client().genericKubernetesResources(type.context()).inNamespace(namespace)
                        .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(page).build());
            } catch (RuntimeException e) {
                FsException failure = Errors.of("list " + type.directoryName() + " in namespace " + namespace, e);
                if (failure.errno() == Errno.ENOENT && page == null) {
                    return Optional.empty(); // the type went away since discovery
                }
                throw failure;
            }
            for (GenericKubernetesResource object : list.getItems()) {
                if (!madeByKubernetes(type, object.getMetadata().getName())) {
                    return Optional.of(type.directoryName() + "/" + object.getMetadata().getName());
                }
            }
            next = list.getMetadata() == null ? null : list.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return Optional.empty();
    }

    private static boolean isEvent(ResourceType type) {
        return type.kind().equals("Event") && (type.group().isEmpty() || type.group().equals("events.k8s.io"));
    }

    private static boolean madeByKubernetes(ResourceType type, String name) {
        return type.isCore("serviceaccounts") && name.equals("default")
                || type.isCore("configmaps") && name.equals("kube-root-ca.crt");
    }
}
