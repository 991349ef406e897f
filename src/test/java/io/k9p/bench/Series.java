package io.k9p.bench;

import java.util.Arrays;
import java.util.List;

/** The runs of one command by one tool, the first one (cold) first. */
record Series(String tool, String command, List<Run> runs) {
    Run first() {
        return runs.get(0);
    }

    List<Run> repeated() {
        return runs.subList(1, runs.size());
    }

    double repeatedMedian() {
        return median(repeated().stream().mapToDouble(Run::millis).toArray());
    }

    double repeatedMin() {
        return repeated().stream().mapToDouble(Run::millis).min().orElseThrow();
    }

    double repeatedMax() {
        return repeated().stream().mapToDouble(Run::millis).max().orElseThrow();
    }

    double repeatedRequestsMedian() {
        return median(repeated().stream().mapToDouble(Run::requestTotal).toArray());
    }

    /** The repeated runs' "objects+discovery" requests: one when they agree, else each run's. */
    String repeatedRequests() {
        List<String> splits = repeated().stream().map(Run::requestSplit).toList();
        return splits.stream().distinct().count() == 1 ? splits.get(0) : String.join(",", splits);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
