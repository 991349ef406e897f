package io.k9p.cli;

import io.k9p.kube.cluster.DeletionGuard;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The stop on bursts of deletions through the tree: options of serve and mount. */
final class DeletionOptions {
    private static final String BURST = "--deletion-burst";
    private static final String WINDOW = "--deletion-window";

    @Option(names = BURST, paramLabel = "N",
            description = "Deletions through the tree (rmdir or rm -r of an object, rmdir of an empty namespace,"
                    + " rm of a key) that one user may make within --deletion-window; one more stops them until"
                    + " 'allow-deletions' is written to the ctl file at the tree's root (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + DeletionGuard.Limit.DEFAULT_BURST)
    int burst;

    @Option(names = WINDOW, paramLabel = "SECONDS",
            description = "The window of --deletion-burst (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + DeletionGuard.Limit.DEFAULT_WINDOW_SECONDS)
    int window;

    DeletionGuard.Limit limit(CommandSpec spec) {
        if (burst < 0) {
            throw new ParameterException(spec.commandLine(), BURST + ": not a number of deletions: " + burst);
        }
        if (window < 1) {
            throw new ParameterException(spec.commandLine(), WINDOW + ": at least 1 second, not " + window);
        }
        return new DeletionGuard.Limit(burst, Duration.ofSeconds(window));
    }

    /** Whether the command line set either: a mount of another server's tree cannot apply them. */
    boolean given(CommandSpec spec) {
        var parsed = spec.commandLine().getParseResult();
        return parsed.hasMatchedOption(BURST) || parsed.hasMatchedOption(WINDOW);
    }
}
