package dev.pmulab.cli;

import dev.pmulab.sim.report.ReportWriter;
import dev.pmulab.sim.report.ReproductionFormat;
import dev.pmulab.sim.report.ReproductionMarkdownRenderer;
import dev.pmulab.sim.report.ReproductionReport;
import dev.pmulab.sim.validation.Reproduction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pmulab reproduce}: the ARM64 PMU Partitioning v1 cover letter's benchmarks, published
 * against simulated. Exit 0 when every run produced a result (whatever the number of rows outside
 * the tolerance, which the report counts), 1 when a run failed (a policy or the simulator), 2 for
 * bad input.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {
            "Run the published benchmarks of the ARM64 PMU Partitioning v1 cover letter (2025-06-02) and print",
            "published vs simulated before, after and delta for each row, the ratio of the deltas and whether it",
            "is within +-25 %; published levels; the letter's trend claim (the benefit grows with the sample rate",
            "and the number of events) on variants of benchmark 1; and which configurations livelock.",
            "docs/validation.md is this command's markdown: " + ReproductionMarkdownRenderer.REGENERATE
        })
final class ReproduceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table, json, html or markdown (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the report into DIR/validation.<txt|json|html|md> (atomically) instead of printing it.")
    private Path out;

    @Option(names = "--jobs", paramLabel = "N", description = "Runs at once (default: the number of CPUs).")
    private Integer jobs;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReproductionFormat fmt = ReproductionFormat.fromCliName(format);
        int parallelism = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (parallelism < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1, was " + parallelism);
        }
        Reproduction reproduction = new Reproduction(common.registry(), parallelism);
        ReproductionReport report;
        try (Progress p = new Progress(err, reproduction.runCount(), "runs of the v1 cover letter's benchmarks",
                System.console() != null)) {
            report = reproduction.run(p::step);
        }
        if (out != null) {
            Path written = ReportWriter.writeToDirectory(report, fmt, out);
            err.println("pmulab reproduce: wrote " + written);
        } else {
            stdout.print(fmt.renderer().render(report));
        }
        stdout.flush();
        String tol = Math.round(100 * report.tolerance()) + " %";
        err.println("pmulab reproduce: " + report.rowsWithin() + " of " + report.rows().size()
                + " published deltas within +-" + tol + ", " + report.levelsWithin() + " of " + report.levels().size()
                + " levels; benefit grows with the sample rate: " + report.trend().growsWithRate().label()
                + ", with the events: " + report.trend().growsWithEvents().label() + "; livelocked benchmark runs: "
                + report.livelockedBenchmarkRuns().size());
        List<String> failures = report.failures();
        for (String f : failures) {
            err.println("pmulab reproduce: run failed: " + f);
        }
        return failures.isEmpty() ? 0 : 1;
    }
}
