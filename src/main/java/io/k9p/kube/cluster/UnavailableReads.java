package io.k9p.kube.cluster;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Why files of a place read empty (a log the API server has not, or may not be read), one line per
 * file, for the place's error file. A line keeps the time it was first seen while the reason stays
 * the same, so that reading the error file twice (a copy, then diff -r against the mount) gives the
 * same text; it goes when the file reads again.
 */
final class UnavailableReads {
    private record Line(Instant since, String reason) {
    }

    private final Map<String, Map<String, Line>> places = new ConcurrentHashMap<>();

    void record(String where, String file, String reason) {
        places.computeIfAbsent(where, place -> new ConcurrentSkipListMap<>())
                .compute(file, (name, line) -> line != null && line.reason().equals(reason)
                        ? line : new Line(Instant.now(), reason));
    }

    void clear(String where, String file) {
        places.computeIfPresent(where, (place, files) -> {
            files.remove(file);
            return files.isEmpty() ? null : files;
        });
    }

    /** The place's lines, each "TIME REASON\n", in the files' order; empty when there are none. */
    String get(String where) {
        Map<String, Line> files = places.get(where);
        if (files == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        files.values().forEach(line -> text.append(line.since()).append(' ').append(line.reason()).append('\n'));
        return text.toString();
    }
}
