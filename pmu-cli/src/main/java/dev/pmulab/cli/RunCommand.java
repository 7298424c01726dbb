package dev.pmulab.cli;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.ReportFormat;
import dev.pmulab.sim.report.ReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pmulab run}: one scenario with exactly the policies it names. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run one scenario with its policies (each allocation policy it lists, one run",
            "each) and print the metrics.",
            "Exit status: 0 every run finished; 1 a run failed (stderr says which);",
            "2 bad input or usage, nothing ran. Runs of policies from plugin jars go to",
            "worker JVMs."
        })
final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Mixin
    private RunOptions running;

    @Mixin
    private ByOption byOption;

    @Parameters(paramLabel = "SCENARIO", description = "A scenario file or a built-in name.")
    private String scenario;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "FORMAT",
            description = "table, csv, json or html (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(
            names = "--traps",
            description = "After the table, the guests' trapped PMU accesses per register, one column per run.")
    private boolean traps;

    @Option(names = "--seed", paramLabel = "N", description = "Override the scenario's seed.")
    private Long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportFormat fmt = ReportFormat.fromCliName(format);
        TrapBreakdown.requireTableFormat(traps, format);
        Breakdown.By by = byOption.check(fmt, false);
        running.validate();
        CommonOptions.ScenarioInput input = CommonOptions.scenarioInput(scenario);
        List<Path> pluginDirs = common.pluginDirectories();
        Comparison c = Comparison.plan(
                input.scenario(),
                common.registry(),
                List.of(),
                seed == null ? input.scenario().seed() : seed);
        if (!running.confirm("run", c, err)) {
            return Pmulab.EXIT_BAD_INPUT;
        }
        List<Comparison.Outcome> outcomes = running.execute("run", c, input, pluginDirs, err);
        ComparisonReport report =
                c.report(outcomes).withScenarioText(input.source().text());
        if (!ByOption.replacesReport(by, fmt)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ReportWriter.write(report, TerminalWidth.rendererForStandardOutput(fmt), bytes);
            stdout.print(bytes.toString(StandardCharsets.UTF_8));
        }
        if (by != null) {
            stdout.print(ByOption.render(by, fmt, report, outcomes));
        }
        if (traps) {
            stdout.print(TrapBreakdown.render(c, outcomes));
        }
        stdout.flush();
        RunOptions.reportFailures("run", report, err);
        return report.failedRuns().isEmpty() ? 0 : 1;
    }
}
