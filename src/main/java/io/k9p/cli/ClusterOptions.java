package io.k9p.cli;

import io.k9p.fs.FsException;
import io.k9p.kube.KubeFileSystem;
import io.k9p.kube.cluster.Cluster;
import io.k9p.kube.cluster.DeletionGuard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Which cluster a command serves: the options of serve and mount. */
final class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, or in a pod its service account).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME",
            description = "The kubeconfig context (default: the current context; a 9P mount may pick another"
                    + " with -o aname=CONTEXT).")
    String context;

    @Option(names = "--cache-idle", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a type's watch and objects are kept while nobody reads the type, such as"
                    + " 90s, 10m or 2h (default: 10m); the next read lists the type again.")
    Duration cacheIdle = Cluster.DEFAULT_CACHE_IDLE;

    /** The cluster's tree once its API server has answered; else null, having said in one line why not. */
    KubeFileSystem open(DeletionGuard.Limit deletions, PrintWriter err) {
        return checked(new KubeFileSystem(KubeFileSystem.kubeconfig(kubeconfig), context, deletions, cacheIdle), err);
    }

    /** Whether the command line set --cache-idle: a mount of another server's tree has no cache of its own. */
    boolean cacheIdleGiven(CommandSpec spec) {
        return spec.commandLine().getParseResult().hasMatchedOption("--cache-idle");
    }

    /**
     * {@code tree} once its default context's API server has answered, so that nothing says it is
     * ready (mounted, serving) for a cluster that is not there; else null, closed, having said why.
     */
    static KubeFileSystem checked(KubeFileSystem tree, PrintWriter err) {
        try {
            tree.check();
            return tree;
        } catch (FsException e) {
            tree.close();
            err.println("k9p: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    /** How logs and the mount table name the cluster. */
    String describe() {
        return context == null ? "cluster" : "cluster " + context;
    }

    /** A positive number of milliseconds, seconds, minutes or hours: 500ms, 90s, 10m, 2h. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            Matcher matcher = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
                throw new TypeConversionException("'" + value + "' is no duration: write a positive number and a unit,"
                        + " ms, s, m or h (90s, 10m)");
            }
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
    }
}
