package io.k9p.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what at the demo API server: bearer tokens stand for subjects, and allow rules grant
 * subjects verbs on resources, much as a real server's token file and RBAC bindings do. Requests
 * that bring no credentials and impersonate no one are the kubeconfig's admin, which this policy
 * never has to ask about: the admin may do everything, impersonating anyone included.
 *
 * <p>Unlike RBAC, a rule's {@code *} resource names every whole resource and no subresource: a
 * log ({@code pods/log}) or a scale ({@code deployments/scale}) is granted by name, so a rule that
 * lets a subject read everything does not let it read logs too.
 */
public final class AccessPolicy {
    public static final String ALICE = "alice";
    public static final String ALICE_TOKEN = "alice-token";
    public static final String DEVELOPERS = "developers";
    public static final String BOB = "bob";
    public static final String BOB_TOKEN = "bob-token";
    public static final String VIEWERS = "viewers";
    /** A group with no token of its own, for impersonated users: reads objects, not their logs. */
    public static final String AUDITORS = "auditors";
    /** The service account deploy/ runs k9p as, and its token, as a pod's kubelet would mount it. */
    public static final String SERVICE_ACCOUNT = "system:serviceaccount:k9p:k9p";
    public static final String SERVICE_ACCOUNT_TOKEN = "k9p-service-account-token";
    /** The group the real API server adds to every authenticated user, impersonated ones too. */
    public static final String AUTHENTICATED = "system:authenticated";

    private static final String ANY = "*";

    /** A user and the groups it is in. */
    public record Subject(String user, List<String> groups) {
        public Subject {
            groups = List.copyOf(groups);
        }
    }

    /**
     * What a request asks to do, as a SubjectAccessReview's {@code resourceAttributes} put it: the
     * core group, no subresource, the cluster scope and no name are each the empty string. A
     * namespace's own namespace is its name, as the real server has it.
     */
    public record Attributes(String verb, String group, String resource, String subresource, String namespace,
            String name) {
        /** {@code resource} or {@code resource/subresource}, as rules and messages name it. */
        public String resourcePath() {
            return subresource.isEmpty() ? resource : resource + "/" + subresource;
        }
    }

    /** Whether the policy allows a request, and why: the rule that allows it, or what no rule allows. */
    public record Decision(boolean allowed, String reason) {
    }

    /**
     * One allow rule: for its users and the members of its groups, its verbs on its resources
     * (less the excepted ones) of its API groups, in its namespaces or, when it names none,
     * everywhere: in every namespace and at the cluster scope. {@code *} stands for any verb, API
     * group or whole resource.
     */
    record Rule(String name, Set<String> users, Set<String> groups, Set<String> verbs, Set<String> apiGroups,
            Set<String> resources, Set<String> exceptResources, Set<String> namespaces) {

        /** A rule that allows nothing yet: the methods below say to whom it applies and what it allows. */
        static Rule named(String name) {
            return new Rule(name, Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());
        }

        Rule users(String... users) {
            return new Rule(name, Set.of(users), groups, verbs, apiGroups, resources, exceptResources, namespaces);
        }

        Rule groups(String... groups) {
            return new Rule(name, users, Set.of(groups), verbs, apiGroups, resources, exceptResources, namespaces);
        }

        Rule verbs(String... verbs) {
            return new Rule(name, users, groups, Set.of(verbs), apiGroups, resources, exceptResources, namespaces);
        }

        Rule apiGroups(String... apiGroups) {
            return new Rule(name, users, groups, verbs, Set.of(apiGroups), resources, exceptResources, namespaces);
        }

        Rule resources(String... resources) {
            return new Rule(name, users, groups, verbs, apiGroups, Set.of(resources), exceptResources, namespaces);
        }

        Rule except(String... resources) {
            return new Rule(name, users, groups, verbs, apiGroups, this.resources, Set.of(resources), namespaces);
        }

        Rule namespaces(String... namespaces) {
            return new Rule(name, users, groups, verbs, apiGroups, resources, exceptResources, Set.of(namespaces));
        }

        boolean appliesTo(Subject subject) {
            return users.contains(subject.user()) || subject.groups().stream().anyMatch(groups::contains);
        }

        boolean allows(Attributes request) {
            return matches(verbs, request.verb())
                    && matches(apiGroups, request.group())
                    && (resources.contains(request.resourcePath())
                            || resources.contains(ANY) && request.subresource().isEmpty())
                    && !exceptResources.contains(request.resourcePath())
                    && (namespaces.isEmpty() || namespaces.contains(request.namespace()));
        }

        private static boolean matches(Set<String> allowed, String value) {
            return allowed.contains(ANY) || allowed.contains(value);
        }
    }

    private final Map<String, Subject> subjectsByToken;
    private final List<Rule> rules;

    AccessPolicy(Map<String, Subject> subjectsByToken, List<Rule> rules) {
        this.subjectsByToken = Map.copyOf(subjectsByToken);
        this.rules = List.copyOf(rules);
    }

    /**
     * The demo cluster's policy. alice ({@value #ALICE_TOKEN}, group {@value #DEVELOPERS}) reads
     * everything but Secrets in namespace shop, pod logs there included, and updates and patches
     * its ConfigMaps; at the cluster scope she may read nothing, but the namespace shop itself is in
     * namespace shop, so she may get that (and no other namespace, nor list them). bob
     * ({@value #BOB_TOKEN}, group {@value #VIEWERS}) reads everything but Secrets everywhere,
     * namespaces, nodes and pod logs included, and writes nothing. Members of group
     * {@value #AUDITORS} (no token: reached by impersonation, as a user map's entries are) read
     * everything but Secrets everywhere, and no pod's log. k9p's own service account
     * ({@value #SERVICE_ACCOUNT_TOKEN}) has what deploy/'s ClusterRole grants it: everything,
     * impersonation and reviews included, and the logs and scales it reads and writes.
     */
    public static AccessPolicy demo() {
        return new AccessPolicy(
                Map.of(ALICE_TOKEN, new Subject(ALICE, List.of(DEVELOPERS, AUTHENTICATED)),
                        BOB_TOKEN, new Subject(BOB, List.of(VIEWERS, AUTHENTICATED)),
                        SERVICE_ACCOUNT_TOKEN, new Subject(SERVICE_ACCOUNT,
                                List.of("system:serviceaccounts", "system:serviceaccounts:k9p", AUTHENTICATED))),
                List.of(
                        Rule.named("alice-reads-shop").users(ALICE).verbs("get", "list", "watch")
                                .apiGroups(ANY).resources(ANY).except("secrets").namespaces("shop"),
                        Rule.named("alice-reads-shop-logs").users(ALICE).verbs("get")
                                .apiGroups("").resources("pods/log").namespaces("shop"),
                        Rule.named("alice-edits-shop-configmaps").users(ALICE).verbs("update", "patch")
                                .apiGroups("").resources("configmaps").namespaces("shop"),
                        Rule.named("bob-reads-everything").users(BOB).verbs("get", "list", "watch")
                                .apiGroups(ANY).resources(ANY).except("secrets"),
                        Rule.named("bob-reads-logs").users(BOB).verbs("get")
                                .apiGroups("").resources("pods/log"),
                        Rule.named("auditors-read-objects").groups(AUDITORS).verbs("get", "list", "watch")
                                .apiGroups(ANY).resources(ANY).except("secrets"),
                        Rule.named("k9p-service-account").users(SERVICE_ACCOUNT).verbs(ANY).apiGroups(ANY)
                                .resources(ANY, "pods/log", "deployments/scale", "replicasets/scale",
                                        "statefulsets/scale", "replicationcontrollers/scale")));
    }

    /** The subject a bearer token stands for, or empty when the token is unknown. */
    public Optional<Subject> authenticate(String token) {
        return Optional.ofNullable(subjectsByToken.get(token));
    }

    /**
     * Whether a subject may reach a path that names no resource (discovery, {@code /version},
     * {@code /healthz}): every authenticated user may, as the real server's {@code system:discovery}
     * and {@code system:public-info-viewer} roles have it.
     */
    public Decision authorizePath(Subject subject, String verb, String path) {
        return subject.groups().contains(AUTHENTICATED)
                ? new Decision(true, "allowed to every member of group \"%s\"".formatted(AUTHENTICATED))
                : new Decision(false, "no rule allows user \"%s\" to %s path \"%s\"".formatted(
                        subject.user(), verb, path));
    }

    /** Whether a rule allows a subject a request, naming the first rule that does. */
    public Decision authorize(Subject subject, Attributes request) {
        for (Rule rule : rules) {
            if (rule.appliesTo(subject) && rule.allows(request)) {
                return new Decision(true, "allowed by rule \"%s\"".formatted(rule.name()));
            }
        }
        List<String> what = new ArrayList<>(List.of(request.verb(), request.resourcePath()));
        if (!request.name().isEmpty()) {
            what.add("\"" + request.name() + "\"");
        }
        if (!request.group().isEmpty()) {
            what.add("in API group \"" + request.group() + "\"");
        }
        what.add(request.namespace().isEmpty() ? "at the cluster scope"
                : "in namespace \"" + request.namespace() + "\"");
        return new Decision(false,
                "no rule allows user \"%s\" to %s".formatted(subject.user(), String.join(" ", what)));
    }
}
