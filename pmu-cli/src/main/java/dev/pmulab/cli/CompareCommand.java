package dev.pmulab.cli;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.ReportFormat;
import dev.pmulab.sim.report.ReportWriter;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.Scenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pmulab compare}: one scenario, several policies of one kind, side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {
            "Run one scenario under several policies of one kind and print the numbers side by side.",
            "With no scenario: the flagship built-in scenario across every allocation policy found."
        })
final class CompareCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO", description = "A scenario file or a built-in name "
            + "(pmulab scenarios lists them). Default: " + BuiltInScenarios.FLAGSHIP + ".")
    private String scenario;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "Policies of one kind to compare, each a column; the scenario's choices for the other "
                    + "kinds stay fixed. Default: the scenario's allocation policies (all, if it names none).")
    private List<String> policies = new ArrayList<>();

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table, csv, json or html (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the report into DIR (atomically) instead of printing it.")
    private Path out;

    @Option(names = "--traps",
            description = "After the table, the guests' trapped PMU accesses per register, one column per run.")
    private boolean traps;

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed.")
    private Long seed;

    @Option(names = "--jobs", paramLabel = "N", description = "Runs at once (default: the number of CPUs).")
    private Integer jobs;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportFormat fmt = ReportFormat.fromCliName(format);
        TrapBreakdown.requireTableFormat(traps, format);
        Scenario s = CommonOptions.scenario(scenario == null ? BuiltInScenarios.FLAGSHIP : scenario);
        Comparison c = Comparison.plan(s, common.registry(), policies, seed == null ? s.seed() : seed);
        int parallelism = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        List<Comparison.Outcome> outcomes;
        try (Progress p = new Progress(err, c.runs().size(), "runs of " + s.name(), System.console() != null)) {
            outcomes = c.execute(parallelism, p::step);
        }
        ComparisonReport report = c.report(outcomes);
        if (out != null) {
            Path written = ReportWriter.writeToDirectory(report, fmt, out);
            err.println("pmulab compare: wrote " + written);
        } else {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ReportWriter.write(report, fmt, bytes);
            stdout.print(bytes.toString(StandardCharsets.UTF_8));
        }
        if (traps) {
            stdout.print(TrapBreakdown.render(c, outcomes));
        }
        stdout.flush();
        return report.failedRuns().isEmpty() ? 0 : 1;
    }
}
