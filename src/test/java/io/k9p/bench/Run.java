package io.k9p.bench;

import java.util.Map;

/** One run of one command: its wall time, the API requests it made (by kind), what it found. */
record Run(double millis, Map<String, Long> requests, long output) {
    /** The API server's name for requests of discovery documents (and /version). */
    static final String DISCOVERY = "GET discovery";

    long requestTotal() {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests for discovery documents: fetched again by time, not by object. */
    long discoveryRequests() {
        return requests.getOrDefault(DISCOVERY, 0L);
    }

    long objectRequests() {
        return requestTotal() - discoveryRequests();
    }

    /** "objects+discovery" */
    String requestSplit() {
        return objectRequests() + "+" + discoveryRequests();
    }
}
