package io.k9p.kernel;

import io.k9p.auth.UserMap;
import io.k9p.demo.AccessPolicy;
import io.k9p.net.Endpoint;
import io.k9p.testing.SubjectRequests;
import io.k9p.testing.ClusterServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One kernel mount, many users: Linux's 9P client attaches once per local uid that touches the
 * mount, and k9p, reached over a Unix socket (QEMU forwards the guest's connection to it), serves
 * each as its user-map entry: uid 1001 as alice, 1002 as bob, root as the owner, and refuses
 * 1003. The guest runs each step as its uid with setpriv; the API server shows what reached it.
 */
class KernelIdentityTest {
    private static GuestVm guest;

    @TempDir
    Path work;
    private ClusterServer cluster;
    private Path socket;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.requireDebian();
    }

    @BeforeEach
    void start() throws Exception {
        cluster = ClusterServer.demo();
        socket = work.resolve("k9p.sock");
        cluster.listen(Endpoint.parse("unix:" + socket),
                UserMap.parse("1001 alice developers\n1002 bob viewers\n", "test user map"), false);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void eachLocalUserActsAsItsKubernetesUser() {
        String script = """
                step() { echo "== $1"; }
                as() { uid=$1; shift; timeout -k 5 60 setpriv --reuid "$uid" --regid "$uid" --clear-groups "$@" 2>&1; echo "status $?"; }
                mkdir -p /mnt/k8s
                mount -t 9p -o trans=tcp,port=564 %s /mnt/k8s || exit 90
                cd /mnt/k8s
                C=namespaces/shop/configmaps/settings
                step root-secrets; as 0 ls namespaces/shop/secrets
                step alice-read; as 1001 cat $C/data/color
                step alice-secrets; as 1001 ls namespaces/shop/secrets
                step alice-error; as 1001 cat namespaces/shop/secrets/.error
                step alice-namespaces; as 1001 ls namespaces
                step alice-mode; as 1001 stat -c '%%a %%u' $C/data/color
                step alice-write; as 1001 sh -c 'printf green > "$1"' sh $C/data/color
                step bob-mode; as 1002 stat -c '%%a %%u' $C/data/color
                step bob-write; as 1002 sh -c 'printf red > "$1"' sh $C/data/color
                step bob-pods; as 1002 ls namespaces/kube-system/pods
                step stranger; as 1003 ls namespaces
                step umount; cd / && umount /mnt/k8s && echo unmounted
                """.formatted(GuestVm.FORWARDED);
        GuestVm.Result result = guest.forwardingTo(socket).runScript(script, Duration.ofMinutes(5));
        Map<String, String> steps = ScriptSteps.split(result.output());
        String color = cluster.kube.configMaps().inNamespace("shop").withName("settings").get().getData().get("color");

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();
        softly.assertThat(steps.get("root-secrets")).as("root acts as the owner").isEqualTo("db-credentials\nstatus 0\n");
        softly.assertThat(steps.get("alice-read")).as("alice reads shop's configmaps").isEqualTo("bluestatus 0\n");
        softly.assertThat(steps.get("alice-secrets")).as("alice may not list secrets")
                .contains("Permission denied").endsWith("status 2\n");
        softly.assertThat(steps.get("alice-error")).as("the reason, in the type directory's .error")
                .contains("alice").contains("may not list secrets in namespace shop");
        softly.assertThat(steps.get("alice-namespaces")).as("alice sees the namespace she may get").isEqualTo("shop\nstatus 0\n");
        softly.assertThat(steps.get("alice-mode")).as("alice may change configmaps: write bits, her own file")
                .isEqualTo("644 1001\nstatus 0\n");
        softly.assertThat(steps.get("alice-write")).as("alice's write").isEqualTo("status 0\n");
        softly.assertThat(steps.get("bob-mode")).as("bob may read, not change: no write bits")
                .isEqualTo("444 1002\nstatus 0\n");
        softly.assertThat(steps.get("bob-write")).as("bob's write is refused").contains("Permission denied")
                .doesNotEndWith("status 0\n");
        softly.assertThat(steps.get("bob-pods")).as("bob lists pods everywhere").contains("coredns").endsWith("status 0\n");
        softly.assertThat(steps.get("stranger")).as("an unmapped uid is refused at attach")
                .contains("Permission denied").doesNotEndWith("status 0\n");
        softly.assertThat(steps.get("umount")).as("umount").isEqualTo("unmounted\n");
        softly.assertThat(color).as("the value at the API server: alice's, not bob's").isEqualTo("green");
        softly.assertAll();
        // Alice's change reached the API server as alice.
        SubjectRequests.assertImpersonatedPatch(cluster.api, "/api/v1/namespaces/shop/configmaps/settings",
                AccessPolicy.ALICE, AccessPolicy.DEVELOPERS, 200);
    }
}
