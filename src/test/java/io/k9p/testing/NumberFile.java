package io.k9p.testing;

import io.k9p.fs.Attributes;
import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A control file for tests, shaped like a replica count: it holds one integer, and writing anything
 * else fails the write with EINVAL and changes nothing.
 */
public final class NumberFile extends FixtureFile {
    private volatile long value;
    private volatile long version;

    public NumberFile(String name, long value) {
        super(name);
        this.value = value;
    }

    public long value() {
        return value;
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
                throw new FsException(Errno.EINVAL, name() + ": not an integer: " + text);
            }
        });
    }

    private byte[] render() {
        return (value + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
