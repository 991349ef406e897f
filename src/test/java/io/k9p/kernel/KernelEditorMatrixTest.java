package io.k9p.kernel;

import io.k9p.demo.ApiServer;
import io.k9p.testing.ClusterServer;
import io.k9p.testing.EditorMatrix;
import java.time.Duration;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The editor matrix ({@link EditorMatrix}) through the kernel's 9P client, with the editors of the
 * Debian guest's userland, in one boot. The guest's kernel splits writes at its msize, so the large
 * values reach k9p in many Twrites.
 */
class KernelEditorMatrixTest {
    private static GuestVm guest;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.requireDebian();
    }

    @Test
    void everyEditorSavesOneUpdateAndNothingElse() throws Exception {
        try (ClusterServer cluster = ClusterServer.of(ApiServer.start())) {
            EditorMatrix.seed(cluster.kube);
            String script = """
                    # tmux, which drives nano, needs pseudo-terminals.
                    mkdir -p /dev/pts && mount -t devpts devpts /dev/pts || exit 92
                    mkdir -p /mnt/k8s
                    mount -t 9p -o trans=tcp,port=%d 10.0.2.2 /mnt/k8s || exit 90
                    cd /mnt/k8s
                    export NS=%s WORK=/tmp/matrix HOME=/root TERM=linux
                    (
                    %s
                    )
                    cd / && umount /mnt/k8s
                    """.formatted(cluster.port(), EditorMatrix.NAMESPACE, EditorMatrix.script());
            GuestVm.Result result = guest.runScript(script, Duration.ofMinutes(25));

            SoftAssertions softly = new SoftAssertions();
            softly.assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();
            EditorMatrix.check(softly, "kernel 9P", ScriptSteps.split(result.output()), cluster.kube, cluster.api);
            softly.assertAll();
        }
    }
}
