package io.k9p.testing;

import static io.k9p.testing.NinePClient.expect;

import io.k9p.protocol.Dialect;
import io.k9p.protocol.DirectoryEntry;
import io.k9p.protocol.MessageCodec;
import io.k9p.protocol.Rmessage;
import io.k9p.protocol.Tmessage;
import io.k9p.net.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * File operations by path over 9P2000.L, the way the kernel would send them, for tests that care
 * about what a tree does rather than about the protocol. Failures come back as {@link Failure}
 * carrying the errno.
 */
public final class PathClient implements AutoCloseable {
    private static final int ROOT = 0;
    private static final int O_WRONLY = 01;
    private static final int O_TRUNC = 01000;

    /** An error reply: the errno a program would have seen. */
    public static final class Failure extends IOException {
        public final int errno;

        Failure(String operation, int errno) {
            super(operation + ": errno " + errno);
            this.errno = errno;
        }
    }

    private final NinePClient client;
    private final AtomicInteger fids = new AtomicInteger(1);

    private PathClient(NinePClient client) {
        this.client = client;
    }

    public static PathClient attach(Endpoint endpoint, String aname) throws IOException {
        NinePClient client = NinePClient.connect(endpoint, Dialect.P9P2000_L, 1 << 20);
        expect(client.call(new Tmessage.Attach(ROOT, Tmessage.NOFID, "tester", aname, 0)), Rmessage.Attach.class);
        return new PathClient(client);
    }

    public String read(String path) throws IOException {
        int fid = walk(path);
        try {
            ok("open " + path, client.call(new Tmessage.Lopen(fid, 0)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                Rmessage reply = ok("read " + path, client.call(new Tmessage.Read(fid, out.size(), 1 << 16)));
                byte[] data = ((Rmessage.Read) reply).data();
                if (data.length == 0) {
                    return out.toString(StandardCharsets.UTF_8);
                }
                out.writeBytes(data);
            }
        } finally {
            client.call(new Tmessage.Clunk(fid));
        }
    }

    /** Opens with O_TRUNC, writes in one Twrite and closes: {@code echo text > path}. */
    public void write(String path, String content) throws IOException {
        int fid = walk(path);
        boolean clunked = false;
        try {
            ok("open " + path, client.call(new Tmessage.Lopen(fid, O_WRONLY | O_TRUNC)));
            ok("write " + path, client.call(new Tmessage.Write(fid, 0, content.getBytes(StandardCharsets.UTF_8))));
            clunked = true;
            ok("close " + path, client.call(new Tmessage.Clunk(fid)));
        } finally {
            if (!clunked) {
                client.call(new Tmessage.Clunk(fid));
            }
        }
    }

    /** Creates a file in a directory and writes it: {@code cp file dir/}. */
    public void create(String directory, String name, String content) throws IOException {
        int fid = walk(directory);
        boolean clunked = false;
        try {
            ok("create " + name, client.call(new Tmessage.Lcreate(fid, name, O_WRONLY | O_TRUNC, 0644, 0)));
            ok("write " + name, client.call(new Tmessage.Write(fid, 0, content.getBytes(StandardCharsets.UTF_8))));
            clunked = true;
            ok("close " + name, client.call(new Tmessage.Clunk(fid)));
        } finally {
            if (!clunked) {
                client.call(new Tmessage.Clunk(fid));
            }
        }
    }

    public List<String> list(String path) throws IOException {
        int fid = walk(path);
        try {
            ok("open " + path, client.call(new Tmessage.Lopen(fid, 0)));
            List<String> names = new ArrayList<>();
            long cookie = 0;
            while (true) {
                Rmessage reply = ok("readdir " + path, client.call(new Tmessage.Readdir(fid, cookie, 1 << 16)));
                List<DirectoryEntry> entries = MessageCodec.decodeEntries(((Rmessage.Readdir) reply).data());
                if (entries.isEmpty()) {
                    return names.stream().filter(n -> !n.equals(".") && !n.equals("..")).toList();
                }
                entries.forEach(entry -> names.add(entry.name()));
                cookie = entries.get(entries.size() - 1).offset();
            }
        } catch (io.k9p.protocol.ProtocolException e) {
            throw new IOException(e);
        } finally {
            client.call(new Tmessage.Clunk(fid));
        }
    }

    public long size(String path) throws IOException {
        int fid = walk(path);
        try {
            return ((Rmessage.Getattr) ok("stat " + path, client.call(new Tmessage.Getattr(fid, Rmessage.Getattr.BASIC)))).size();
        } finally {
            client.call(new Tmessage.Clunk(fid));
        }
    }

    /** The attributes of a file: {@code stat path}. */
    public Rmessage.Getattr stat(String path) throws IOException {
        int fid = walk(path);
        try {
            return (Rmessage.Getattr) ok("stat " + path, client.call(new Tmessage.Getattr(fid, Rmessage.Getattr.BASIC)));
        } finally {
            client.call(new Tmessage.Clunk(fid));
        }
    }

    /**
     * {@code ls -l}: a directory's entries, in its order, each with its attributes, got as the
     * kernel gets them: a walk of the one name from the directory, a getattr and a clunk.
     */
    public Map<String, Rmessage.Getattr> listWithAttributes(String path) throws IOException {
        List<String> names = list(path);
        int directory = walk(path);
        try {
            Map<String, Rmessage.Getattr> entries = new LinkedHashMap<>();
            for (String name : names) {
                int fid = fids.incrementAndGet();
                Rmessage reply = ok("walk " + path + "/" + name, client.call(new Tmessage.Walk(directory, fid, List.of(name))));
                if (((Rmessage.Walk) reply).qids().size() != 1) {
                    throw new Failure("walk " + path + "/" + name, io.k9p.protocol.Errno.ENOENT.number());
                }
                try {
                    entries.put(name, (Rmessage.Getattr) ok("stat " + path + "/" + name,
                            client.call(new Tmessage.Getattr(fid, Rmessage.Getattr.BASIC))));
                } finally {
                    client.call(new Tmessage.Clunk(fid));
                }
            }
            return entries;
        } finally {
            client.call(new Tmessage.Clunk(directory));
        }
    }

    public void rename(String directory, String from, String to) throws IOException {
        int fid = walk(directory);
        try {
            ok("rename " + from, client.call(new Tmessage.Renameat(fid, from, fid, to)));
        } finally {
            client.call(new Tmessage.Clunk(fid));
        }
    }

    public void mkdir(String directory, String name) throws IOException {
        int fid = walk(directory);
        try {
            ok("mkdir " + name, client.call(new Tmessage.Mkdir(fid, name, 0755, 0)));
        } finally {
            client.call(new Tmessage.Clunk(fid));
        }
    }

    public void unlink(String directory, String name, boolean isDirectory) throws IOException {
        int fid = walk(directory);
        try {
            ok("unlink " + name, client.call(new Tmessage.Unlinkat(fid, name,
                    isDirectory ? Tmessage.Unlinkat.REMOVEDIR : 0)));
        } finally {
            client.call(new Tmessage.Clunk(fid));
        }
    }

    private int walk(String path) throws IOException {
        int fid = fids.incrementAndGet();
        List<String> names = Arrays.stream(path.split("/")).filter(name -> !name.isEmpty()).toList();
        if (names.size() > MessageCodec.MAX_WALK_NAMES) {
            throw new IllegalArgumentException("path too deep for one walk: " + path);
        }
        Rmessage reply = ok("walk " + path, client.call(new Tmessage.Walk(ROOT, fid, names)));
        if (((Rmessage.Walk) reply).qids().size() != names.size()) {
            // A partial walk creates no fid; the name that failed does not exist.
            throw new Failure("walk " + path, io.k9p.protocol.Errno.ENOENT.number());
        }
        return fid;
    }

    private static Rmessage ok(String operation, Rmessage reply) throws Failure {
        if (reply instanceof Rmessage.Lerror error) {
            throw new Failure(operation, error.errno());
        }
        return reply;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
