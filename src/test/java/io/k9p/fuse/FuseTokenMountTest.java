package io.k9p.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.auth.UserMap;
import io.k9p.demo.AccessPolicy;
import io.k9p.net.Endpoint;
import io.k9p.testing.SubjectRequests;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.OrdinaryUser;
import io.k9p.testing.ProcessRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code k9p mount --server ADDRESS --token-file FILE} to a {@code k9p serve --auth token}, as an
 * ordinary user: the mount acts as the token's user, and a mount without a token is refused.
 */
class FuseTokenMountTest {
    private static final String SETTINGS = "namespaces/shop/configmaps/settings";

    private Path work;
    private OrdinaryUser user;
    private K9pCommand k9p;
    private ClusterServer cluster;
    private Endpoint tokens;

    @BeforeEach
    void start() throws Exception {
        work = Files.createTempDirectory("k9p-fuse-token");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        user = OrdinaryUser.require(work.resolve("home"));
        MountProcess.requireFuse(user);
        k9p = K9pCommand.copiedTo(work.resolve("k9p"), user);
        cluster = ClusterServer.demo();
        tokens = cluster.listen(Endpoint.parse("127.0.0.1:0"), UserMap.EMPTY, true);
    }

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        ProcessRun removed = ProcessRun.of(new ProcessBuilder("rm", "-rf", "--one-file-system", work.toString()),
                Duration.ofMinutes(1));
        assertThat(removed.exit()).as("removing %s: %s", work, removed).isZero();
    }

    @Test
    void aMountWithAlicesTokenActsAsAlice() throws Exception {
        Path token = user.writeFile(work.resolve("home/alice.token"), AccessPolicy.ALICE_TOKEN + "\n");
        Path point = user.createDirectory(work.resolve("home/k8s"));
        try (MountProcess mount = MountProcess.start(user, k9p,
                List.of("--server", tokens.toString(), "--token-file", token.toString()), point)) {
            mount.awaitMounted();
            assertThat(user.run(point, "cat", SETTINGS + "/data/color").out()).isEqualTo("blue");
            ProcessRun secrets = user.run(point, "ls", "namespaces/shop/secrets");
            assertThat(secrets.exit()).as("%s", secrets).isNotZero();
            assertThat(secrets.err()).contains("Permission denied");
            assertThat(user.run(point, "cat", "namespaces/shop/secrets/.error").out())
                    .contains("may not list secrets in namespace shop");
            ProcessRun write = user.shell(point, "printf green > " + SETTINGS + "/data/color");
            assertThat(write.exit()).as("%s", write).isZero();
        }
        assertThat(cluster.kube.configMaps().inNamespace("shop").withName("settings").get().getData())
                .containsEntry("color", "green");
        SubjectRequests.assertImpersonatedPatch(cluster.api, "/api/v1/namespaces/shop/configmaps/settings",
                AccessPolicy.ALICE, AccessPolicy.DEVELOPERS, 200);
    }

    @Test
    void aMountWithoutATokenIsRefusedAndSaysWhy() throws Exception {
        Path point = user.createDirectory(work.resolve("home/k8s"));
        try (MountProcess mount = MountProcess.start(user, k9p, List.of("--server", tokens.toString()), point)) {
            assertThat(mount.awaitExit()).as(mount.describe()).isEqualTo(1);
            assertThat(mount.errors()).contains("Permission denied").contains("--token-file");
        }
    }
}
