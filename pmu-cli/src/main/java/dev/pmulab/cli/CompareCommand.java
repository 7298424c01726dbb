package dev.pmulab.cli;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.ReportFormat;
import dev.pmulab.sim.report.ReportWriter;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pmulab compare}: one scenario, several policies of one kind, side by side. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Run one scenario under several policies of one kind and print the numbers side by side.",
            "With no scenario: the flagship built-in scenario across every allocation policy found.",
            "Exit status: 0 every run finished; 1 a run failed (the report is still",
            "written, and stderr says which); 2 bad input or usage, nothing ran.",
            "Runs of policies from plugin jars go to worker JVMs."
        })
final class CompareCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Mixin
    private RunOptions running;

    @Mixin
    private ByOption byOption;

    @Parameters(
            arity = "0..1",
            paramLabel = "SCENARIO",
            description = "A scenario file or a built-in name " + "(pmulab scenarios lists them). Default: "
                    + BuiltInScenarios.FLAGSHIP + ".")
    private String scenario;

    @Option(
            names = "--policies",
            paramLabel = "POLICIES",
            description = "Policies of one kind to compare, each a column, separated by commas: a name, or a name "
                    + "with settings as the report prints them, e.g. 'static-hpmn(reserved_host_counters=3),emulated' "
                    + "(commas inside the parentheses belong to the policy; the option may be repeated). Settings "
                    + "not given keep the scenario's, then the defaults. The scenario's choices for the other kinds "
                    + "stay fixed. Default: the scenario's allocation policies (all, if it names none).")
    private List<String> policies;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "FORMAT",
            description = "table, csv, json or html (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Write the report into DIR (atomically) instead of printing it; checked before anything runs.")
    private Path out;

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
        // Every input is checked before anything runs: options, the scenario, the plugins, the policies, --out.
        ReportFormat fmt = ReportFormat.fromCliName(format);
        TrapBreakdown.requireTableFormat(traps, format);
        Breakdown.By by = byOption.check(fmt, out != null);
        running.validate();
        List<String> compared = RunOptions.policyList(policies);
        CommonOptions.ScenarioInput input =
                CommonOptions.scenarioInput(scenario == null ? BuiltInScenarios.FLAGSHIP : scenario);
        List<Path> pluginDirs = common.pluginDirectories();
        Comparison c = Comparison.plan(
                input.scenario(),
                common.registry(),
                compared,
                seed == null ? input.scenario().seed() : seed);
        Optional<Path> replaced = Optional.empty();
        if (out != null) {
            replaced = OutDirectory.check(
                    out, ReportWriter.fileName(input.scenario().name(), c.comparedKind(), fmt));
        }
        if (!running.confirm("compare", c, err)) {
            return Pmulab.EXIT_BAD_INPUT;
        }
        replaced.ifPresent(r -> err.println("pmulab compare: --out " + out + " holds an earlier report, "
                + OutDirectory.describe(r) + "; this run replaces it"));
        List<Comparison.Outcome> outcomes = running.execute("compare", c, input, pluginDirs, err);
        ComparisonReport report =
                c.report(outcomes).withScenarioText(input.source().text());
        if (out != null) {
            Path written = ReportWriter.writeToDirectory(report, fmt, out);
            err.println("pmulab compare: wrote " + written
                    + (replaced.isPresent() ? " (replacing the earlier report)" : ""));
        } else if (!ByOption.replacesReport(by, fmt)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            // The table keeps within the terminal it is printed on; a file under --out gets the default width.
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
        RunOptions.reportFailures("compare", report, err);
        return report.failedRuns().isEmpty() ? 0 : 1;
    }
}
