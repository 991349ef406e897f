package io.k9p.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Local uids and the Kubernetes users they act as ({@code --user-map FILE}). Each line is
 * {@code UID USER [GROUP,GROUP...]}; blank lines and lines starting with # are skipped.
 */
public final class UserMap {
    public static final UserMap EMPTY = new UserMap(Map.of());

    private final Map<Integer, Identity.User> users;

    private UserMap(Map<Integer, Identity.User> users) {
        this.users = Map.copyOf(users);
    }

    public static UserMap read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses the lines; {@code source} names them in errors, which give the line number. */
    public static UserMap parse(String text, String source) {
        Map<Integer, Identity.User> users = new HashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + ":" + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length < 2 || fields.length > 3) {
                throw new IllegalArgumentException(where + "expected UID USER [GROUP,GROUP...], got: " + line);
            }
            int uid;
            try {
                uid = Integer.parseInt(fields[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "not a uid: " + fields[0]);
            }
            if (uid < 0) {
                throw new IllegalArgumentException(where + "not a uid: " + fields[0]);
            }
            List<String> groups = fields.length == 3
                    ? Arrays.stream(fields[2].split(",")).filter(group -> !group.isEmpty()).toList()
                    : List.of();
            if (users.putIfAbsent(uid, new Identity.User(fields[1], groups)) != null) {
                throw new IllegalArgumentException(where + "uid " + uid + " is mapped twice");
            }
        }
        return new UserMap(users);
    }

    public Optional<Identity.User> user(int uid) {
        return Optional.ofNullable(users.get(uid));
    }

    public int size() {
        return users.size();
    }
}
