package io.k9p.server;

import io.k9p.fs.Directory;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import java.time.Instant;

/** The messages of 9P2000.L, which mirror the Linux VFS calls. */
final class LinuxOperations {
    /** Linux's V9FS_MAGIC, so statfs(2) names the filesystem type as 9p. */
    private static final int V9FS_MAGIC = 0x01021997;
    private static final int PERMISSION_BITS = 07777;

    private final Session session;

    LinuxOperations(Session session) {
        this.session = session;
    }

    Rmessage statfs(Tmessage.Statfs m) throws FsException {
        session.fids.get(m.fid());
        return new Rmessage.Statfs(V9FS_MAGIC, 4096, 0, 0, 0, 0, 0, 0, 255);
    }

    Rmessage lopen(Tmessage.Lopen m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        return new Rmessage.Lopen(session.open(fid, OpenFlags.ofLinux(m.flags()), false), 0);
    }

    Rmessage lcreate(Tmessage.Lcreate m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        return new Rmessage.Lcreate(
                session.createAndOpen(fid, m.name(), m.mode() & PERMISSION_BITS, OpenFlags.ofLinux(m.flags()), false), 0);
    }

    Rmessage mkdir(Tmessage.Mkdir m) throws FsException {
        Directory parent = session.directoryOf(session.fids.get(m.dfid()));
        return new Rmessage.Mkdir(Stats.qid(parent.createDirectory(m.name(), m.mode() & PERMISSION_BITS)));
    }

    Rmessage rename(Tmessage.Rename m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        Fid target = session.fids.get(m.dfid());
        NodePath path = fid.path();
        if (path.isRoot()) {
            throw new FsException(Errno.EBUSY, "cannot rename the root");
        }
        Directory targetDirectory = session.directoryOf(target);
        path.container().rename(path.node().name(), targetDirectory, m.name());
        fid.moveTo(target.path().child(path.node()));
        return new Rmessage.Rename();
    }

    Rmessage renameat(Tmessage.Renameat m) throws FsException {
        Directory from = session.directoryOf(session.fids.get(m.olddirfid()));
        Directory to = session.directoryOf(session.fids.get(m.newdirfid()));
        from.rename(m.oldname(), to, m.newname());
        return new Rmessage.Renameat();
    }

    Rmessage unlinkat(Tmessage.Unlinkat m) throws FsException {
        Directory directory = session.directoryOf(session.fids.get(m.dirfid()));
        Node node = directory.lookup(m.name());
        boolean wantsDirectory = (m.flags() & Tmessage.Unlinkat.REMOVEDIR) != 0;
        if (wantsDirectory && !(node instanceof Directory)) {
            throw new FsException(Errno.ENOTDIR, m.name() + " is not a directory");
        }
        if (!wantsDirectory && node instanceof Directory) {
            throw new FsException(Errno.EISDIR, m.name() + " is a directory");
        }
        directory.remove(m.name());
        return new Rmessage.Unlinkat();
    }

    Rmessage getattr(Tmessage.Getattr m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        return Stats.linux(fid.path().node(), fid.user);
    }

    /**
     * Size, mode and times. Owner changes are accepted and ignored: a synthetic tree has no owners,
     * and tools such as sed -i and cp -p fail when chown on their output fails.
     */
    Rmessage setattr(Tmessage.Setattr m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        Node node = fid.path().node();
        if (m.has(Tmessage.Setattr.SIZE)) {
            session.truncate(fid, m.size());
        }
        if (m.has(Tmessage.Setattr.MODE)) {
            node.setPermissions(m.mode() & PERMISSION_BITS);
        }
        if (m.has(Tmessage.Setattr.MTIME)) {
            node.setModified(m.has(Tmessage.Setattr.MTIME_SET)
                    ? Instant.ofEpochSecond(m.mtimeSec(), m.mtimeNsec())
                    : Instant.now());
        }
        return new Rmessage.Setattr();
    }

    Rmessage readdir(Tmessage.Readdir m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        if (!(session.openedOf(fid) instanceof Fid.OpenedDirectory opened)) {
            throw new FsException(Errno.ENOTDIR, "not a directory");
        }
        return new Rmessage.Readdir(opened.listing().readEntries(m.offset(), session.ioCount(m.count())));
    }

    Rmessage fsync(Tmessage.Fsync m) throws FsException {
        Fid fid = session.fids.get(m.fid());
        if (fid.opened() instanceof Fid.OpenedFile opened) {
            opened.file().sync();
        }
        return new Rmessage.Fsync();
    }
}
