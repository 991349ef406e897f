package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.k9p.fs.Waiting;
import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.FsException;
import io.k9p.kube.render.KubectlYaml;
import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Every change k9p makes to the cluster. A whole object is sent with the resourceVersion the writer
 * saw, so a change based on a stale read is refused (409) and changes nothing; a change to part of
 * one ({@link #patch}) is a JSON patch whose tests say what that part must still hold, so that only
 * a change to that part refuses it. Failures are recorded where the object's {@code error} file
 * shows them; successes go into the shared cache as the API server answered them, so the next read
 * through any mount shows them, even while the type's watch is down.
 */
public final class ObjectWriter {
    private final Access access;

    ObjectWriter(Access access) {
        this.access = access;
    }

    /** Parses what a program wrote, YAML or JSON of one object, as kubectl apply reads it. */
    public GenericKubernetesResource parse(byte[] content) throws FsException {
        Map<String, Object> tree;
        try {
            tree = KubectlYaml.read(new String(content, StandardCharsets.UTF_8), BufferedOpenFile.MAX_SIZE);
        } catch (IllegalArgumentException e) {
            throw new FsException(Errno.EINVAL, "invalid YAML: " + firstLine(e.getMessage()), e);
        }
        if (!(tree.get("metadata") instanceof Map<?, ?>)) {
            throw new FsException(Errno.EINVAL, "not an object with metadata");
        }
        try {
            return access.cluster().serialization().convertValue(tree, GenericKubernetesResource.class);
        } catch (RuntimeException e) {
            throw new FsException(Errno.EINVAL, "not a Kubernetes object: " + firstLine(e.getMessage()), e);
        }
    }

    public GenericKubernetesResource create(String where, ResourceType type, String namespace,
                                     GenericKubernetesResource object) throws FsException {
        try {
            checkKind(type, object);
            if (type.namespaced()) {
                String declared = object.getMetadata().getNamespace();
                if (declared != null && !declared.equals(namespace)) {
                    throw new FsException(Errno.EINVAL, "namespace " + declared + " written into " + namespace);
                }
                object.getMetadata().setNamespace(namespace);
            }
            object.getMetadata().setResourceVersion(null);
            GenericKubernetesResource created = call("create " + type.kind(),
                    () -> operation(type, namespace).resource(object).create());
            access.cluster().cache().written(type, created);
            access.succeeded(where);
            return created;
        } catch (FsException e) {
            throw access.fail(where, e);
        }
    }

    /** PUT of a whole object as written; name, namespace and kind must stay what they are. */
    public void replace(String where, ResourceType type, GenericKubernetesResource current,
                 GenericKubernetesResource written) throws FsException {
        try {
            checkKind(type, written);
            var was = current.getMetadata();
            var is = written.getMetadata();
            if (!was.getName().equals(is.getName())
                    || (type.namespaced() && is.getNamespace() != null && !is.getNamespace().equals(was.getNamespace()))) {
                throw new FsException(Errno.EINVAL, "name, namespace and kind cannot be changed");
            }
            is.setNamespace(was.getNamespace());
            GenericKubernetesResource updated = call("update " + was.getName(),
                    () -> operation(type, was.getNamespace()).resource(written).update());
            visible(type, updated);
            access.succeeded(where);
        } catch (FsException e) {
            throw access.fail(where, e);
        }
    }

    /**
     * A change to part of an object, as a JSON patch built against the object as it is: its tests
     * hold what that part must still be (else {@link #against} throws, ESTALE with the reason), and
     * its other operations fit the object's shape (a map that must be made first, say).
     */
    @FunctionalInterface
    public interface PatchPlan {
        /** The patch to send, given the object now; an empty one when there is nothing to change. */
        JsonPatch against(GenericKubernetesResource current) throws FsException;
    }

    /** How many times a patch is built again when the object's shape changed under it. */
    private static final int PATCH_ATTEMPTS = 5;

    /**
     * Sends the plan's JSON patch, without a resourceVersion: the API server applies it to the
     * object as it is, at once, and refuses it whole (422, with no field named) when a test or a path
     * fails. The plan then decides again on the object read anew: ESTALE if its part changed, else
     * a patch for the object's new shape.
     */
    public void patch(String where, ResourceType type, GenericKubernetesResource seen, PatchPlan plan) throws FsException {
        try {
            var metadata = seen.getMetadata();
            GenericKubernetesResource current = seen;
            for (int attempt = 1; ; attempt++) {
                JsonPatch patch = plan.against(current);
                if (patch.isEmpty()) {
                    access.succeeded(where);
                    return;
                }
                GenericKubernetesResource target = current;
                try {
                    GenericKubernetesResource patched = call("patch " + metadata.getName(),
                            () -> operation(type, metadata.getNamespace()).resource(target)
                                    .patch(PatchContext.of(PatchType.JSON), patch.toString()));
                    visible(type, patched);
                    access.succeeded(where);
                    return;
                } catch (FsException e) {
                    if (!notApplied(e) || attempt == PATCH_ATTEMPTS) {
                        throw e;
                    }
                }
                current = call("get " + metadata.getName(),
                        () -> operation(type, metadata.getNamespace()).withName(metadata.getName()).get());
                if (current == null || !java.util.Objects.equals(current.getMetadata().getUid(), metadata.getUid())) {
                    throw new FsException(Errno.ENOENT, metadata.getName() + " no longer exists");
                }
            }
        } catch (FsException e) {
            throw access.fail(where, e);
        }
    }

    /** A JSON patch that could not be applied: 422 naming no field, unlike a refusal by validation. */
    private static boolean notApplied(FsException failure) {
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof io.fabric8.kubernetes.client.KubernetesClientException api) {
                var status = api.getStatus();
                return api.getCode() == 422 && (status == null || status.getDetails() == null
                        || status.getDetails().getCauses() == null || status.getDetails().getCauses().isEmpty());
            }
        }
        return false;
    }

    public void scale(String where, ResourceType type, GenericKubernetesResource object, int replicas) throws FsException {
        try {
            var metadata = object.getMetadata();
            GenericKubernetesResource scaled = call("scale " + metadata.getName(),
                    () -> operation(type, metadata.getNamespace()).withName(metadata.getName()).scale(replicas));
            if (scaled != null) {
                visible(type, scaled);
            }
            access.succeeded(where);
        } catch (FsException e) {
            throw access.fail(where, e);
        }
    }

    public void delete(String where, ResourceType type, GenericKubernetesResource object) throws FsException {
        try {
            var metadata = object.getMetadata();
            call("delete " + metadata.getName(),
                    () -> operation(type, metadata.getNamespace()).withName(metadata.getName()).delete());
            access.cluster().cache().deleted(type, object);
            access.succeeded(where);
        } catch (FsException e) {
            throw access.fail(where, e);
        }
    }

    private void visible(ResourceType type, GenericKubernetesResource updated) {
        access.cluster().cache().written(type, updated);
    }

    private static void checkKind(ResourceType type, GenericKubernetesResource object) throws FsException {
        if (object.getKind() != null && !object.getKind().equals(type.kind())) {
            throw new FsException(Errno.EINVAL, "a " + object.getKind() + " does not belong among " + type.directoryName());
        }
        object.setKind(type.kind());
        if (object.getApiVersion() == null) {
            object.setApiVersion(type.apiVersion());
        }
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            operation(ResourceType type, String namespace) {
        var all = access.client().genericKubernetesResources(type.context());
        return type.namespaced() ? all.inNamespace(namespace) : all;
    }

    private interface ApiCall<T> {
        T run();
    }

    private static <T> T call(String operation, ApiCall<T> call) throws FsException {
        Waiting.mayWait();
        try {
            return call.run();
        } catch (RuntimeException e) {
            throw Errors.of(operation, e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
