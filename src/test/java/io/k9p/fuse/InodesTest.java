package io.k9p.fuse;

import io.k9p.auth.Identity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.k9p.fs.Directory;
import io.k9p.fs.FsException;
import io.k9p.memfs.MemFileSystem;
import io.k9p.protocol.Errno;
import org.junit.jupiter.api.Test;

/** The kernel's lookup counting, on a real tree. */
class InodesTest {
    private final Directory root;
    private final Inodes inodes;

    InodesTest() throws FsException {
        root = new MemFileSystem().attach(Identity.OWNER, "");
        inodes = new Inodes(root);
    }

    @Test
    void aNodeLivesUntilTheKernelForgetsEveryLookupAndKeepsItsNumberAfterwards() throws Exception {
        var file = root.createFile("a", 0644);
        long ino = inodes.remember(Inodes.ROOT, file);
        assertThat(inodes.remember(Inodes.ROOT, root.lookup("a"))).as("the same node, found again").isEqualTo(ino);
        inodes.forget(ino, 1);
        assertThat(inodes.node(ino).id()).as("one lookup is still held").isEqualTo(file.id());
        inodes.forget(ino, 1);
        assertThatThrownBy(() -> inodes.node(ino)).isInstanceOfSatisfying(FsException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.ESTALE));
        assertThat(inodes.number(file)).as("find and tar compare inode numbers over time").isEqualTo(ino);
    }

    @Test
    void theRootIsNeverForgottenAndIsItsOwnParent() throws Exception {
        inodes.forget(Inodes.ROOT, 10);
        assertThat(inodes.node(Inodes.ROOT)).isSameAs(root);
        assertThat(inodes.parent(Inodes.ROOT)).isEqualTo(Inodes.ROOT);
        var directory = root.createDirectory("d", 0755);
        long ino = inodes.remember(Inodes.ROOT, directory);
        long child = inodes.remember(ino, directory.createFile("f", 0644));
        assertThat(inodes.parent(child)).isEqualTo(ino);
        assertThat(ino).isNotEqualTo(Inodes.ROOT).isNotZero();
    }
}
