package io.k9p.server;

import io.k9p.fs.Directory;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Qid;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Stat;
import io.k9p.protocol.Tmessage;
import java.time.Instant;

/** The messages of 9P2000 and 9P2000.u that 9P2000.L replaced. */
final class Plan9Operations {
    private static final int OREAD = 0;
    private static final int OWRITE = 1;
    private static final int ORDWR = 2;
    private static final int OEXEC = 3;
    private static final int OTRUNC = 0x10;
    static final int ORCLOSE = 0x40;
    /** Linux's P9_OAPPEND, sent for O_APPEND in 9P2000.u. */
    private static final int OAPPEND = 0x80;
    private static final int SPECIAL_FILES =
            Stat.DMSYMLINK | Stat.DMDEVICE | Stat.DMNAMEDPIPE | Stat.DMSOCKET;
    private static final int PERMISSION_BITS = 0777;

    private final Session session;

    Plan9Operations(Session session) {
        this.session = session;
    }

    Rmessage open(Tmessage.Open m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        return new Rmessage.Open(session.open(fid, flags(m.mode()), (m.mode() & ORCLOSE) != 0), 0);
    }

    Rmessage create(Tmessage.Create m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        if ((m.perm() & SPECIAL_FILES) != 0) {
            throw new FsException(Errno.EPERM, "special files are not supported");
        }
        int permissions = m.perm() & PERMISSION_BITS;
        if ((m.perm() & Stat.DMDIR) == 0) {
            Qid qid = session.createAndOpen(fid, m.name(), permissions, flags(m.mode()), (m.mode() & ORCLOSE) != 0);
            return new Rmessage.Create(qid, 0);
        }
        Directory created = session.directoryOf(fid).createDirectory(m.name(), permissions);
        fid.moveTo(fid.path().child(created));
        Qid qid = session.open(fid, OpenFlags.READ, false);
        return new Rmessage.Create(qid, 0);
    }

    Rmessage stat(Tmessage.Stat m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        NodePath path = fid.path();
        String name = path.isRoot() ? "/" : path.node().name();
        return new Rmessage.Stat(Stats.plan9(path.node(), name, fid.user));
    }

    /**
     * Applies the fields that are not "don't touch". Owner and group changes are ignored, as in
     * {@link LinuxOperations#setattr}.
     */
    Rmessage wstat(Tmessage.Wstat m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        Stat stat = m.stat();
        Node node = fid.path().node();
        boolean wantsDirectory = (stat.mode() & Stat.DMDIR) != 0;
        if (!stat.keepsMode() && wantsDirectory != (node instanceof Directory)) {
            throw new FsException(Errno.EINVAL, "cannot change a file into a directory");
        }
        if (!stat.keepsLength()) {
            session.truncate(fid, stat.length());
        }
        if (!stat.keepsMode()) {
            node.setPermissions(stat.mode() & PERMISSION_BITS);
        }
        if (!stat.keepsMtime()) {
            node.setModified(Instant.ofEpochSecond(Integer.toUnsignedLong(stat.mtime())));
        }
        if (!stat.keepsName() && !stat.name().equals(node.name())) {
            NodePath path = fid.path();
            if (path.isRoot()) {
                throw new FsException(Errno.EBUSY, "cannot rename the root");
            }
            Directory parent = path.container();
            parent.rename(node.name(), parent, stat.name());
        }
        return new Rmessage.Wstat();
    }

    static OpenFlags flags(int mode) {
        int access = mode & 3;
        boolean read = access == OREAD || access == ORDWR || access == OEXEC;
        boolean write = access == OWRITE || access == ORDWR;
        return new OpenFlags(read, write, (mode & OTRUNC) != 0, (mode & OAPPEND) != 0);
    }
}
