package io.k9p.kube.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.k9p.fs.Waiting;
import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.FsException;
import io.k9p.kube.render.KubectlYaml;
import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Every change k9p makes to the cluster: each one is sent with the resourceVersion the writer saw,
 * so a change based on a stale read is refused (409) and changes nothing. Failures are recorded
 * where the object's {@code error} file shows them; successes go into the shared cache as the API
 * server answered them, so the next read through any mount shows them, even while the type's
 * watch is down.
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

    /** Changes part of the object as the writer saw it at open, keeping its resourceVersion. */
    public void edit(String where, ResourceType type, GenericKubernetesResource seen,
              UnaryOperator<GenericKubernetesResource> change) throws FsException {
        try {
            GenericKubernetesResource copy = access.cluster().serialization().clone(seen);
            // The cache holds managedFields without their field sets: an update without any keeps
            // the API server's own, where one with them would replace its record of who owns what.
            copy.getMetadata().setManagedFields(null);
            GenericKubernetesResource edited = change.apply(copy);
            var metadata = seen.getMetadata();
            GenericKubernetesResource updated = call("update " + metadata.getName(),
                    () -> operation(type, metadata.getNamespace()).resource(edited).update());
            visible(type, updated);
            access.succeeded(where);
        } catch (FsException e) {
            throw access.fail(where, e);
        }
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
