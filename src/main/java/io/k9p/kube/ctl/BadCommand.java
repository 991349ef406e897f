package io.k9p.kube.ctl;

import io.k9p.fs.FsException;
import io.k9p.protocol.Errno;

/** A line that is no command the file accepts, or a command with arguments it cannot take: EINVAL. */
public final class BadCommand extends FsException {
    BadCommand(String message) {
        super(Errno.EINVAL, message);
    }

    /** A word of what was written, as a refusal quotes it: whatever was written, one short line. */
    static String quote(String word) {
        return "'" + (word.length() > 40 ? word.substring(0, 40) + "..." : word) + "'";
    }
}
