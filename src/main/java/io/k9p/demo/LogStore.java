package io.k9p.demo;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The containers' logs that the API server serves at {@code /api/v1/namespaces/NS/pods/POD/log}:
 * the current run's log of each container and, for a container that restarted, the previous
 * run's. Filled from the Java side; safe to use from any thread.
 *
 * <p>{@link #append} adds to a current log and hands the new text to whoever follows that log
 * ({@code follow=true}).
 */
public final class LogStore {
    private record Key(String namespace, String pod, String container) {
        Key {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(pod, "pod");
            Objects.requireNonNull(container, "container");
        }
    }

    /** One container's current log and the followers reading it as it grows. */
    private static final class Log {
        private final StringBuilder text = new StringBuilder();
        private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
    }

    private final Map<Key, Log> current = new ConcurrentHashMap<>();
    private final Map<Key, String> previous = new ConcurrentHashMap<>();

    /** Replaces the current log of a container. */
    public void set(String namespace, String pod, String container, String text) {
        Log log = current.computeIfAbsent(new Key(namespace, pod, container), k -> new Log());
        synchronized (log) {
            log.text.setLength(0);
            log.text.append(text);
        }
    }

    /** Adds text to the end of the current log of a container, and passes it to its followers. */
    public void append(String namespace, String pod, String container, String text) {
        Log log = current.computeIfAbsent(new Key(namespace, pod, container), k -> new Log());
        synchronized (log) {
            log.text.append(text);
            for (Consumer<String> follower : log.followers) {
                follower.accept(text);
            }
        }
    }

    /** Replaces the log of the container's previous run ({@code previous=true}). */
    public void setPrevious(String namespace, String pod, String container, String text) {
        previous.put(new Key(namespace, pod, container), text);
    }

    /** The current log of a container, if one was stored. */
    public Optional<String> current(String namespace, String pod, String container) {
        Log log = current.get(new Key(namespace, pod, container));
        if (log == null) {
            return Optional.empty();
        }
        synchronized (log) {
            return Optional.of(log.text.toString());
        }
    }

    /** The log of a container's previous run, if one was stored. */
    public Optional<String> previous(String namespace, String pod, String container) {
        return Optional.ofNullable(previous.get(new Key(namespace, pod, container)));
    }

    /** Forgets every log of a pod. */
    public void remove(String namespace, String pod) {
        current.keySet().removeIf(k -> k.namespace().equals(namespace) && k.pod().equals(pod));
        previous.keySet().removeIf(k -> k.namespace().equals(namespace) && k.pod().equals(pod));
    }

    /** Forgets every log of every pod of a namespace. */
    public void removeNamespace(String namespace) {
        current.keySet().removeIf(k -> k.namespace().equals(namespace));
        previous.keySet().removeIf(k -> k.namespace().equals(namespace));
    }

    /**
     * Hands the current log to {@code sink}, then each text appended after it, until the returned
     * handle is closed. Both happen under the log's lock, so no text is lost or repeated.
     */
    AutoCloseable follow(String namespace, String pod, String container, Consumer<String> sink) {
        Log log = current.computeIfAbsent(new Key(namespace, pod, container), k -> new Log());
        synchronized (log) {
            sink.accept(log.text.toString());
            log.followers.add(sink);
        }
        return () -> log.followers.remove(sink);
    }
}
