package io.k9p.testing;

import io.k9p.auth.Identity;
import io.k9p.client.NinePClient;
import io.k9p.client.RemoteFileSystem;
import io.k9p.fs.Attributes;
import io.k9p.fs.Directory;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.Node;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.net.Endpoint;
import io.k9p.protocol.Errno;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * File operations by path, for tests that care about what a tree does rather than about the
 * protocol: a thin layer over {@link RemoteFileSystem}, so they go over 9P2000.L as the production
 * client sends them. Failures come back as {@link Failure} carrying the errno.
 */
public final class PathClient implements AutoCloseable {
    private static final OpenFlags TRUNCATE = new OpenFlags(false, true, true, false);
    private static final int CHUNK = 1 << 16;

    /** An error reply: the errno a program would have seen. */
    public static final class Failure extends IOException {
        public final int errno;

        Failure(FsException cause) {
            super(cause.getMessage() + " (errno " + cause.errno().number() + ")", cause);
            this.errno = cause.errno().number();
        }
    }

    /** One entry of a listing, as ls -l shows it. */
    public record Entry(boolean directory, Attributes attributes) {}

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws FsException;
    }

    private final RemoteFileSystem fileSystem;
    private final Directory root;

    private PathClient(RemoteFileSystem fileSystem, Directory root) {
        this.fileSystem = fileSystem;
        this.root = root;
    }

    public static PathClient attach(Endpoint endpoint, String aname) throws IOException {
        return attach(endpoint, aname, null, null);
    }

    /**
     * Attaches naming a local uid (null: this process's) and presenting a token to a server that
     * asks for one (null: none).
     */
    public static PathClient attach(Endpoint endpoint, String aname, Integer uid, String token) throws IOException {
        RemoteFileSystem fileSystem;
        try {
            fileSystem = new RemoteFileSystem(NinePClient.connect(endpoint), token);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("connect interrupted");
        } catch (FsException e) {
            throw new Failure(e);
        }
        try {
            Directory root = uid == null ? fileSystem.attach(Identity.OWNER, aname) : fileSystem.attachAs(uid, aname);
            return new PathClient(fileSystem, root);
        } catch (FsException e) {
            fileSystem.close();
            throw new Failure(e);
        }
    }

    public String read(String path) throws IOException {
        return new String(readBytes(path), StandardCharsets.UTF_8);
    }

    public byte[] readBytes(String path) throws IOException {
        return run(() -> {
            OpenFile open = file(path).open(OpenFlags.READ);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                while (true) {
                    byte[] data = open.read(out.size(), CHUNK);
                    if (data.length == 0) {
                        return out.toByteArray();
                    }
                    out.writeBytes(data);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FsException(Errno.EINTR, "read " + path + " interrupted", e);
            } finally {
                open.close();
            }
        });
    }

    /** Opens with O_TRUNC, writes and closes, where the server reports a failed commit: {@code echo text > path}. */
    public void write(String path, String content) throws IOException {
        run(() -> writeTo(file(path), content));
    }

    /** Creates a file in a directory and writes it: {@code cp file dir/}. */
    public void create(String directory, String name, String content) throws IOException {
        run(() -> writeTo(directory(directory).createFile(name, 0644), content));
    }

    /** Creates a file and closes it unwritten, as vim's probe whether it may create files (4913) does. */
    public void probe(String directory, String name) throws IOException {
        run(() -> directory(directory).createFile(name, 0644));
    }

    /** An open for writing that the test writes through and closes when it chooses: a program that holds a file open. */
    public final class Writing implements AutoCloseable {
        private final OpenFile open;
        private long offset;

        private Writing(OpenFile open) {
            this.open = open;
        }

        /** Writes the bytes at the end of what this open wrote, in requests of at most {@code chunk} bytes. */
        public void write(byte[] data, int chunk) throws IOException {
            for (int start = 0; start < data.length; start += chunk) {
                byte[] piece = Arrays.copyOfRange(data, start, Math.min(data.length, start + chunk));
                offset += run(() -> open.write(offset, piece));
            }
        }

        /** close(2), where a failed commit is reported. */
        @Override
        public void close() throws IOException {
            run(() -> {
                open.close();
                return null;
            });
        }
    }

    /** Opens a file with O_TRUNC to write it: {@code exec 3> path}. */
    public Writing openTruncated(String path) throws IOException {
        return new Writing(run(() -> file(path).open(TRUNCATE)));
    }

    private static Void writeTo(File file, String content) throws FsException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        OpenFile open = file.open(TRUNCATE);
        try {
            int written = open.write(0, data);
            if (written != data.length) {
                throw new FsException(Errno.EIO, file.name() + ": wrote " + written + " of " + data.length + " bytes");
            }
        } catch (FsException e) {
            try {
                open.close();
            } catch (FsException alsoFailed) {
                // The write's failure is the one to report.
            }
            throw e;
        }
        open.close();
        return null;
    }

    public List<String> list(String path) throws IOException {
        return run(() -> directory(path).list().stream().map(Node::name).toList());
    }

    public long size(String path) throws IOException {
        return stat(path).size();
    }

    /** The attributes of a file: {@code stat path}. */
    public Attributes stat(String path) throws IOException {
        return run(() -> node(path).attributes());
    }

    /** {@code ls -l}: a directory's entries, in its order, each with its attributes. */
    public Map<String, Entry> listWithAttributes(String path) throws IOException {
        return run(() -> {
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Node node : directory(path).list()) {
                entries.put(node.name(), new Entry(node instanceof Directory, node.attributes()));
            }
            return entries;
        });
    }

    public void rename(String directory, String from, String to) throws IOException {
        run(() -> {
            Directory in = directory(directory);
            in.rename(from, in, to);
            return null;
        });
    }

    public void mkdir(String directory, String name) throws IOException {
        run(() -> directory(directory).createDirectory(name, 0755));
    }

    /** {@code rm} or {@code rmdir}: removes a file or an empty directory. */
    public void remove(String directory, String name) throws IOException {
        run(() -> {
            directory(directory).remove(name);
            return null;
        });
    }

    private Node node(String path) throws FsException {
        Node node = root;
        for (String name : Arrays.stream(path.split("/")).filter(name -> !name.isEmpty()).toList()) {
            if (!(node instanceof Directory directory)) {
                throw new FsException(Errno.ENOTDIR, path + ": " + node.name() + " is a file");
            }
            node = directory.lookup(name);
        }
        return node;
    }

    private Directory directory(String path) throws FsException {
        if (node(path) instanceof Directory directory) {
            return directory;
        }
        throw new FsException(Errno.ENOTDIR, path + " is a file");
    }

    private File file(String path) throws FsException {
        if (node(path) instanceof File file) {
            return file;
        }
        throw new FsException(Errno.EISDIR, path + " is a directory");
    }

    private static <T> T run(Operation<T> operation) throws Failure {
        try {
            return operation.run();
        } catch (FsException e) {
            throw new Failure(e);
        }
    }

    @Override
    public void close() {
        fileSystem.close();
    }
}
