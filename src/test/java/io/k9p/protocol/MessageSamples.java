package io.k9p.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One instance of every message, with values that use each field's full width. */
final class MessageSamples {
    private static final Qid QID = new Qid(Qid.QTDIR, 0x01020304, 0x1122334455667788L);

    private MessageSamples() {
    }

    static Stat stat(Dialect dialect) {
        boolean unix = dialect == Dialect.P9P2000_U;
        return new Stat(1, 2, QID, Stat.DMDIR | 0755, 1_700_000_000, 1_700_000_001, 4096,
                "dir", "alice", "staff", "bob", unix ? "ext" : "", unix ? 1000 : ~0, unix ? 50 : ~0,
                unix ? 1001 : ~0);
    }

    static List<Tmessage> requests(Dialect dialect) {
        int nUname = dialect.hasNumericUser() ? 1000 : Tmessage.NOFID;
        List<Tmessage> common = List.of(
                new Tmessage.Version(1 << 20, "9P2000.L"),
                new Tmessage.Auth(7, "alice", "prod", nUname),
                new Tmessage.Attach(1, Tmessage.NOFID, "alice", "", nUname),
                new Tmessage.Flush(0x1234),
                new Tmessage.Walk(1, 2, List.of("namespaces", "kube-system", "pods", "ünïcödé")),
                new Tmessage.Read(3, Long.MAX_VALUE, 65536),
                new Tmessage.Write(3, 12, "hello\n".getBytes(StandardCharsets.UTF_8)),
                new Tmessage.Clunk(0xfffffffe),
                new Tmessage.Remove(5));
        List<Tmessage> specific = switch (dialect) {
            case P9P2000, P9P2000_U -> List.of(
                    new Tmessage.Open(3, 0x12),
                    new Tmessage.Create(3, "new", 0644, 1, dialect == Dialect.P9P2000_U ? "ext" : ""),
                    new Tmessage.Stat(3),
                    new Tmessage.Wstat(3, stat(dialect)));
            case P9P2000_L -> List.of(
                    new Tmessage.Statfs(1),
                    new Tmessage.Lopen(3, 0101002),
                    new Tmessage.Lcreate(3, "new", 0100101, 0644, 50),
                    new Tmessage.Symlink(3, "link", "target", 50),
                    new Tmessage.Mknod(3, "dev", 0020644, 1, 3, 50),
                    new Tmessage.Rename(3, 4, "renamed"),
                    new Tmessage.Readlink(3),
                    new Tmessage.Getattr(3, 0x3fffL),
                    new Tmessage.Setattr(3, 0x1ff, 0644, 1000, 50, 1L << 40, 1, 2, 3, 4),
                    new Tmessage.Xattrwalk(3, 4, "user.x"),
                    new Tmessage.Xattrcreate(3, "user.x", 10, 1),
                    new Tmessage.Readdir(3, 42, 8192),
                    new Tmessage.Fsync(3, 1),
                    new Tmessage.Lock(3, 1, 2, 0, 100, 4242, "host"),
                    new Tmessage.Getlock(3, 1, 0, 100, 4242, "host"),
                    new Tmessage.Link(3, 4, "hard"),
                    new Tmessage.Mkdir(3, "d", 0755, 50),
                    new Tmessage.Renameat(3, "a", 4, "b"),
                    new Tmessage.Unlinkat(3, "a", Tmessage.Unlinkat.REMOVEDIR));
        };
        return concat(common, specific);
    }

    static List<Rmessage> replies(Dialect dialect) {
        List<Rmessage> common = List.of(
                new Rmessage.Version(8192, "9P2000"),
                new Rmessage.Auth(QID),
                new Rmessage.Attach(QID),
                new Rmessage.Flush(),
                new Rmessage.Walk(List.of(QID, new Qid(0, 0, 9))),
                new Rmessage.Read(new byte[] {0, 1, 2, (byte) 0xff}),
                new Rmessage.Write(6),
                new Rmessage.Clunk(),
                new Rmessage.Remove());
        List<Rmessage> specific = switch (dialect) {
            case P9P2000, P9P2000_U -> List.of(
                    new Rmessage.Error(Errno.ENOENT.message(), dialect == Dialect.P9P2000_U ? 2 : 0),
                    new Rmessage.Open(QID, 0),
                    new Rmessage.Create(QID, 8168),
                    new Rmessage.Stat(stat(dialect)),
                    new Rmessage.Wstat());
            case P9P2000_L -> List.of(
                    new Rmessage.Lerror(2),
                    new Rmessage.Statfs(0x01021997, 4096, 1, 2, 3, 4, 5, 6, 255),
                    new Rmessage.Lopen(QID, 0),
                    new Rmessage.Lcreate(QID, 0),
                    new Rmessage.Symlink(QID),
                    new Rmessage.Mknod(QID),
                    new Rmessage.Rename(),
                    new Rmessage.Readlink("target"),
                    new Rmessage.Getattr(0x7ff, QID, 0100644, 1000, 50, 1, 0, 5, 4096, 1, 10, 11, 12, 13,
                            14, 15, 16, 17, 18, 19),
                    new Rmessage.Setattr(),
                    new Rmessage.Xattrwalk(0),
                    new Rmessage.Xattrcreate(),
                    new Rmessage.Readdir(MessageCodec.encodeEntry(new DirectoryEntry(QID, 1, 4, "."))),
                    new Rmessage.Fsync(),
                    new Rmessage.Lock(0),
                    new Rmessage.Getlock(2, 0, 100, 4242, "host"),
                    new Rmessage.Link(),
                    new Rmessage.Mkdir(QID),
                    new Rmessage.Renameat(),
                    new Rmessage.Unlinkat());
        };
        return concat(common, specific);
    }

    private static <T> List<T> concat(List<? extends T> a, List<? extends T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).map(x -> (T) x).toList();
    }
}
