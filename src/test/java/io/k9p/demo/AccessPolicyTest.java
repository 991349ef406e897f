package io.k9p.demo;

import static io.k9p.demo.AccessPolicy.ALICE;
import static io.k9p.demo.AccessPolicy.ALICE_TOKEN;
import static io.k9p.demo.AccessPolicy.AUTHENTICATED;
import static io.k9p.demo.AccessPolicy.BOB;
import static io.k9p.demo.AccessPolicy.BOB_TOKEN;
import static io.k9p.demo.AccessPolicy.DEVELOPERS;
import static io.k9p.demo.AccessPolicy.VIEWERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.k9p.demo.AccessPolicy.Attributes;
import io.k9p.demo.AccessPolicy.Decision;
import io.k9p.demo.AccessPolicy.Rule;
import io.k9p.demo.AccessPolicy.Subject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo API server's authentication, impersonation, authorization and reviews, through fabric8 and raw HTTP. */
class AccessPolicyTest {
    private static final Subject ALICE_BY_TOKEN = new Subject(ALICE, List.of(DEVELOPERS, AUTHENTICATED));
    private static final Subject BOB_BY_TOKEN = new Subject(BOB, List.of(VIEWERS, AUTHENTICATED));
    private static final HttpClient http = HttpClient.newHttpClient();
    private static ApiServer server;
    private static final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = DemoCluster.start(0);
    }

    @AfterAll
    static void stop() {
        clients.forEach(KubernetesClient::close);
        server.close();
    }

    // ---- the policy itself

    @Test
    void theDemoPolicyKnowsTheTokensAndGrantsWhatItsRulesSay() {
        AccessPolicy policy = server.policy();
        assertThat(policy.authenticate(ALICE_TOKEN)).contains(ALICE_BY_TOKEN);
        assertThat(policy.authenticate(BOB_TOKEN)).contains(BOB_BY_TOKEN);
        assertThat(policy.authenticate("nope")).isEmpty();

        Subject alice = new Subject(ALICE, List.of(AUTHENTICATED));
        Subject bob = new Subject(BOB, List.of(AUTHENTICATED));
        assertThat(policy.authorize(alice, ask("list", "", "configmaps", "", "shop", "")))
                .isEqualTo(new Decision(true, "allowed by rule \"alice-reads-shop\""));
        assertThat(policy.authorize(alice, ask("watch", "apps", "deployments", "", "shop", "")).allowed()).isTrue();
        assertThat(policy.authorize(alice, ask("get", "", "pods", "log", "shop", "web-0")))
                .isEqualTo(new Decision(true, "allowed by rule \"alice-reads-shop-logs\""));
        assertThat(policy.authorize(alice, ask("patch", "", "configmaps", "", "shop", "settings")))
                .isEqualTo(new Decision(true, "allowed by rule \"alice-edits-shop-configmaps\""));
        assertThat(policy.authorize(alice, ask("get", "", "namespaces", "", "shop", "shop")).allowed()).isTrue();
        assertThat(policy.authorize(alice, ask("list", "", "secrets", "", "shop", "")))
                .isEqualTo(new Decision(false, "no rule allows user \"alice\" to list secrets in namespace \"shop\""));
        assertThat(policy.authorize(alice, ask("list", "", "namespaces", "", "", "")))
                .isEqualTo(new Decision(false,
                        "no rule allows user \"alice\" to list namespaces at the cluster scope"));
        assertThat(policy.authorize(alice, ask("get", "", "namespaces", "", "default", "default")).allowed()).isFalse();
        assertThat(policy.authorize(alice, ask("list", "", "configmaps", "", "default", "")).allowed()).isFalse();
        assertThat(policy.authorize(alice, ask("create", "", "configmaps", "", "shop", "")).allowed()).isFalse();
        assertThat(policy.authorize(alice, ask("update", "apps", "deployments", "scale", "shop", "web")))
                .isEqualTo(new Decision(false, "no rule allows user \"alice\" to update deployments/scale \"web\""
                        + " in API group \"apps\" in namespace \"shop\""));

        assertThat(policy.authorize(bob, ask("list", "", "nodes", "", "", ""))).isEqualTo(
                new Decision(true, "allowed by rule \"bob-reads-everything\""));
        assertThat(policy.authorize(bob, ask("list", "", "namespaces", "", "", "")).allowed()).isTrue();
        assertThat(policy.authorize(bob, ask("watch", "stable.example.com", "crontabs", "", "shop", "")).allowed())
                .isTrue();
        assertThat(policy.authorize(bob, ask("get", "", "pods", "log", "kube-system", DemoCluster.CRASHING_POD)))
                .isEqualTo(new Decision(true, "allowed by rule \"bob-reads-logs\""));
        assertThat(policy.authorize(bob, ask("get", "", "secrets", "", "kube-system", "x")).allowed()).isFalse();
        assertThat(policy.authorize(bob, ask("get", "apps", "statefulsets", "scale", "shop", "web")).allowed())
                .as("a * rule grants no subresource").isFalse();
        for (String write : List.of("create", "update", "patch", "delete", "deletecollection", "impersonate")) {
            assertThat(policy.authorize(bob, ask(write, "", "configmaps", "", "shop", "")).allowed()).as(write)
                    .isFalse();
        }
        assertThat(policy.authorize(new Subject("carol", List.of(DEVELOPERS, VIEWERS, AUTHENTICATED)),
                ask("list", "", "configmaps", "", "shop", "")).allowed()).as("the demo's rules are for users")
                .isFalse();

        assertThat(policy.authorizePath(alice, "get", "/apis").allowed()).isTrue();
        assertThat(policy.authorizePath(new Subject("carol", List.of()), "get", "/apis"))
                .isEqualTo(new Decision(false, "no rule allows user \"carol\" to get path \"/apis\""));
    }

    @Test
    void rulesForGroupsApplyToTheirMembers() {
        AccessPolicy policy = new AccessPolicy(Map.of(), List.of(Rule.named("developers-read-pods")
                .groups(DEVELOPERS).verbs("get").apiGroups("").resources("pods")));
        Attributes getPod = ask("get", "", "pods", "", "default", "web");
        assertThat(policy.authorize(new Subject("carol", List.of(DEVELOPERS)), getPod).allowed()).isTrue();
        assertThat(policy.authorize(new Subject("carol", List.of(VIEWERS)), getPod).allowed()).isFalse();
        assertThat(policy.authorize(new Subject(DEVELOPERS, List.of()), getPod).allowed())
                .as("a group's name is no user's").isFalse();
    }

    @Test
    void requestsAreAuthorizedByTheVerbResourceAndNamespaceOfTheirPath() {
        assertThat(AccessControl.attributes("GET", "/api/v1/namespaces/shop/configmaps?limit=500"))
                .contains(ask("list", "", "configmaps", "", "shop", ""));
        assertThat(AccessControl.attributes("GET", "/api/v1/namespaces/shop/configmaps?watch=true"))
                .contains(ask("watch", "", "configmaps", "", "shop", ""));
        assertThat(AccessControl.attributes("GET", "/api/v1/namespaces/shop/configmaps?watch=1&fieldSelector="
                + "metadata.name%3Dsettings")).contains(ask("watch", "", "configmaps", "", "shop", "settings"));
        assertThat(AccessControl.attributes("GET", "/api/v1/namespaces/shop/pods/web-0/log?follow=true"))
                .contains(ask("get", "", "pods", "log", "shop", "web-0"));
        assertThat(AccessControl.attributes("PATCH", "/apis/apps/v1/namespaces/shop/statefulsets/web/scale"))
                .contains(ask("patch", "apps", "statefulsets", "scale", "shop", "web"));
        assertThat(AccessControl.attributes("POST", "/api/v1/namespaces/shop/configmaps"))
                .contains(ask("create", "", "configmaps", "", "shop", ""));
        assertThat(AccessControl.attributes("PUT", "/api/v1/namespaces/shop/configmaps/settings"))
                .contains(ask("update", "", "configmaps", "", "shop", "settings"));
        assertThat(AccessControl.attributes("DELETE", "/api/v1/namespaces/shop/configmaps/settings"))
                .contains(ask("delete", "", "configmaps", "", "shop", "settings"));
        assertThat(AccessControl.attributes("DELETE", "/api/v1/namespaces/shop/configmaps?labelSelector=a"))
                .contains(ask("deletecollection", "", "configmaps", "", "shop", ""));
        assertThat(AccessControl.attributes("GET", "/api/v1/namespaces/shop"))
                .contains(ask("get", "", "namespaces", "", "shop", "shop"));
        assertThat(AccessControl.attributes("PUT", "/api/v1/namespaces/shop/status"))
                .contains(ask("update", "", "namespaces", "status", "shop", "shop"));
        assertThat(AccessControl.attributes("GET", "/api/v1/namespaces?fieldSelector=metadata.name%3D%3Dshop"))
                .contains(ask("list", "", "namespaces", "", "", "shop"));
        assertThat(AccessControl.attributes("GET", "/api/v1/nodes")).contains(ask("list", "", "nodes", "", "", ""));
        assertThat(AccessControl.attributes("GET", "/apis/apps/v1")).isEmpty();
        assertThat(AccessControl.attributes("GET", "/version")).isEmpty();
    }

    // ---- enforcement

    @Test
    void impersonatedRequestsActAsTheImpersonatedSubjectAndAreRecorded() {
        KubernetesClient alice = client(config -> config.withImpersonateUsername(ALICE)
                .withImpersonateGroups(DEVELOPERS));
        int before = server.subjectRequests().size();
        assertThat(alice.configMaps().inNamespace("shop").list().getItems())
                .extracting(cm -> cm.getMetadata().getName()).contains("settings");
        assertThatThrownBy(() -> alice.secrets().inNamespace("shop").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("secrets is forbidden: User \"alice\" cannot list"
                            + " resource \"secrets\" in API group \"\" in the namespace \"shop\"");
                });
        List<SubjectRequest> made = since(before);
        List<String> groups = List.of(DEVELOPERS, AUTHENTICATED);
        assertThat(made).containsExactly(
                new SubjectRequest("GET", "/api/v1/namespaces/shop/configmaps", ALICE, groups, true, 200),
                new SubjectRequest("GET", "/api/v1/namespaces/shop/secrets", ALICE, groups, true, 403));

        int admin = server.subjectRequests().size();
        server.client().secrets().inNamespace("shop").list();
        assertThat(server.subjectRequests()).as("the admin's requests are not recorded").hasSize(admin);
    }

    @Test
    void anImpersonatedUserWithoutGroupsIsInTheAuthenticatedGroupOnly() throws Exception {
        int before = server.subjectRequests().size();
        HttpResponse<String> response = send("GET", "/api/v1/namespaces/shop", null, "Impersonate-User", BOB);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(since(before)).containsExactly(
                new SubjectRequest("GET", "/api/v1/namespaces/shop", BOB, List.of(AUTHENTICATED), true, 200));
    }

    @Test
    void bearerTokensActAsTheirSubjects() {
        KubernetesClient bob = client(config -> config.withOauthToken(BOB_TOKEN));
        int before = server.subjectRequests().size();
        assertThat(bob.nodes().list().getItems()).hasSize(2);
        assertThatThrownBy(() -> bob.configMaps().inNamespace("shop").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("bobs").endMetadata().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .isEqualTo("configmaps is forbidden: User \"bob\" cannot create resource \"configmaps\" in API"
                                + " group \"\" in the namespace \"shop\""));
        assertThat(server.client().configMaps().inNamespace("shop").withName("bobs").get()).isNull();
        assertThat(since(before)).containsExactly(
                new SubjectRequest("GET", "/api/v1/nodes", BOB, BOB_BY_TOKEN.groups(), false, 200),
                new SubjectRequest("POST", "/api/v1/namespaces/shop/configmaps", BOB, BOB_BY_TOKEN.groups(), false,
                        403));
    }

    @Test
    void anUnknownBearerTokenIsUnauthorizedEvenForDiscovery() throws Exception {
        int before = server.subjectRequests().size();
        for (String path : List.of("/api/v1/namespaces/shop/configmaps", "/apis", "/version")) {
            HttpResponse<String> response = send("GET", path, null, "Authorization", "Bearer nope");
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.body()).as(path).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                    + "\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
        }
        assertThat(send("GET", "/version", null, "Authorization", "Basic YWxpY2U6c2VjcmV0").statusCode())
                .as("only bearer tokens are known").isEqualTo(401);
        assertThat(server.subjectRequests()).as("no subject made them").hasSize(before);
    }

    @Test
    void aDenialIsTheRealServersForbiddenStatus() throws Exception {
        HttpResponse<String> update = send("PUT", "/api/v1/namespaces/shop/configmaps/settings",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\"}}",
                "Authorization", "Bearer " + BOB_TOKEN);
        assertThat(update.statusCode()).isEqualTo(403);
        assertThat(update.body()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"configmaps \\\"settings\\\" is forbidden:"
                + " User \\\"bob\\\" cannot update resource \\\"configmaps\\\" in API group \\\"\\\""
                + " in the namespace \\\"shop\\\"\","
                + "\"reason\":\"Forbidden\",\"details\":{\"name\":\"settings\",\"kind\":\"configmaps\"},\"code\":403}");
        assertThat(server.client().configMaps().inNamespace("shop").withName("settings").get().getData())
                .as("unchanged").containsKey("color");

        HttpResponse<String> scale = send("PUT", "/apis/apps/v1/namespaces/shop/statefulsets/web/scale",
                "{\"spec\":{\"replicas\":5}}", "Impersonate-User", ALICE);
        assertThat(scale.body()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Failure\",\"message\":\"statefulsets.apps \\\"web\\\" is forbidden: User \\\"alice\\\""
                + " cannot update resource \\\"statefulsets/scale\\\" in API group \\\"apps\\\" in the namespace"
                + " \\\"shop\\\"\",\"reason\":\"Forbidden\",\"details\":{\"name\":\"web\",\"group\":\"apps\","
                + "\"kind\":\"statefulsets\"},\"code\":403}");

        HttpResponse<String> namespaces = send("GET", "/api/v1/namespaces", null, "Impersonate-User", ALICE);
        assertThat(namespaces.statusCode()).isEqualTo(403);
        assertThat(ApiResponses.parse(namespaces.body()).path("message").asString()).isEqualTo("namespaces is"
                + " forbidden: User \"alice\" cannot list resource \"namespaces\" in API group \"\" at the cluster"
                + " scope");
    }

    @Test
    void discoveryVersionAndHealthAreOpenToEveryAuthenticatedSubject() throws Exception {
        for (String path : List.of("/api", "/api/v1", "/apis", "/apis/apps/v1", "/version", "/healthz")) {
            assertThat(send("GET", path, null, "Authorization", "Bearer " + ALICE_TOKEN).statusCode()).as(path)
                    .isEqualTo(200);
        }
        HttpResponse<String> unauthenticated = send("GET", "/apis", null,
                "Impersonate-User", "carol", "Impersonate-Group", "system:unauthenticated");
        assertThat(unauthenticated.statusCode()).isEqualTo(403);
        assertThat(ApiResponses.parse(unauthenticated.body()).path("message").asString())
                .isEqualTo("forbidden: User \"carol\" cannot get path \"/apis\"");
    }

    @Test
    void onlyTheAdminMayImpersonate() throws Exception {
        int before = server.subjectRequests().size();
        HttpResponse<String> response = send("GET", "/api/v1/namespaces/shop/configmaps", null,
                "Authorization", "Bearer " + BOB_TOKEN, "Impersonate-User", ALICE);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(ApiResponses.parse(response.body()).path("message").asString()).isEqualTo("users \"alice\" is"
                + " forbidden: User \"bob\" cannot impersonate resource \"users\" in API group \"\" at the cluster"
                + " scope");
        assertThat(since(before)).containsExactly(new SubjectRequest("GET", "/api/v1/namespaces/shop/configmaps", BOB,
                BOB_BY_TOKEN.groups(), false, 403));

        HttpResponse<String> groupsAlone = send("GET", "/api/v1/namespaces/shop/configmaps", null,
                "Impersonate-Group", DEVELOPERS);
        assertThat(groupsAlone.statusCode()).isEqualTo(400);
    }

    @Test
    void watchesAndFollowedLogsAreAuthorizedToo() throws Exception {
        String podLog = "/api/v1/namespaces/shop/pods/web-0/log?container=nginx&follow=true";
        HttpResponse<InputStream> allowedLog = stream(podLog, "Impersonate-User", ALICE);
        allowedLog.body().close();
        assertThat(allowedLog.statusCode()).isEqualTo(200);
        HttpResponse<InputStream> deniedLog = stream(podLog.replace("shop/pods/web-0", "kube-system/pods/"
                + DemoCluster.CRASHING_POD).replace("nginx", "coredns"), "Impersonate-User", ALICE);
        assertThat(deniedLog.statusCode()).isEqualTo(403);
        assertThat(ApiResponses.parse(new String(deniedLog.body().readAllBytes())).path("message").asString())
                .isEqualTo("pods \"" + DemoCluster.CRASHING_POD + "\" is forbidden: User \"alice\" cannot get resource"
                        + " \"pods/log\" in API group \"\" in the namespace \"kube-system\"");

        HttpResponse<InputStream> allowedWatch = stream("/api/v1/namespaces/shop/configmaps?watch=true",
                "Impersonate-User", ALICE);
        allowedWatch.body().close();
        assertThat(allowedWatch.statusCode()).isEqualTo(200);
        HttpResponse<InputStream> deniedWatch = stream("/api/v1/namespaces/shop/secrets?watch=true",
                "Impersonate-User", ALICE);
        deniedWatch.body().close();
        assertThat(deniedWatch.statusCode()).isEqualTo(403);

        KubernetesClient alice = client(config -> config.withImpersonateUsername(ALICE));
        int before = server.subjectRequests().size();
        try (Watch watch = alice.configMaps().inNamespace("shop").watch(ignoring())) {
            assertThat(since(before)).extracting(SubjectRequest::path, SubjectRequest::status).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("/api/v1/namespaces/shop/configmaps?allowWatchBookmarks=true"
                            + "&watch=true", 101));
        }
        assertThatThrownBy(() -> alice.secrets().inNamespace("shop").watch(ignoring()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    // ---- reviews

    @Test
    void tokenReviewsSayWhoATokenIs() {
        long before = server.tokenReviews();
        TokenReview good = server.client().authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(ALICE_TOKEN).endSpec().build());
        assertThat(good.getStatus().getAuthenticated()).isTrue();
        assertThat(good.getStatus().getUser().getUsername()).isEqualTo(ALICE);
        assertThat(good.getStatus().getUser().getGroups()).containsExactly(DEVELOPERS, AUTHENTICATED);
        assertThat(good.getStatus().getError()).isNull();
        assertThat(good.getSpec().getToken()).isEqualTo(ALICE_TOKEN);

        TokenReview bad = server.client().authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken("nope").endSpec().build());
        assertThat(bad.getStatus().getAuthenticated()).isFalse();
        assertThat(bad.getStatus().getUser().getUsername()).isNull();
        assertThat(bad.getStatus().getError()).isEqualTo("invalid bearer token");
        assertThat(server.tokenReviews()).isEqualTo(before + 2);
    }

    @Test
    void subjectAccessReviewsAnswerFromThePolicy() {
        long before = server.subjectAccessReviews();
        SubjectAccessReview allowed = review(ALICE, "list", "", "configmaps", "", "shop");
        assertThat(allowed.getStatus().getAllowed()).isTrue();
        assertThat(allowed.getStatus().getReason()).isEqualTo("allowed by rule \"alice-reads-shop\"");
        assertThat(allowed.getSpec().getUser()).isEqualTo(ALICE);

        SubjectAccessReview denied = review(ALICE, "list", "", "secrets", "", "shop");
        assertThat(denied.getStatus().getAllowed()).isFalse();
        assertThat(denied.getStatus().getReason())
                .isEqualTo("no rule allows user \"alice\" to list secrets in namespace \"shop\"");

        assertThat(review(BOB, "get", "", "pods", "log", "kube-system").getStatus().getAllowed()).isTrue();
        assertThat(review(BOB, "update", "apps", "deployments", "scale", "kube-system").getStatus().getAllowed())
                .isFalse();

        SubjectAccessReview path = server.client().authorization().v1().subjectAccessReview().create(
                new SubjectAccessReviewBuilder().withNewSpec().withUser(ALICE).withGroups(AUTHENTICATED)
                        .withNewNonResourceAttributes().withVerb("get").withPath("/version").endNonResourceAttributes()
                        .endSpec().build());
        assertThat(path.getStatus().getAllowed()).isTrue();
        assertThat(server.subjectAccessReviews()).isEqualTo(before + 5);
    }

    @Test
    void onlyTheAdminMayAskForReviewsAndReviewsAreNotKept() throws Exception {
        long tokenReviews = server.tokenReviews();
        KubernetesClient alice = client(config -> config.withOauthToken(ALICE_TOKEN));
        assertThatThrownBy(() -> alice.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                .withNewSpec().withToken(BOB_TOKEN).endSpec().build()))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .isEqualTo("tokenreviews.authentication.k8s.io is forbidden: User \"alice\" cannot create"
                                + " resource \"tokenreviews\" in API group \"authentication.k8s.io\" at the"
                                + " cluster scope"));
        assertThat(server.tokenReviews()).isEqualTo(tokenReviews);
        assertThat(send("GET", "/apis/authentication.k8s.io/v1/tokenreviews", null).statusCode()).isEqualTo(405);
        assertThat(send("GET", "/apis/authorization.k8s.io/v1/subjectaccessreviews", null).statusCode())
                .isEqualTo(405);
    }

    @Test
    void discoveryListsTheReviewsAsCreateOnly() {
        KubernetesClient admin = server.client();
        assertThat(admin.getApiGroups().getGroups()).extracting(g -> g.getName())
                .contains("authentication.k8s.io", "authorization.k8s.io");
        APIResource tokenReviews = admin.getApiResources("authentication.k8s.io/v1").getResources().getFirst();
        assertThat(tokenReviews.getName()).isEqualTo("tokenreviews");
        assertThat(tokenReviews.getKind()).isEqualTo("TokenReview");
        assertThat(tokenReviews.getNamespaced()).isFalse();
        assertThat(tokenReviews.getVerbs()).containsExactly("create");
        APIResource accessReviews = admin.getApiResources("authorization.k8s.io/v1").getResources().getFirst();
        assertThat(accessReviews.getName()).isEqualTo("subjectaccessreviews");
        assertThat(accessReviews.getKind()).isEqualTo("SubjectAccessReview");
        assertThat(accessReviews.getVerbs()).containsExactly("create");
    }

    private static SubjectAccessReview review(String user, String verb, String group, String resource,
            String subresource, String namespace) {
        return server.client().authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec().withUser(user).withNewResourceAttributes().withVerb(verb).withGroup(group)
                .withResource(resource).withSubresource(subresource).withNamespace(namespace).endResourceAttributes()
                .endSpec().build());
    }

    private static Attributes ask(String verb, String group, String resource, String subresource, String namespace,
            String name) {
        return new Attributes(verb, group, resource, subresource, namespace, name);
    }

    /** The subject requests recorded after the first {@code before}. */
    private static List<SubjectRequest> since(int before) {
        List<SubjectRequest> all = server.subjectRequests();
        return all.subList(before, all.size());
    }

    /** A client of the server, closed with it, whose configuration the given function completes. */
    private static KubernetesClient client(UnaryOperator<ConfigBuilder> configure) {
        Config config = configure.apply(new ConfigBuilder(Config.empty()).withMasterUrl(server.url())
                .withHttp2Disable(true)).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        clients.add(client);
        return client;
    }

    /** A request with the given headers (name, value, name, value...) and an optional JSON body. */
    private static HttpResponse<String> send(String method, String path, String body, String... headers)
            throws Exception {
        return http.send(request(method, path, body, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET whose answer may go on: the response comes with its head. */
    private static HttpResponse<InputStream> stream(String path, String... headers) throws Exception {
        return http.send(request("GET", path, null, headers), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static HttpRequest request(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    private static <T> Watcher<T> ignoring() {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T resource) {
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        };
    }
}
