package dev.pmulab.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pmulab} command: a laboratory for virtual-PMU designs on Arm. */
@Command(
        name = "pmulab",
        mixinStandardHelpOptions = true,
        versionProvider = Pmulab.Version.class,
        description = "A laboratory for virtual-PMU designs on Arm: the PMUv3 hardware, the Linux host perf core "
                + "and KVM's vPMU, with competing policies side by side.",
        subcommands = {RegsCommand.class, CommandLine.HelpCommand.class})
public final class Pmulab {

    /** Exit status when the input (a file, a script, an option) is bad: nothing was run. */
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Pmulab());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("pmulab: " + e.getMessage());
            return 1;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Pmulab.class.getPackage().getImplementationVersion();
            return new String[] {"pmulab " + (v == null ? "development build" : v)};
        }
    }
}
