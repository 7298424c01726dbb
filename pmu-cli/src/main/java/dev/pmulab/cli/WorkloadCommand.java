package dev.pmulab.cli;

import dev.pmulab.hw.io.TextFileException;
import dev.pmulab.hw.io.TextFiles;
import dev.pmulab.sim.scenario.PerfStatImport;
import dev.pmulab.sim.scenario.ScenarioLoader;
import dev.pmulab.sim.scenario.WorkloadProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pmulab workload from-perf-stat FILE}: a scenario's workload block from a measurement. */
@Command(
        name = "workload",
        mixinStandardHelpOptions = true,
        description = "Workload blocks for scenarios, from real measurements.",
        subcommands = {WorkloadCommand.FromPerfStat.class})
final class WorkloadCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("pmulab workload: name a subcommand: from-perf-stat FILE");
        return Pmulab.EXIT_BAD_INPUT;
    }

    @Command(
            name = "from-perf-stat",
            mixinStandardHelpOptions = true,
            description = "Turn `perf stat -x, -o FILE` output (events, task-clock or duration_time or the elapsed"
                    + " line, context-switches, cpu-migrations) into a VM's workload block: YAML on stdout,"
                    + " checked by the scenario reader.")
    static final class FromPerfStat implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Parameters(arity = "1", paramLabel = "FILE", description = "What perf stat -x, wrote.")
        private Path file;

        @Option(
                names = "--profile",
                defaultValue = "cpu-bound",
                paramLabel = "PROFILE",
                description = "The profile for the events perf stat did not count (default: ${DEFAULT-VALUE}).")
        private String profile;

        @Override
        public Integer call() {
            WorkloadProfile p = PerfStatImport.profile(profile);
            String text;
            try {
                text = TextFiles.read(file, "perf stat file", ScenarioLoader.MAX_FILE_BYTES);
            } catch (TextFileException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(PerfStatImport.workloadYaml(file.toString(), text, p));
            out.flush();
            return 0;
        }
    }
}
