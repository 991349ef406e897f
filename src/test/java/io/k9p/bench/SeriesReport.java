package io.k9p.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a report that the cluster benchmarks print alike: a line per series as it ends, the
 * table of times and API requests, the requests by kind, and a machine-readable RESULT line per series.
 */
final class SeriesReport {
    private SeriesReport() {
    }

    /** To stderr, as each series ends: the benchmark takes minutes, and the report comes at the end. */
    static void progress(String program, List<Series> done) {
        for (Series series : done) {
            System.err.printf(Locale.ROOT, "%s: %s %s: ms %s, API requests %s%n", program, series.tool(),
                    series.command(), series.runs().stream().map(run -> String.format(Locale.ROOT, "%.0f", run.millis()))
                            .toList(), series.runs().stream().map(Run::requestSplit).toList());
        }
    }

    static void table(PrintStream out, List<Series> results) {
        out.printf(Locale.ROOT, "%-8s %-50s %10s %28s %10s %14s%n", "tool", "command", "first ms",
                "repeated ms: median (range)", "req first", "req repeated");
        for (Series series : results) {
            out.printf(Locale.ROOT, "%-8s %-50s %,10.0f %,10.0f (%,7.0f-%,7.0f) %10s %14s%n", series.tool(),
                    series.command(), series.first().millis(), series.repeatedMedian(), series.repeatedMin(),
                    series.repeatedMax(), series.first().requestSplit(), series.repeatedRequests());
        }
    }

    static void requestsByKind(PrintStream out, List<Series> results) {
        out.println("API requests by kind, the first run, then each repeated run:");
        for (Series series : results) {
            out.printf(Locale.ROOT, "  %-8s %-50s %s%n", series.tool(), series.command(), series.first().requests());
            out.printf(Locale.ROOT, "  %-8s %-50s %s%n", "", "",
                    series.repeated().stream().map(run -> run.requests().toString()).toList());
        }
    }

    static void resultLines(PrintStream out, List<Series> results) {
        for (Series series : results) {
            out.printf(Locale.ROOT, "RESULT {\"tool\":\"%s\",\"command\":\"%s\",\"first_ms\":%.1f,"
                            + "\"repeated_median_ms\":%.1f,\"first_requests\":%d,\"first_discovery_requests\":%d,"
                            + "\"repeated_requests_median\":%.1f}%n",
                    series.tool(), series.command().replace("\"", "\\\""), series.first().millis(),
                    series.repeatedMedian(), series.first().requestTotal(), series.first().discoveryRequests(),
                    series.repeatedRequestsMedian());
        }
    }
}
