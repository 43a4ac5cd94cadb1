package dev.flywheel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flywheel}: the command line. Subcommands do the work; this only parses and dispatches. */
@Command(name = "flywheel",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A database server that speaks Amazon DynamoDB's API.",
        subcommands = {ServeCommand.class, AccelerateCommand.class, KeysCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
