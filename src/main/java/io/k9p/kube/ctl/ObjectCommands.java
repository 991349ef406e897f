package io.k9p.kube.ctl;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.FsException;
import io.k9p.kube.cluster.Access;
import io.k9p.kube.cluster.Access.Verb;
import io.k9p.kube.cluster.ResourceType;

/** The commands of an object's {@code ctl} file, run as the attaching identity. */
public final class ObjectCommands {
    /** The object a ctl file belongs to, as the cache has it when the command is written. */
    public record ObjectTarget(Access access, ResourceType type, GenericKubernetesResource object, String where)
            implements Target {
        String name() {
            return object.getMetadata().getName();
        }
    }

    /**
     * {@code delete NAME}: the object's name, repeated, so that a copy of the tree written back (a
     * read shows {@code delete NAME}, and no object is named NAME) deletes nothing. A namespace
     * goes with everything in it, as {@code kubectl delete namespace} does.
     */
    private static final Command<ObjectTarget> DELETE = new Command<>("delete", "NAME",
            target -> target.access().may(Verb.DELETE, target.type(), target.object().getMetadata().getNamespace()),
            ObjectCommands::delete);

    private static final Commands<ObjectTarget> EVERY_OBJECT = new Commands<>(DELETE);

    private ObjectCommands() {
    }

    /**
     * The commands an object of the type accepts: those every object takes. No type has verbs of
     * its own yet; a rollout's restart or a node's cordon would join them here.
     */
    public static Commands<ObjectTarget> of(ResourceType type) {
        return EVERY_OBJECT;
    }

    private static void delete(ObjectTarget target, Arguments arguments) throws FsException {
        String name = arguments.one();
        if (!name.equals(target.name())) {
            throw arguments.invalid(BadCommand.quote(name) + " is not the name of this " + target.type().kind()
                    + ": write 'delete " + target.name() + "' to delete it");
        }
        target.access().writer().delete(target.where(), target.type(), target.object());
    }
}
