package dev.flywheel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flywheel}: the command line. Subcommands do the work; this only parses and dispatches. */
@Command(name = "flywheel",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "A database server that speaks Amazon DynamoDB's API.",
        subcommands = {ServeCommand.class, AccelerateCommand.class, KeysCommand.class, TrainCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        // Netty's buffer allocator describes itself to JFR; registering those events loads JFR's metadata,
        // a sixth of a second of every start on one core, for recordings hardly anyone takes. Opt back in
        // with -Dio.netty.jfr.enabled=true.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }
}
