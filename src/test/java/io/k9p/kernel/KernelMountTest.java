package io.k9p.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFlags;
import io.k9p.testing.MemServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Linux kernel's own 9P client, booted in QEMU, mounts k9p --memfs once per dialect and works
 * it the way a person at a shell would. Each step's output is checked, and so is the server's
 * tree afterwards.
 */
class KernelMountTest {
    private static final int MANY = 2000;
    private static GuestVm guest;
    private MemServer server;

    @BeforeAll
    static void requireGuest() {
        guest = GuestVm.require();
    }

    @BeforeEach
    void start() throws Exception {
        server = new MemServer(io.k9p.server.ServerConfig.DEFAULT_MAX_FIDS, "127.0.0.1:0");
        Directory root = server.fileSystem.root();
        write(root.createFile("hello", 0644), "hello\n");
        Directory many = root.createDirectory("many", 0755);
        for (String name : manyNames()) {
            many.createFile(name, 0644);
        }
        server.stream.publish("first line");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "version={0}")
    @ValueSource(strings = {"9p2000.L", "9p2000.u", "9p2000"})
    void shellWorkflowThroughTheKernelMount(String version) throws Exception {
        String script = """
                step() { echo "== $1"; }
                mount -t 9p -o trans=tcp,port=%d,version=%s 10.0.2.2 /mnt || exit 90
                step ls-l; ls -ln /mnt/hello
                step cat; cat /mnt/hello
                step write; echo "written by the guest" > /mnt/new.txt && cat /mnt/new.txt
                step append; echo "second line" >> /mnt/new.txt && cat /mnt/new.txt
                step sed; sed -i 's/guest/kernel/' /mnt/new.txt && cat /mnt/new.txt
                step mv; mv /mnt/new.txt /mnt/moved.txt && ls -1 /mnt
                step rm; rm /mnt/hello && ls -1 /mnt
                step mkdir; mkdir -p /mnt/d/e && rmdir /mnt/d/e && mkdir /mnt/gone && rmdir /mnt/gone && ls -1a /mnt/d && ls -1 /mnt
                step missing; ls /mnt/nothing-here 2>&1
                step cp; dd if=/dev/urandom of=/tmp/big bs=1024 count=1024 2>/dev/null && cp /tmp/big /mnt/big \\
                    && md5sum /tmp/big /mnt/big | cut -d' ' -f1 && ls -ln /mnt/big
                step many; ls -1 /mnt/many | wc -l; ls -1 /mnt/many | md5sum | cut -d' ' -f1
                step control; echo 42 > /mnt/number && cat /mnt/number; echo abc > /mnt/number; echo "status $?"; cat /mnt/number
                step stream; timeout 2 cat /mnt/stream; echo "status $?"
                step after; cat /mnt/moved.txt
                step umount; cd / && umount /mnt && echo unmounted
                """.formatted(server.port(), version);
        GuestVm.Result result = guest.runScript(script, Duration.ofMinutes(4));
        Map<String, String> steps = ScriptSteps.split(result.output());
        assertThat(result.exitStatus()).as("script status; console:%n%s", result.consoleLog()).isZero();

        assertThat(field(steps.get("ls-l"), 4)).as("size of hello in ls -l").isEqualTo("6");
        assertThat(steps.get("cat")).isEqualTo("hello\n");
        assertThat(steps.get("write")).isEqualTo("written by the guest\n");
        assertThat(steps.get("append")).isEqualTo("written by the guest\nsecond line\n");
        assertThat(steps.get("sed")).isEqualTo("written by the kernel\nsecond line\n");
        assertThat(steps.get("mv").lines()).contains("moved.txt").doesNotContain("new.txt");
        assertThat(steps.get("rm").lines()).doesNotContain("hello");
        assertThat(steps.get("mkdir").lines()).contains("d").doesNotContain("gone", "e");
        assertThat(steps.get("missing")).contains("No such file or directory");

        List<String> cp = steps.get("cp").lines().toList();
        assertThat(cp.get(0)).as("md5 of the copy read back").isEqualTo(cp.get(1));
        assertThat(field(cp.get(2), 4)).isEqualTo(String.valueOf(1 << 20));
        assertThat(md5(read(root().lookup("big")))).as("md5 on the server").isEqualTo(cp.get(0));

        List<String> many = steps.get("many").lines().toList();
        assertThat(many.get(0).trim()).isEqualTo(String.valueOf(MANY));
        assertThat(many.get(1)).isEqualTo(md5(String.join("\n", manyNames().stream().sorted().toList()) + "\n"));

        assertThat(steps.get("control")).startsWith("42\n").contains("Invalid argument").endsWith("status 1\n42\n");
        assertThat(server.number.value()).isEqualTo(42);
        assertThat(steps.get("stream")).startsWith("first line\n").contains("status 143");
        assertThat(server.stream.blockedReads()).as("stream reads still blocked on the server").isZero();
        assertThat(server.stream.abortedReads()).as("stream reads aborted by Tflush").isEqualTo(1);
        assertThat(steps.get("after")).isEqualTo("written by the kernel\nsecond line\n");
        assertThat(steps.get("umount")).isEqualTo("unmounted\n");

        assertThat(new String(read(root().lookup("moved.txt")), StandardCharsets.UTF_8))
                .isEqualTo("written by the kernel\nsecond line\n");
        assertThat(root().list().stream().map(Node::name))
                .containsExactlyInAnyOrder("big", "d", "many", "moved.txt", "number", "stream");
        assertThat(((Directory) root().lookup("d")).list()).isEmpty();
    }

    private Directory root() {
        return server.fileSystem.root();
    }

    private static List<String> manyNames() {
        return IntStream.range(0, MANY).mapToObj(i -> "entry-" + i).toList();
    }

    private static String field(String line, int index) {
        return line.trim().split("\\s+")[index];
    }

    private static void write(File file, String content) throws FsException {
        file.open(OpenFlags.WRITE).write(0, content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] read(Node node) throws Exception {
        var open = ((File) node).open(OpenFlags.READ);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk; (chunk = open.read(out.size(), 65536)).length > 0; ) {
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    private static String md5(String text) throws Exception {
        return md5(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    }
}
