package io.k9p.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The k9p command line. */
@Command(name = "k9p",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Kubernetes served as a 9P filesystem.",
        subcommands = {DemoCommand.class, ServeCommand.class, MountCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"k9p " + (version == null ? "(development build)" : version)};
        }
    }
}
