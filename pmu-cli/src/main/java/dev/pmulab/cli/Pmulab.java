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
        subcommands = {
            CompareCommand.class,
            SweepCommand.class,
            MergeCommand.class,
            DiffCommand.class,
            ReproduceCommand.class,
            RunCommand.class,
            ScenariosCommand.class,
            PoliciesCommand.class,
            ValidateCommand.class,
            RegsCommand.class,
            BenchCommand.class,
            WorkerCommand.class,
            WorkloadCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Pmulab {

    /** Exit status when a run of a comparison failed (the others and the report are still there). */
    public static final int EXIT_RUN_FAILED = 1;

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
            // Bad input (a scenario, a policy name or setting, a plugin jar, an option) names itself
            // and runs nothing: exit 2. Anything else is a failure of the tool: exit 1, one line,
            // never a stack trace.
            boolean badInput = e instanceof dev.pmulab.sim.scenario.ScenarioException
                    || e instanceof dev.pmulab.sim.plugin.PluginException
                    || e instanceof IllegalArgumentException;
            String message = badInput ? String.valueOf(e.getMessage()) : "internal error: " + e;
            commandLine.getErr().println("pmulab " + commandLine.getCommandName() + ": " + Messages.cut(message));
            return badInput ? EXIT_BAD_INPUT : 1;
        });
        cl.setParameterExceptionHandler((e, arguments) -> {
            // picocli's message names the option and echoes the value: cut, in case the value is huge.
            CommandLine where = e.getCommandLine();
            where.getErr().println("pmulab " + where.getCommandName() + ": " + Messages.cut(e.getMessage()));
            where.getErr().println("Try 'pmulab " + (where == cl ? "" : where.getCommandName() + " ") + "--help'.");
            return EXIT_BAD_INPUT;
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
