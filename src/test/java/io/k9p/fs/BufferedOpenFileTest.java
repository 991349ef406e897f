package io.k9p.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferedOpenFileTest {
    private static final OpenFlags READ_WRITE = new OpenFlags(true, true, false, false);
    private final List<String> commits = new ArrayList<>();

    private final BufferedOpenFile.Commit refusingBad = content -> {
        String text = new String(content, StandardCharsets.UTF_8);
        commits.add(text);
        if (text.contains("bad")) {
            throw new FsException(Errno.EINVAL, "bad content");
        }
    };

    @Test
    void documentCommitsOnlyAtSyncAndCloseAndOnlyWhenChanged() throws Exception {
        OpenFile file = BufferedOpenFile.document(bytes("old"), READ_WRITE, refusingBad);
        file.write(0, bytes("new"));
        file.write(3, bytes(" text"));
        assertThat(commits).isEmpty();
        assertThat(text(file.read(0, 100))).as("the open sees its own writes").isEqualTo("new text");
        file.sync();
        file.close();
        assertThat(commits).containsExactly("new text");
    }

    @Test
    void flushCommitsWhatWasWrittenButNotATruncationAlone() throws Exception {
        OpenFlags truncating = new OpenFlags(false, true, true, false);
        OpenFile control = BufferedOpenFile.control(bytes("2\n"), truncating, refusingBad);
        control.flush();
        assertThat(commits).as("the shell closes the O_TRUNC descriptor after dup2, before it writes").isEmpty();
        control.write(0, bytes("5\n"));
        control.flush();
        control.close();
        assertThat(commits).containsExactly("5\n");

        commits.clear();
        OpenFile document = BufferedOpenFile.document(bytes("old"), truncating, refusingBad);
        document.write(0, bytes("bad"));
        assertThatThrownBy(document::flush).isInstanceOf(FsException.class);
        document.close();
        assertThat(commits).as("the error reached the close(2) once; the last close does not repeat it")
                .containsExactly("bad");
    }

    @Test
    void failedCommitIsReportedOnceAndTheNextChangeTriesAgain() throws Exception {
        OpenFile file = BufferedOpenFile.document(bytes(""), READ_WRITE, refusingBad);
        file.write(0, bytes("bad"));
        assertThatThrownBy(file::sync).isInstanceOf(FsException.class);
        file.close();
        assertThat(commits).containsExactly("bad");
        file.write(0, bytes("ok!"));
        file.close();
        assertThat(commits).containsExactly("bad", "ok!");
    }

    @Test
    void controlFileCommitsEveryWriteAndFailsTheWriteThatSentABadValue() throws Exception {
        OpenFile file = BufferedOpenFile.control(bytes("3\n"), READ_WRITE, refusingBad);
        file.truncate(0);
        assertThat(commits).as("truncation alone commits nothing").isEmpty();
        file.write(0, bytes("5\n"));
        assertThatThrownBy(() -> file.write(2, bytes("bad"))).isInstanceOf(FsException.class)
                .extracting(e -> ((FsException) e).errno()).isEqualTo(Errno.EINVAL);
        file.close();
        assertThat(commits).containsExactly("5\n", "5\nbad");
    }

    @Test
    void truncatingOpenStartsEmptyAndCommitsEvenWithoutWrites() throws Exception {
        OpenFile file = BufferedOpenFile.document(bytes("content"),
                new OpenFlags(false, true, true, false), refusingBad);
        file.close();
        assertThat(commits).containsExactly("");
    }

    @Test
    void appendWritesAtTheEndWhateverTheOffset() throws Exception {
        OpenFile file = BufferedOpenFile.document(bytes("a\n"),
                new OpenFlags(true, true, false, true), refusingBad);
        file.write(0, bytes("b\n"));
        file.close();
        assertThat(commits).containsExactly("a\nb\n");
    }

    @Test
    void readOnlyOpenRefusesWritesAndCommitsNothing() throws Exception {
        OpenFile file = BufferedOpenFile.document(bytes("x"), OpenFlags.READ, refusingBad);
        assertThatThrownBy(() -> file.write(0, bytes("y"))).isInstanceOf(FsException.class);
        assertThat(text(file.read(0, 10))).isEqualTo("x");
        file.close();
        assertThat(commits).isEmpty();
    }

    @Test
    void sizeIsBounded() {
        OpenFile file = BufferedOpenFile.document(bytes(""), READ_WRITE, refusingBad);
        assertThatThrownBy(() -> file.write(BufferedOpenFile.MAX_SIZE, bytes("x")))
                .isInstanceOf(FsException.class)
                .extracting(e -> ((FsException) e).errno()).isEqualTo(Errno.EFBIG);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
