package io.k9p.kube.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.k9p.auth.Identity;
import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * One identity's access to a cluster. Reads come from the cluster's shared cache once the identity
 * may make them; changes, logs and watch streams go to the API server as the identity
 * (impersonation), so RBAC and audit see the real user. The owner, the server's own credentials,
 * asks no reviews.
 */
public final class Access {
    private static final System.Logger LOG = System.getLogger(Access.class.getName());

    /** The verbs k9p asks about, as RBAC names them. */
    public enum Verb {
        GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE;

        String rbac() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Cluster cluster;
    private final Identity identity;
    private final KubernetesClient client;
    /** Null for the owner, who may do whatever its credentials let the API server allow. */
    private final AccessReviews reviews;
    private final LastErrors errors = new LastErrors();
    private final UnavailableReads unavailable = new UnavailableReads();
    private final ObjectWriter writer = new ObjectWriter(this);
    private final PodLogs logs = new PodLogs(this);
    private final WatchHub watches = new WatchHub(this);
    private final DeletionGuard deletions;

    Access(Cluster cluster, Identity identity, KubernetesClient client, AccessReviews reviews) {
        this.cluster = cluster;
        this.identity = identity;
        this.client = client;
        this.reviews = reviews;
        this.deletions = new DeletionGuard(this, cluster.deletionLimit());
    }

    public Cluster cluster() {
        return cluster;
    }

    /** The client that acts as this identity. */
    KubernetesClient client() {
        return client;
    }

    public ObjectWriter writer() {
        return writer;
    }

    public PodLogs logs() {
        return logs;
    }

    public WatchHub watches() {
        return watches;
    }

    /** The stop on bursts of deletions through this identity's tree. */
    public DeletionGuard deletions() {
        return deletions;
    }

    /**
     * Refuses with EACCES, and the API server's reason in {@code where}'s error file, unless the
     * identity may do {@code verb} on the type in the namespace (null: cluster-wide).
     */
    public void check(String where, Verb verb, ResourceType type, String namespace) throws FsException {
        check(where, verb, type.group(), type.plural(), namespace, null);
    }

    /** {@link #check} of one object by name, or of a subresource such as {@code pods/log}. */
    public void check(String where, Verb verb, String group, String resource, String namespace, String name)
            throws FsException {
        if (reviews == null) {
            return;
        }
        AccessReviews.Answer answer = ask(verb, group, resource, namespace, name);
        if (!answer.allowed()) {
            String scope = namespace == null ? "cluster-wide" : "in namespace " + namespace;
            String message = identity + " may not " + verb.rbac() + " " + resource + (name == null ? "" : " " + name)
                    + " " + scope + (answer.reason().isEmpty() ? "" : ": " + answer.reason());
            errors.record(where, message);
            LOG.log(Level.DEBUG, "{0}", message);
            throw new FsException(Errno.EACCES, message);
        }
    }

    /** Whether the identity may; for the write bits of what it reads. An unanswered review is no. */
    public boolean may(Verb verb, ResourceType type, String namespace) {
        return may(verb, type.group(), type.plural(), namespace, null);
    }

    public boolean may(Verb verb, String group, String resource, String namespace, String name) {
        if (reviews == null) {
            return true;
        }
        try {
            return ask(verb, group, resource, namespace, name).allowed();
        } catch (FsException e) {
            return false;
        }
    }

    private AccessReviews.Answer ask(Verb verb, String group, String resource, String namespace, String name)
            throws FsException {
        String[] parts = resource.split("/", 2);
        return reviews.answer(new AccessReviews.Question(verb.rbac(), group, parts[0],
                parts.length > 1 ? parts[1] : null, namespace, name));
    }

    /** Records a failed change where the object's {@code error} file shows it, and logs it. */
    public FsException fail(String where, FsException failure) {
        errors.record(where, failure.getMessage());
        LOG.log(Level.WARNING, "{0}: {1}", describe(), failure.getMessage());
        return failure;
    }

    /**
     * Records why a file of a place reads empty (a log the API server has not), where the place's
     * error file shows it; logged only with -v, as it is the cluster's state, not a failure of k9p's.
     */
    void unavailable(String where, String file, String reason) {
        unavailable.record(where, file, reason);
        LOG.log(Level.DEBUG, "{0}: {1}", describe(), reason);
    }

    /** The file reads again: its line goes from the error file. */
    void available(String where, String file) {
        unavailable.clear(where, file);
    }

    /**
     * Records a change k9p itself refuses (a deletion that needs an explicit act) where the error
     * file shows it; logged only with -v, as a recursive rm may meet thousands.
     */
    public FsException refuse(String where, FsException refusal) {
        errors.record(where, refusal.getMessage());
        LOG.log(Level.DEBUG, "{0}: {1}", describe(), refusal.getMessage());
        return refusal;
    }

    /** The context and identity, as log lines name them. */
    String describe() {
        return (cluster.context().isEmpty() ? "k9p" : cluster.context())
                + (identity instanceof Identity.User user ? " as " + user.name() : "");
    }

    void succeeded(String where) {
        errors.clear(where);
    }

    /**
     * The last failed change or refused read at a place, with its time, then why any of its files
     * reads empty, a line each; or nothing.
     */
    public String lastError(String where) {
        return errors.get(where) + unavailable.get(where);
    }

    void close() {
        watches.closeAll();
        if (client != cluster.client()) {
            client.close();
        }
    }
}
