package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.fs.FsException;
import io.k9p.kube.cluster.JsonPatch;
import io.k9p.protocol.Errno;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The keys of a configmap or a secret, as {@code data/} shows them, and the JSON patches that
 * change them. A configmap keeps a value that is UTF-8 in {@code data} as text and any other in
 * {@code binaryData} in base64, kubectl's rule; a secret keeps every value in {@code data} in
 * base64.
 */
final class KeyValues {
    private static final String DATA = "data";
    private static final String BINARY_DATA = "binaryData";

    /** Where a key's value is stored, and the text stored there (base64 outside a configmap's data). */
    record Stored(String map, String text) {}

    /**
     * One key's change: from the value it had when the writer read it ({@code expected}; null when
     * absent) to {@code value} (null: removed).
     */
    record Change(String key, Stored expected, byte[] value) {}

    private final boolean secret;

    KeyValues(boolean secret) {
        this.secret = secret;
    }

    /** The maps that hold values. */
    private List<String> maps() {
        return secret ? List.of(DATA) : List.of(DATA, BINARY_DATA);
    }

    /** Every key, in the order the maps list them. */
    Set<String> names(GenericKubernetesResource object) {
        Set<String> names = new LinkedHashSet<>();
        for (String map : maps()) {
            map(object, map).keySet().forEach(key -> names.add(key.toString()));
        }
        return names;
    }

    /** Where the key is stored in the object, or null when it has no such key. */
    Stored stored(GenericKubernetesResource object, String key) {
        for (String map : maps()) {
            Object text = map(object, map).get(key);
            if (text != null) {
                return new Stored(map, text.toString());
            }
        }
        return null;
    }

    /** The bytes of a stored value; none for an absent one. */
    byte[] bytes(String key, Stored stored) throws FsException {
        if (stored == null) {
            return new byte[0];
        }
        if (!secret && stored.map().equals(DATA)) {
            return stored.text().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getMimeDecoder().decode(stored.text());
        } catch (IllegalArgumentException e) {
            throw new FsException(Errno.EIO, key + ": value is not base64");
        }
    }

    /** How a value is stored: where, and as what text. */
    Stored encode(byte[] value) {
        if (!secret) {
            String text = utf8(value);
            if (text != null) {
                return new Stored(DATA, text);
            }
        }
        return new Stored(secret ? DATA : BINARY_DATA, Base64.getEncoder().encodeToString(value));
    }

    /**
     * The JSON patch that makes the changes to the object as it is now: tests that each key still
     * holds what its writer read (or is still absent), then removals, then additions, creating a map
     * the object lacks. Nothing when every change leaves its key as it is. ESTALE, without asking the
     * API server, when the object already shows a key changed.
     */
    JsonPatch patch(List<Change> changes, GenericKubernetesResource current) throws FsException {
        List<Change> effective = new ArrayList<>();
        for (Change change : changes) {
            if (!Objects.equals(stored(current, change.key()), change.expected())) {
                throw new FsException(Errno.ESTALE, "key " + change.key() + " changed since it was opened: re-read it");
            }
            if (!Objects.equals(change.value() == null ? null : encode(change.value()), change.expected())) {
                effective.add(change);
            }
        }
        JsonPatch patch = new JsonPatch();
        Set<String> missingMaps = new LinkedHashSet<>();
        for (Change change : effective) {
            if (change.expected() != null) {
                patch.test(JsonPatch.pointer(change.expected().map(), change.key()), change.expected().text());
            } else {
                for (String map : maps()) {
                    if (has(current, map)) {
                        patch.test(JsonPatch.pointer(map, change.key()), null);
                    } else {
                        missingMaps.add(map);
                    }
                }
            }
            if (change.value() != null && !has(current, encode(change.value()).map())) {
                missingMaps.add(encode(change.value()).map());
            }
        }
        // A map the object lacks is made whole below, so it must still be absent when the patch applies.
        for (String map : missingMaps) {
            patch.test(JsonPatch.pointer(map), null);
        }
        Map<String, Map<String, String>> newMaps = new LinkedHashMap<>();
        for (Change change : effective) {
            Stored next = change.value() == null ? null : encode(change.value());
            if (change.expected() != null && (next == null || !next.map().equals(change.expected().map()))) {
                patch.remove(JsonPatch.pointer(change.expected().map(), change.key()));
            }
            if (next != null && has(current, next.map())) {
                patch.add(JsonPatch.pointer(next.map(), change.key()), next.text());
            } else if (next != null) {
                newMaps.computeIfAbsent(next.map(), map -> new LinkedHashMap<>()).put(change.key(), next.text());
            }
        }
        newMaps.forEach((map, members) -> patch.add(JsonPatch.pointer(map), members));
        return patch;
    }

    private static boolean has(GenericKubernetesResource object, String map) {
        return object.getAdditionalProperties().get(map) instanceof Map<?, ?>;
    }

    private static Map<?, ?> map(GenericKubernetesResource object, String map) {
        return object.getAdditionalProperties().get(map) instanceof Map<?, ?> values ? values : Map.of();
    }

    /** The text of bytes that are UTF-8, or null. */
    private static String utf8(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
