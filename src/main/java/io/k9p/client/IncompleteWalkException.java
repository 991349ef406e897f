package io.k9p.client;

import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;
import io.k9p.protocol.Qid;
import java.util.List;

/**
 * A walk that did not reach its last name. {@link #walked} holds the qids of the names that were
 * walked, so a caller can tell which name is missing; the errno is the server's when it refused
 * the first name, and ENOENT when it stopped later without saying why.
 */
public final class IncompleteWalkException extends FsException {
    private final List<Qid> walked;

    IncompleteWalkException(Errno errno, String message, List<Qid> walked) {
        super(errno, message);
        this.walked = List.copyOf(walked);
    }

    public List<Qid> walked() {
        return walked;
    }
}
