package io.k9p.memfs;

import io.k9p.fs.Attributes;
import io.k9p.fs.File;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.protocol.Errno;
import java.util.Arrays;

/** A regular file whose writes are visible to every reader at once, as on a disk. */
public final class MemFile extends MemNode implements File {
    /** Bounds one file, so a runaway writer meets EFBIG instead of exhausting the heap. */
    static final long MAX_SIZE = 1L << 30;

    private byte[] content = new byte[0];
    private int length;

    MemFile(MemFileSystem fileSystem, String name, int permissions) {
        super(fileSystem, name, permissions);
    }

    @Override
    public synchronized Attributes attributes() {
        return new Attributes(permissions(), length, modified(), version());
    }

    @Override
    public OpenFile open(OpenFlags flags) throws FsException {
        if (flags.truncate()) {
            truncate(0);
        }
        return new OpenFile() {
            @Override
            public byte[] read(long offset, int count) throws FsException {
                if (!flags.read()) {
                    throw new FsException(Errno.EBADF, "not open for reading");
                }
                return MemFile.this.read(offset, count);
            }

            @Override
            public int write(long offset, byte[] data) throws FsException {
                if (!flags.write()) {
                    throw new FsException(Errno.EBADF, "not open for writing");
                }
                return MemFile.this.write(flags.append() ? -1 : offset, data);
            }

            @Override
            public void truncate(long size) throws FsException {
                MemFile.this.truncate(size);
            }
        };
    }

    synchronized byte[] read(long offset, int count) {
        if (offset >= length) {
            return new byte[0];
        }
        int start = (int) offset;
        return Arrays.copyOfRange(content, start, start + Math.min(count, length - start));
    }

    /** Writes at {@code offset}, or at the end when it is negative (O_APPEND). */
    synchronized int write(long offset, byte[] data) throws FsException {
        long start = offset < 0 ? length : offset;
        long end = start + data.length;
        ensureCapacity(end);
        System.arraycopy(data, 0, content, (int) start, data.length);
        length = (int) Math.max(length, end);
        changed();
        return data.length;
    }

    @Override
    public synchronized void truncate(long size) throws FsException {
        ensureCapacity(size);
        if (size < length) {
            Arrays.fill(content, (int) size, length, (byte) 0);
        }
        length = (int) size;
        changed();
    }

    private void ensureCapacity(long size) throws FsException {
        if (size > MAX_SIZE) {
            throw new FsException(Errno.EFBIG, "memfs files are limited to 1 GiB");
        }
        if (size > content.length) {
            content = Arrays.copyOf(content, (int) Math.max(size, Math.min(MAX_SIZE, content.length * 2L)));
        }
    }
}
