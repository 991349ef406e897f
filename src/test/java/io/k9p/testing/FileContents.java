package io.k9p.testing;

import io.k9p.fs.File;
import io.k9p.fs.OpenFile;
import io.k9p.fs.OpenFlags;
import java.io.ByteArrayOutputStream;

/** A file's whole content through the fs interface, read as a program reads it: until a read returns nothing. */
public final class FileContents {
    private FileContents() {
    }

    public static byte[] read(File file) throws Exception {
        return readAll(file.open(OpenFlags.READ));
    }

    /** Reads the open file to its end, then closes it. */
    public static byte[] readAll(OpenFile open) throws Exception {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                byte[] data = open.read(out.size(), 1 << 16);
                if (data.length == 0) {
                    return out.toByteArray();
                }
                out.writeBytes(data);
            }
        } finally {
            open.close();
        }
    }
}
