package io.k9p.fuse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a directory must be to mount on, checked before fusermount3 is asked, whose own refusals
 * say less: it exists and is a directory; it is no mount point already, served or left stale by a
 * process that died (fusermount3 would mount over a served one, or fail with "Permission denied"
 * where the mount is another's to enter); and it is empty, since a mount hides what a directory
 * holds until it ends, and a user who mounts on ~/notes by mistake would think the files gone.
 */
final class MountPoint {
    private static final Path MOUNT_TABLE = Path.of("/proc/self/mountinfo");
    /** How many of a non-empty directory's names a refusal shows. */
    private static final int NAMES_SHOWN = 3;

    /** A line of the mount table: what is mounted, and of which type. */
    record Mount(String type, String source) {}

    private MountPoint() {
    }

    /** Throws, with what to do, unless {@code directory} can be mounted on. */
    static void check(Path directory) throws IOException {
        Path real;
        try {
            if (!Files.readAttributes(directory, BasicFileAttributes.class).isDirectory()) {
                throw new IOException(directory + " is not a directory");
            }
            real = directory.toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException(directory + " does not exist (create it with: mkdir -p " + directory + ")");
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("not connected")) {
                throw new IOException(directory + " is a FUSE mount whose server is gone (" + e.getReason()
                        + "); clear it with: fusermount3 -u " + directory);
            }
            throw e;
        }
        Optional<Mount> mounted = mountOn(real);
        if (mounted.isPresent()) {
            Mount mount = mounted.get();
            throw new IOException(directory + " is already mounted (" + mount.source() + ", " + mount.type() + "): "
                    + (mount.type().startsWith("fuse") ? "unmount it first with fusermount3 -u " + directory + ", or "
                    : "") + "mount on another directory");
        }
        List<String> names = names(directory);
        if (!names.isEmpty()) {
            throw new IOException(directory + " is not empty (" + shown(names) + "): a mount would hide what it"
                    + " holds until it ends; mount on an empty directory");
        }
    }

    /** The mount on {@code directory} (its real path), if the mount table lists one. */
    static Optional<Mount> mountOn(Path directory) throws IOException {
        for (String line : Files.readAllLines(MOUNT_TABLE)) {
            // ID PARENT MAJOR:MINOR ROOT MOUNT-POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 2 >= fields.length) {
                continue;
            }
            if (Path.of(unescape(fields[4])).equals(directory)) {
                return Optional.of(new Mount(unescape(fields[separator + 1]), unescape(fields[separator + 2])));
            }
        }
        return Optional.empty();
    }

    /** The mount table writes a space, tab, newline and backslash in a field as an octal escape. */
    private static String unescape(String field) {
        StringBuilder text = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static List<String> names(Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (AccessDeniedException e) {
            throw new IOException(directory + " cannot be listed (Permission denied): mount on a directory of your own");
        }
        return names;
    }

    private static String shown(List<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        String first = String.join(", ", sorted.subList(0, Math.min(NAMES_SHOWN, sorted.size())));
        return sorted.size() <= NAMES_SHOWN ? first : first + " and " + (sorted.size() - NAMES_SHOWN) + " more";
    }
}
