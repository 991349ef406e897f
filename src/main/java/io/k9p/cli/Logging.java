package io.k9p.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** One-line log records on standard error; debug detail only with --verbose. */
final class Logging {
    private Logging() {
    }

    static void configure(boolean verbose) {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        for (var handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new SimpleFormatter());
        Level level = verbose ? Level.FINE : Level.INFO;
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
    }
}
