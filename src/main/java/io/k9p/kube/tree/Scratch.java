package io.k9p.kube.tree;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.k9p.memfs.MemDirectory;
import io.k9p.memfs.MemFileSystem;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files that editors and tools create beside the real ones (sed's temp file, vim's swap file, a
 * YAML file being copied in): they live in memory, one small memfs directory per place, until they
 * are renamed onto a real file or removed.
 */
final class Scratch {
    private final MemFileSystem fileSystem = new MemFileSystem();
    private final Map<String, MemDirectory> directories = new ConcurrentHashMap<>();
    private final AtomicLong names = new AtomicLong();
    /** The object as it was when each scratch file in an object's data/ was made, by the file's id. */
    private final Map<Long, GenericKubernetesResource> origins = new ConcurrentHashMap<>();

    /** The place's directory, made now if it has none. */
    MemDirectory of(String where) {
        return directories.computeIfAbsent(where, key -> {
            try {
                return (MemDirectory) fileSystem.root().createDirectory(Long.toString(names.incrementAndGet()), 0755);
            } catch (io.k9p.fs.FsException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The place's directory, or null while nothing was ever created there. */
    MemDirectory existing(String where) {
        return directories.get(where);
    }

    void remember(long file, GenericKubernetesResource object) {
        origins.put(file, object);
    }

    /** The object as it was when the file was made, or null for a file made elsewhere. */
    GenericKubernetesResource origin(long file) {
        return origins.get(file);
    }

    void forget(long file) {
        origins.remove(file);
    }
}
