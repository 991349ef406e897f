package io.k9p.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Command;

/** The k9p command line. */
@Command(name = "k9p",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Kubernetes served as a 9P filesystem.",
        subcommands = {DemoCommand.class, ServeCommand.class, MountCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setExecutionExceptionHandler(Main::failed).execute(args));
    }

    /** A command that fails unexpectedly says so in one line, and exits 1; -v adds the stack trace. */
    private static int failed(Exception failure, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println("k9p: " + command.getCommandName() + " failed: " + Logging.summary(failure));
        if (parsed.asCommandLineList().stream().anyMatch(line -> line.getParseResult().hasMatchedOption("--verbose"))) {
            failure.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"k9p " + (version == null ? "(development build)" : version)};
        }
    }
}
