package io.k9p.kube.tree;

import io.k9p.kube.cluster.Access;
import io.k9p.fs.BufferedOpenFile;
import io.k9p.fs.FsException;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import io.k9p.kube.render.Fields;
import io.k9p.protocol.Errno;
import java.nio.charset.StandardCharsets;

/**
 * {@code scale}: the replica count and a newline. Writing an integer scales through the scale
 * subresource; anything else fails the write(2) with EINVAL and changes nothing.
 */
final class ScaleFile extends ObjectFile {
    ScaleFile(ObjectDirectory owner) {
        super(owner, "scale");
    }

    @Override
    byte[] content() throws FsException {
        return (Fields.number(owner.current(), "spec.replicas", 0) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    int permissions() {
        var type = owner.type();
        return access.may(Access.Verb.UPDATE, type.group(), type.plural() + "/scale",
                owner.namespace(), null) ? 0644 : 0444;
    }

    @Override
    OpenFile openForWriting(OpenFlags flags) throws FsException {
        return BufferedOpenFile.control(content(), flags, written -> {
            String text = new String(written, StandardCharsets.UTF_8).trim();
            if (!text.matches("\\d{1,9}")) {
                throw access.fail(owner.where(),
                        new FsException(Errno.EINVAL, "scale: not a replica count: " + abbreviate(text)));
            }
            access.writer().scale(owner.where(), owner.type(), owner.current(), Integer.parseInt(text));
        });
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
