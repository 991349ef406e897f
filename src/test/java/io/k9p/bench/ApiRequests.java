package io.k9p.bench;

import io.k9p.demo.ApiServer;
import java.util.Map;
import java.util.TreeMap;

/** Times work against the benchmark's API server, counting the requests the server saw meanwhile. */
final class ApiRequests {
    /** What a timed run does: how many objects, lines or files it found. */
    interface Work {
        long run() throws Exception;
    }

    private final ApiServer api;

    ApiRequests(ApiServer api) {
        this.api = api;
    }

    /** The server's request counts by kind, as of now. */
    Map<String, Long> counts() {
        return api.requestCounts();
    }

    /** Runs {@code work} once, timed by this JVM's clock. */
    Run timed(Work work) throws Exception {
        Map<String, Long> before = counts();
        long start = System.nanoTime();
        long output = work.run();
        long elapsed = System.nanoTime() - start;
        return new Run(elapsed / 1e6, between(before, counts()), output);
    }

    /** The requests made between two readings of {@link #counts()}, by kind, leaving out kinds with none. */
    static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new TreeMap<>();
        after.forEach((kind, count) -> {
            long made = count - before.getOrDefault(kind, 0L);
            if (made != 0) {
                delta.put(kind, made);
            }
        });
        return delta;
    }
}
