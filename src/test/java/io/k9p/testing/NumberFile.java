package io.k9p.testing;

import io.k9p.fs.Attributes;
import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A control file for tests, shaped like a replica count: it holds one integer, and writing anything
 * else fails the write with EINVAL and changes nothing.
 */
public final class NumberFile implements File {
    private static final AtomicLong IDS = new AtomicLong(1L << 50);

    private final long id = IDS.incrementAndGet();
    private final String name;
    private volatile long value;
    private volatile long version;

    public NumberFile(String name, long value) {
        this.name = name;
        this.value = value;
    }

    public long value() {
        return value;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Attributes attributes() {
        return new Attributes(0644, render().length, Instant.EPOCH, version);
    }

    @Override
    public OpenFile open(OpenFlags flags) {
        return BufferedOpenFile.control(render(), flags, content -> {
            String text = new String(content, StandardCharsets.UTF_8).trim();
            try {
                value = Long.parseLong(text);
                version++;
            } catch (NumberFormatException e) {
                throw new FsException(Errno.EINVAL, name + ": not an integer: " + text);
            }
        });
    }

    private byte[] render() {
        return (value + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
