package dev.pmulab.cli;

import dev.pmulab.sim.report.CostFitFormat;
import dev.pmulab.sim.report.CostFitReport;
import dev.pmulab.sim.report.ReportWriter;
import dev.pmulab.sim.report.ReproductionFormat;
import dev.pmulab.sim.report.ReproductionMarkdownRenderer;
import dev.pmulab.sim.report.ReproductionReport;
import dev.pmulab.sim.validation.CostAxis;
import dev.pmulab.sim.validation.CostFit;
import dev.pmulab.sim.validation.Reproduction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
@Command(
        name = "reproduce",
        mixinStandardHelpOptions = true,
        description = {
            "Run the published benchmarks of the ARM64 PMU Partitioning v1 cover letter (2025-06-02) and print",
            "published vs simulated before, after and delta for each row, the ratio of the deltas and whether it",
            "is within +-25 %%; published levels; the letter's trend claim (the benefit grows with the sample rate",
            "and the number of events) on variants of benchmark 1; which configurations livelock; and the figures",
            "to check on real hardware (each run's guest PMIs, samples, throttles, final perf_event_max_sample_rate).",
            "docs/validation.md is this command's markdown: " + ReproductionMarkdownRenderer.REGENERATE,
            "",
            "With --fit, sweep kernel costs over a grid instead: at each point run the three benchmarks with",
            "those prices and score the point on benchmarks 1 and 3 (benchmark 2 is held out), e.g.",
            "  pmulab reproduce --fit C12=250,500,1000 --fit C12.per_unit=50,200,400 --scale 0.2"
        })
final class ReproduceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private CommonOptions common;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "FORMAT",
            description = "table, json, html or markdown (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description =
                    "Write the report into DIR/validation.<txt|json|html|md> (atomically) instead of printing it.")
    private Path out;

    @Option(names = "--jobs", paramLabel = "N", description = "Runs at once (default: the number of CPUs).")
    private Integer jobs;

    @Option(
            names = "--fit",
            paramLabel = "KEY=V1,V2,...",
            description = {
                "Sweep a kernel cost over these values (ns) instead of reproducing once; repeatable, the"
                        + " grid is every combination. KEY is a cost id or name (C12, perf_event_create), with"
                        + " .per_unit for the per-unit part of C12 or C14. Formats: table or csv;"
                        + " --out DIR writes DIR/cost-fit.<txt|csv>."
            })
    private List<String> fit = new ArrayList<>();

    @Option(
            names = "--scale",
            paramLabel = "S",
            description = "With --fit: run each benchmark for this share of its length, in (0, 1]" + " (default: "
                    + DEFAULT_FIT_SCALE + "; 1 runs the benchmarks as reproduce does).")
    private Double scale;

    /** --fit's run length: a fifth of each benchmark (6 s of stress-ng, 1.8e9 gzip instructions). */
    static final double DEFAULT_FIT_SCALE = 0.2;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int parallelism = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        if (parallelism < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1, was " + parallelism);
        }
        if (!fit.isEmpty()) {
            return fit(stdout, err, parallelism);
        }
        if (scale != null) {
            throw new IllegalArgumentException("--scale applies to --fit only");
        }
        ReproductionFormat fmt = ReproductionFormat.fromCliName(format);
        Reproduction reproduction = new Reproduction(common.registry(), parallelism);
        ReproductionReport report;
        try (Progress p = Progress.counting("reproduce", reproduction.runCount())) {
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
        err.println("pmulab reproduce: " + report.rowsWithin() + " of "
                + report.rows().size()
                + " published deltas within +-" + tol + ", " + report.levelsWithin() + " of "
                + report.levels().size()
                + " levels; benefit grows with the sample rate: "
                + report.trend().growsWithRate().label()
                + ", with the events: " + report.trend().growsWithEvents().label() + "; livelocked benchmark runs: "
                + report.livelockedBenchmarkRuns().size());
        List<String> failures = report.failures();
        for (String f : failures) {
            err.println("pmulab reproduce: run failed: " + f);
        }
        return failures.isEmpty() ? 0 : 1;
    }

    /** {@code --fit}: the grid, each point's scores, the best point. Exit 1 when a run failed. */
    private int fit(PrintWriter stdout, PrintWriter err, int parallelism) throws Exception {
        CostFitFormat fmt = CostFitFormat.fromCliName(format);
        List<CostAxis> axes = new ArrayList<>();
        for (String f : fit) {
            axes.add(CostAxis.parse(f));
        }
        CostFit costFit = new CostFit(common.registry(), parallelism, scale != null ? scale : DEFAULT_FIT_SCALE);
        CostFitReport report;
        try (Progress p = Progress.counting("reproduce --fit", CostFit.runCount(axes))) {
            report = costFit.run(axes, p::step);
        }
        if (out != null) {
            Path written = ReportWriter.writeToDirectory(report, fmt, out);
            err.println("pmulab reproduce --fit: wrote " + written);
        } else {
            stdout.print(fmt.render(report));
        }
        stdout.flush();
        CostFitReport.Point best = report.bestPoint();
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < report.parameters().size(); i++) {
            values.append(i == 0 ? "" : " ")
                    .append(report.parameters().get(i).label())
                    .append('=')
                    .append(best.valuesNs().get(i));
        }
        err.println("pmulab reproduce --fit: " + report.points().size() + " points; best " + values + " (J = "
                + String.format(Locale.ROOT, "%.3f", best.objective()) + ")");
        long failed =
                report.points().stream().mapToLong(p -> p.failures().size()).sum();
        return failed == 0 ? 0 : 1;
    }
}
