package io.k9p.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.k9p.auth.UserMap;
import io.k9p.demo.AccessPolicy;
import io.k9p.demo.SubjectRequest;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Dialect;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Qid;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import io.k9p.testing.SubjectRequests;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.PathClient;
import io.k9p.testing.RawClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whom each attach is served as, over 9P against the demo API server and its policy: alice may
 * read namespace shop but its secrets and change its configmaps; bob may read everything but
 * secrets and change nothing. Attaches name uids over a Unix socket (the kernel's way) or bring
 * tokens over TCP; what k9p replies is checked, and what the API server received.
 */
@Timeout(120)
class IdentityTest {
    private static final int ALICE_UID = 1001;
    private static final int BOB_UID = 1002;
    private static final int CAROL_UID = 1004;
    private static final int STRANGER_UID = 1003;
    private static final String SHOP = "namespaces/shop";
    private static final String SETTINGS = SHOP + "/configmaps/settings";

    @TempDir
    Path work;
    private ClusterServer cluster;
    private Endpoint unix;
    private Endpoint tokens;

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterServer.demo();
        UserMap users = UserMap.parse("""
                # uid user groups
                %d alice developers
                %d bob viewers
                %d carol auditors
                """.formatted(ALICE_UID, BOB_UID, CAROL_UID), "test user map");
        unix = cluster.listen(Endpoint.parse("unix:" + work.resolve("k9p.sock")), users, false);
        tokens = cluster.listen(Endpoint.parse("127.0.0.1:0"), UserMap.EMPTY, true);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aMappedUidReadsWhatItsPolicyAllowsAndNothingElse() throws Exception {
        try (PathClient alice = PathClient.attach(unix, "", ALICE_UID, null);
             PathClient owner = cluster.attach()) {
            assertThat(alice.read(SETTINGS + "/data.yaml")).isEqualTo(owner.read(SETTINGS + "/data.yaml"));
            assertThat(alice.list(SHOP + "/configmaps")).contains("settings");

            assertErrno(() -> alice.list(SHOP + "/secrets"), Errno.EACCES);
            assertThat(alice.read(SHOP + "/secrets/.error")).contains("alice").contains("may not list secrets in namespace shop");
            assertErrno(() -> alice.read(SHOP + "/secrets/db-credentials/data.yaml"), Errno.EACCES);
            assertErrno(() -> alice.list("namespaces/kube-system/pods"), Errno.EACCES);
            assertErrno(() -> alice.read("namespaces/kube-system/pods/.error"), null);
            assertErrno(() -> alice.list("cluster/nodes"), Errno.EACCES);
            assertErrno(() -> alice.read(SHOP + "/secrets/watch"), Errno.EACCES);
            // Namespaces: only the one she may get is listed; another is still reached by name.
            assertThat(alice.list("namespaces")).containsExactly("shop", ".error");
            assertThat(alice.list("namespaces/kube-system")).contains("pods");
            // Only the owner sees the secret.
            assertThat(owner.list(SHOP + "/secrets")).contains("db-credentials");
        }
        List<SubjectRequest> seen = cluster.api.subjectRequests();
        assertThat(cluster.api.subjectAccessReviews()).isPositive();
        // Reads come from the shared cache: the API server saw no read as alice, only reviews asked about her.
        assertThat(seen).noneMatch(request -> request.user().equals(AccessPolicy.ALICE) && request.method().equals("GET")
                && request.path().contains("/configmaps"));
    }

    @Test
    void aLogTheUserMayNotReadIsListedEmptyAndThePodsErrorSaysWhy() throws Exception {
        String pod = SHOP + "/pods/web-0";
        try (PathClient carol = PathClient.attach(unix, "", CAROL_UID, null);
             PathClient owner = cluster.attach()) {
            assertThat(owner.read(pod + "/logs/nginx")).as("the owner reads the log").isNotEmpty();
            assertThat(carol.list(pod + "/logs")).contains("nginx");
            assertThat(carol.stat(pod + "/logs/nginx").size()).as("a log carol may not read stats empty").isZero();
            assertThat(carol.read(pod + "/logs/nginx")).isEmpty();
            assertThat(carol.read(pod + "/error")).contains("logs/nginx is empty").contains("forbidden")
                    .contains("User \"carol\"");
            assertThat(owner.read(pod + "/error")).as("what carol may not read is carol's own note").isEmpty();
        }
        SubjectRequests.assertImpersonated(cluster.api, "GET", "/api/v1/namespaces/shop/pods/web-0/log",
                "carol", AccessPolicy.AUDITORS, 403);
    }

    @Test
    void aChangeGoesToTheApiServerAsTheUserWithImpersonation() throws Exception {
        try (PathClient alice = PathClient.attach(unix, "", ALICE_UID, null)) {
            assertThat(alice.stat(SETTINGS + "/data.yaml").permissions()).isEqualTo(0644);
            alice.write(SETTINGS + "/data/color", "green");
        }
        assertThat(settings().getData()).containsEntry("color", "green");
        SubjectRequests.assertImpersonatedPatch(cluster.api, "/api/v1/namespaces/shop/configmaps/settings", AccessPolicy.ALICE, AccessPolicy.DEVELOPERS, 200);
    }

    @Test
    void aChangeDeniedByRbacChangesNothing() throws Exception {
        ConfigMap before = settings();
        try (PathClient bob = PathClient.attach(unix, "", BOB_UID, null)) {
            assertThat(bob.read(SETTINGS + "/data/color")).isEqualTo("blue");
            // Read but not change: no write bits.
            assertThat(bob.stat(SETTINGS + "/data.yaml").permissions()).isEqualTo(0444);
            assertThat(bob.stat(SETTINGS + "/data/color").permissions()).isEqualTo(0444);
            assertThat(bob.stat(SHOP + "/statefulsets/web/scale").permissions()).isEqualTo(0444);
            assertErrno(() -> bob.write(SETTINGS + "/data/color", "red"), Errno.EACCES);
            assertErrno(() -> bob.write(SHOP + "/statefulsets/web/scale", "5"), Errno.EACCES);
            assertThat(bob.read(SETTINGS + "/error")).contains("forbidden").contains("User \"bob\"");
        }
        ConfigMap after = settings();
        assertThat(after.getData()).isEqualTo(before.getData());
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(cluster.kube.apps().statefulSets().inNamespace("shop").withName("web").get().getSpec().getReplicas())
                .isNotEqualTo(5);
        SubjectRequests.assertImpersonatedPatch(cluster.api, "/api/v1/namespaces/shop/configmaps/settings", AccessPolicy.BOB, AccessPolicy.VIEWERS, 403);
    }

    @Test
    void anUnmappedUidIsRefusedAndRootAndTheMountActAsTheOwner() throws Exception {
        assertErrno(() -> PathClient.attach(unix, "", STRANGER_UID, null).close(), Errno.EACCES);
        for (int owner : List.of(0, -1)) {
            try (PathClient root = PathClient.attach(unix, "", owner, null)) {
                assertThat(root.list(SHOP + "/secrets")).contains("db-credentials");
            }
        }
    }

    @Test
    void overTcpTheUidIsTheClientsWordAndIgnored() throws Exception {
        try (PathClient claimsAlice = PathClient.attach(cluster.endpoint, "", ALICE_UID, null)) {
            assertThat(claimsAlice.list(SHOP + "/secrets")).contains("db-credentials");
        }
        assertThat(cluster.api.subjectRequests()).isEmpty();
        assertThat(cluster.api.subjectAccessReviews()).isZero();
    }

    @Test
    void withAuthTokenAnAttachActsAsTheTokensUser() throws Exception {
        long reviewed = cluster.api.tokenReviews();
        try (PathClient alice = PathClient.attach(tokens, "", null, AccessPolicy.ALICE_TOKEN)) {
            assertThat(alice.read(SETTINGS + "/data/color")).isEqualTo("blue");
            assertErrno(() -> alice.list(SHOP + "/secrets"), Errno.EACCES);
        }
        assertThat(cluster.api.tokenReviews()).isEqualTo(reviewed + 1);
        try (PathClient bob = PathClient.attach(tokens, "", null, AccessPolicy.BOB_TOKEN)) {
            assertThat(bob.list("namespaces/kube-system/pods")).isNotEmpty();
            assertThat(bob.stat(SETTINGS + "/data.yaml").permissions()).isEqualTo(0444);
        }
    }

    @Test
    void withAuthTokenABadTokenOrNoneIsRefusedAndOthersGoOn() throws Exception {
        assertErrno(() -> PathClient.attach(tokens, "", null, "not-a-token").close(), Errno.EACCES);
        assertErrno(() -> PathClient.attach(tokens, "", null, null).close(), Errno.EACCES);
        try (PathClient alice = PathClient.attach(tokens, "", null, AccessPolicy.ALICE_TOKEN)) {
            assertThat(alice.read(SETTINGS + "/data/color")).isEqualTo("blue");
        }
        // The loopback endpoint without --auth token is as it was.
        try (PathClient owner = cluster.attach()) {
            assertThat(owner.list(SHOP + "/secrets")).contains("db-credentials");
        }
    }

    @Test
    void anAfidIsATokensPlaceAndNothingElse() throws Exception {
        try (RawClient client = RawClient.connect(tokens, Dialect.P9P2000_L, 65536)) {
            Rmessage.Auth auth = RawClient.expect(client.call(new Tmessage.Auth(1, "alice", "", -1)), Rmessage.Auth.class);
            assertThat(auth.aqid().type()).isEqualTo(Qid.QTAUTH);
            assertThat(lerror(client.call(new Tmessage.Write(1, 0, new byte[16 * 1024 + 1]))))
                    .isEqualTo(Errno.EMSGSIZE.number());
            assertThat(lerror(client.call(new Tmessage.Walk(1, 2, List.of("namespaces"))))).isEqualTo(Errno.ENOTDIR.number());
            // An attach naming an afid with nothing written is refused; so is one naming a fid that no Tauth made.
            assertThat(lerror(client.call(new Tmessage.Attach(3, 1, "alice", "", -1)))).isEqualTo(Errno.EACCES.number());
            byte[] token = (AccessPolicy.ALICE_TOKEN + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            RawClient.expect(client.call(new Tmessage.Write(1, 0, token)), Rmessage.Write.class);
            RawClient.expect(client.call(new Tmessage.Attach(3, 1, "alice", "", -1)), Rmessage.Attach.class);
            assertThat(lerror(client.call(new Tmessage.Attach(4, 3, "alice", "", -1)))).isEqualTo(Errno.EINVAL.number());
            assertThat(lerror(client.call(new Tmessage.Write(1, token.length, token)))).isEqualTo(Errno.EBUSY.number());
        }
        try (RawClient plain = RawClient.connect(cluster.endpoint, Dialect.P9P2000_L, 65536)) {
            assertThat(lerror(plain.call(new Tmessage.Auth(1, "alice", "", -1)))).isEqualTo(Errno.ENOENT.number());
        }
    }

    private static int lerror(Rmessage reply) {
        return RawClient.expect(reply, Rmessage.Lerror.class).errno();
    }

    private ConfigMap settings() {
        return cluster.kube.configMaps().inNamespace("shop").withName("settings").get();
    }

    private interface Attempt {
        void run() throws Exception;
    }

    /** The attempt fails with that errno; with null, it succeeds. */
    private static void assertErrno(Attempt attempt, Errno errno) throws Exception {
        if (errno == null) {
            attempt.run();
            return;
        }
        assertThatThrownBy(attempt::run)
                .isInstanceOfSatisfying(PathClient.Failure.class, failure -> assertThat(failure.errno).isEqualTo(errno.number()));
    }
}
