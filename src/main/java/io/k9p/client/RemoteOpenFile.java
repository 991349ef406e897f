package io.k9p.client;

import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.Waiting;
import io.k9p.protocol.Errno;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/** One open of a remote file: the fid that Tlopen opened, until close clunks it. */
final class RemoteOpenFile implements OpenFile {
    private final RemoteFile file;
    private final NinePClient client;
    private final Fid fid;
    private final boolean writable;
    private final boolean blocking;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Written to since the last Tfsync: what a flush must commit. */
    private final AtomicBoolean unsynced = new AtomicBoolean();

    RemoteOpenFile(RemoteFile file, Fid fid, boolean writable, boolean blocking) {
        this.file = file;
        this.client = file.client;
        this.fid = fid;
        this.writable = writable;
        this.blocking = blocking;
    }

    /**
     * Treads until {@code count} bytes arrived or a Tread returns nothing, as Linux's 9P client reads:
     * a server whose files block (k9p's watch and follow files) ends a chunk with one empty reply for
     * that reason, so a reader gets each chunk as it comes. A file of known content ends at the first
     * reply shorter than asked, its end, without a Tread more to hear nothing. An interrupt while
     * waiting flushes the Tread; when something had arrived already, that is returned, with the
     * interrupt still set.
     */
    @Override
    public byte[] read(long offset, int count) throws FsException, InterruptedException {
        checkOpen();
        ByteArrayOutputStream data = new ByteArrayOutputStream(Math.min(count, client.ioSize()));
        try {
            while (data.size() < count) {
                int asked = Math.min(count - data.size(), client.ioSize());
                byte[] piece = client.read(fid, offset + data.size(), asked);
                if (piece.length == 0) {
                    break;
                }
                data.writeBytes(piece);
                if (!blocking && piece.length < asked) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            if (data.size() == 0) {
                throw e;
            }
            Thread.currentThread().interrupt();
        } catch (FsException e) {
            // Like read(2): what arrived before the error is the answer; the next read meets the error.
            if (data.size() == 0) {
                throw file.failed(e);
            }
        }
        return data.toByteArray();
    }

    /** Twrites of at most one message's worth each, until all is written or the server takes less. */
    @Override
    public int write(long offset, byte[] data) throws FsException {
        checkOpen();
        int written = 0;
        try {
            while (written < data.length) {
                int length = Math.min(data.length - written, client.ioSize());
                byte[] piece = length == data.length ? data : Arrays.copyOfRange(data, written, written + length);
                int taken = client.write(fid, offset + written, piece);
                written += taken;
                unsynced.set(true);
                if (taken < length) {
                    break;
                }
            }
            return written;
        } catch (InterruptedException e) {
            if (written == 0) {
                throw file.interrupted(e);
            }
            Thread.currentThread().interrupt();
            return written;
        } catch (FsException e) {
            if (written == 0) {
                throw file.failed(e);
            }
            return written;
        } finally {
            file.tree.changed();
        }
    }

    /** Tsetattr of the size on the open fid. */
    @Override
    public void truncate(long size) throws FsException {
        checkOpen();
        file.change(() -> {
            client.truncate(fid, size);
            return null;
        });
    }

    /** Tfsync: where the server commits what was written (k9p does), its refusal comes back here. */
    @Override
    public void sync() throws FsException {
        checkOpen();
        unsynced.set(false);
        file.change(() -> {
            client.fsync(fid);
            return null;
        });
    }

    /**
     * A close(2) of one descriptor: 9P has no message for it, so what was written since the last
     * Tfsync is synced now, which is where k9p commits and reports a refusal. Nothing written, no
     * Tfsync: a truncation alone must not commit (a shell's "echo 5 > f" closes one descriptor
     * after the O_TRUNC open and before it writes).
     */
    @Override
    public void flush() throws FsException {
        if (unsynced.get()) {
            sync();
        }
    }

    @Override
    public boolean blocking() {
        return blocking;
    }

    /**
     * Tclunk. After writes it waits for the answer: a server that commits at the last clunk reports
     * its failure there; a stream's waits until the server stopped what fed it. A snapshot that was
     * only read has nothing to report, so its clunk goes without waiting.
     */
    @Override
    public void close() throws FsException {
        if (!writable && !blocking) {
            if (closed.compareAndSet(false, true)) {
                client.release(fid);
            }
            return;
        }
        // Asked before the open counts as closed: where the front end may not wait, it asks again
        // from a thread that may, and that thread's close must still send the Tclunk.
        Waiting.mayWait();
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RemoteNode.Operation<Void> clunk = () -> {
            client.clunk(fid);
            return null;
        };
        if (writable) {
            file.change(clunk);
        } else {
            file.run(clunk);
        }
    }

    private void checkOpen() throws FsException {
        if (closed.get()) {
            throw new FsException(Errno.EBADF, file.where() + ": closed");
        }
    }
}
