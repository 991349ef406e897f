package io.k9p.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Log records on standard error, one line each. Without --verbose no record carries a stack trace
 * (a throwable is summed up as its root cause's class and message), and the libraries' own records
 * are off: fabric8 logs each retry and each informer's failure with a trace, Vert.x and Netty
 * (the demo's API server) their connections' ends, while k9p says in its own lines what failed.
 * With --verbose every record is shown whole, the libraries' debug records included.
 */
final class Logging {
    /** Held here: a logger whose level was set is otherwise only weakly kept, and its level lost. */
    private static final List<Logger> LIBRARIES = List.of(
            Logger.getLogger("io.fabric8"), Logger.getLogger("io.vertx"), Logger.getLogger("io.netty"));

    private Logging() {
    }

    static void configure(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (var handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new Line(verbose));
        Level level = verbose ? Level.FINE : Level.INFO;
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
        for (Logger library : LIBRARIES) {
            library.setLevel(verbose ? null : Level.OFF);
        }
        Logger uncaught = Logger.getLogger("io.k9p");
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
                uncaught.log(Level.SEVERE, "unexpected failure in thread " + thread.getName(), failure));
    }

    /** One line of text for a failure: its root cause's class and message; the whole trace with -v. */
    static String summary(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + oneLine(root.getMessage());
        return root.getClass().getName() + message;
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** {@code 2026-01-02 10:00:00 WARNING io.k9p.Logger: message[: cause]}. */
    private static final class Line extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

        private final boolean verbose;

        Line(boolean verbose) {
            this.verbose = verbose;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder()
                    .append(TIME.format(LocalDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault())))
                    .append(' ').append(record.getLevel().getName())
                    .append(' ').append(record.getLoggerName()).append(": ");
            String message = formatMessage(record);
            if (verbose) {
                line.append(message).append(System.lineSeparator());
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append(trace);
                }
                return line.toString();
            }
            line.append(oneLine(message == null ? "" : message));
            if (record.getThrown() != null) {
                line.append(": ").append(summary(record.getThrown()));
            }
            return line.append(System.lineSeparator()).toString();
        }
    }
}
