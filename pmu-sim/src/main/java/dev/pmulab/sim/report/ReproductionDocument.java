package dev.pmulab.sim.report;

import dev.pmulab.sim.report.ReproductionReport.BenchmarkRuns;
import dev.pmulab.sim.report.ReproductionReport.GuestPerf;
import dev.pmulab.sim.report.ReproductionReport.ImpliedPmis;
import dev.pmulab.sim.report.ReproductionReport.Level;
import dev.pmulab.sim.report.ReproductionReport.Row;
import dev.pmulab.sim.report.ReproductionReport.Run;
import dev.pmulab.sim.report.ReproductionReport.Trend;
import dev.pmulab.sim.report.ReproductionReport.TrendPoint;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of a {@link ReproductionReport} as sections of lines and grids, shared by the table,
 * Markdown and HTML renderers so the three say the same thing and differ only in layout. Numbers
 * are rounded half-even from the exact double, independent of locale and JDK.
 */
final class ReproductionDocument {
    static final String NOT_APPLICABLE = "n/a";

    private ReproductionDocument() {}

    /**
     * A grid of cells. {@code numeric[i]} columns are right-aligned; {@code verdictColumn} (or -1)
     * holds yes/no cells that the HTML colours.
     */
    record Grid(List<String> header, boolean[] numeric, List<List<String>> rows, int verdictColumn) {
        Grid {
            header = List.copyOf(header);
            rows = List.copyOf(rows);
            for (List<String> r : rows) {
                if (r.size() != header.size()) {
                    throw new IllegalArgumentException(
                            "row " + r + " has " + r.size() + " cells, header has " + header.size());
                }
            }
        }
    }

    /** A titled section: lines of text, then grids, each optionally with a caption line above it. */
    record Section(String title, List<String> lines, List<String> captions, List<Grid> grids) {
        Section {
            lines = List.copyOf(lines);
            captions = List.copyOf(captions);
            grids = List.copyOf(grids);
            if (captions.size() != grids.size()) {
                throw new IllegalArgumentException("one caption per grid");
            }
        }
    }

    static String title(ReproductionReport r) {
        return "pmulab reproduce: " + r.source().title() + ", " + r.source().date();
    }

    static List<Section> sections(ReproductionReport r) {
        List<Section> out = new ArrayList<>();
        out.add(summary(r));
        out.add(deltas(r));
        out.add(levels(r));
        out.add(trend(r));
        out.add(livelock(r));
        out.add(runs(r));
        out.add(figures(r));
        out.add(costs(r));
        return out;
    }

    // ---------------------------------------------------------------------------------------------

    private static Section summary(ReproductionReport r) {
        String tol = percent(r.tolerance());
        List<String> lines = new ArrayList<>();
        lines.add("Source: " + r.source().title() + ", " + r.source().date() + ", "
                + r.source().url());
        lines.add("Before = the emulated vPMU, after = the static partition, each as its scenario configures it;"
                + " a value is reproduced when simulated / published (for a delta: simulated delta / published"
                + " delta) is within +-" + tol + " %.");
        lines.add("Published deltas within +-" + tol + " %: " + r.rowsWithin() + " of "
                + r.rows().size() + " (" + (r.rows().size() - r.rowsWithin()) + " outside).");
        lines.add("Published levels within +-" + tol + " %: " + r.levelsWithin() + " of "
                + r.levels().size() + ".");
        Trend t = r.trend();
        lines.add("Trend claim: the benefit grows with the sample rate: "
                + t.growsWithRate().label() + "; with the number of events: "
                + t.growsWithEvents().label() + ".");
        List<String> live = r.livelockedBenchmarkRuns();
        lines.add("Livelock in a configuration the letter ran: " + (live.isEmpty() ? "none" : String.join("; ", live))
                + ".");
        List<String> failures = r.failures();
        if (!failures.isEmpty()) {
            lines.add("Runs that failed (not a result): " + failures.size() + ", listed under Runs.");
        }
        return new Section("Summary", lines, List.of(), List.of());
    }

    private static Section deltas(ReproductionReport r) {
        List<List<String>> rows = new ArrayList<>();
        for (Row row : r.rows()) {
            String unit = row.unit().isEmpty() ? "" : " [" + row.unit() + "]";
            rows.add(List.of(
                    Integer.toString(row.benchmark()),
                    row.quantity() + unit,
                    row.metric(),
                    fixed(row.publishedBefore(), row.decimals()),
                    fixed(row.publishedAfter(), row.decimals()),
                    signed(row.publishedDelta(), 2) + " " + row.deltaUnit() + (row.deltaStated() ? "" : " (c)"),
                    fixed(row.simulatedBefore(), row.decimals()),
                    fixed(row.simulatedAfter(), row.decimals()),
                    withUnit(signed(row.simulatedDelta(), 2), row.deltaUnit()),
                    fixed(row.ratio(), 3),
                    verdict(r, row.ratio())));
        }
        Grid g = new Grid(
                List.of(
                        "#",
                        "quantity",
                        "pmulab metric",
                        "pub. before",
                        "pub. after",
                        "pub. delta",
                        "sim. before",
                        "sim. after",
                        "sim. delta",
                        "sim/pub",
                        "within"),
                new boolean[] {true, false, false, true, true, true, true, true, true, true, false},
                rows,
                10);
        return new Section(
                "Published deltas",
                List.of(
                        "(c): computed from the letter's two values; the others the letter states. sim/pub is the simulated"
                                + " delta over the published one.",
                        "Source of every row: " + r.source().title() + " ("
                                + r.source().date() + "), " + r.source().url()),
                List.of(""),
                List.of(g));
    }

    private static Section levels(ReproductionReport r) {
        List<List<String>> rows = new ArrayList<>();
        for (Level l : r.levels()) {
            String unit = l.unit().isEmpty() ? "" : " [" + l.unit() + "]";
            rows.add(List.of(
                    l.name() + unit + (l.doneCriterion() ? " (issue 14 done criterion)" : ""),
                    l.policy(),
                    fixed(l.published(), l.decimals()),
                    fixed(l.simulated(), l.decimals()),
                    fixed(l.ratio(), 3),
                    verdict(r, l.ratio())));
        }
        Grid g = new Grid(
                List.of("level", "run", "published", "simulated", "sim/pub", "within"),
                new boolean[] {false, false, true, true, true, false},
                rows,
                5);
        return new Section(
                "Published levels",
                List.of("Levels issue 14 names: each run's own value against the letter's, not a delta."),
                List.of(""),
                List.of(g));
    }

    private static Section trend(ReproductionReport r) {
        Trend t = r.trend();
        List<String> lines = List.of(
                "The letter: the benefit is largest at high sample rates and with many events that need"
                        + " multiplexing. Tested on " + t.scenario() + " changed in code: perf record with the first"
                        + " N of its events at F Hz, " + sci(t.instructions()) + " instructions each (a third of"
                        + " the gzip job), stopped at " + fixed(t.timeLimitNs() / 1e9, 0) + " s.",
                "benefit = 100 x (real(emulated) - real(partitioned)) / real(emulated); '>=' marks a lower bound"
                        + " (the emulated run did not finish, so its real time is at least the limit).",
                "The benefit grows with the sample rate: " + t.growsWithRate().label() + ". With the number of events: "
                        + t.growsWithEvents().label() + ".");
        return new Section(
                "Trend claim",
                lines,
                List.of(
                        "At " + t.eventsAtRates() + " events, by sample rate:",
                        "At " + t.rateAtEvents() + " Hz, by number of events:"),
                List.of(trendGrid(r, t.byRate()), trendGrid(r, t.byEvents())));
    }

    private static Grid trendGrid(ReproductionReport r, List<TrendPoint> points) {
        List<List<String>> rows = new ArrayList<>();
        for (TrendPoint p : points) {
            rows.add(List.of(
                    Long.toString(p.frequencyHz()),
                    Integer.toString(p.events()),
                    runReal(p.emulated()),
                    runReal(p.partitioned()),
                    (p.benefitIsLowerBound() ? ">= " : "") + fixed(p.benefitPct(), 2),
                    fixed(p.emulated().guestPct(), 2),
                    fixed(p.partitioned().guestPct(), 2),
                    livelocks(r, p.emulated(), p.partitioned())));
        }
        return new Grid(
                List.of(
                        "rate [Hz]",
                        "events",
                        "emulated real [s]",
                        "partitioned real [s]",
                        "benefit [%]",
                        "emulated guest [%]",
                        "partitioned guest [%]",
                        "livelock"),
                new boolean[] {true, true, true, true, true, true, true, false},
                rows,
                -1);
    }

    private static Section livelock(ReproductionReport r) {
        List<String> bench = r.livelockedBenchmarkRuns();
        List<String> sweep = r.livelockedTrendRuns();
        return new Section(
                "Livelock",
                List.of(
                        "A run is livelocked when its guest ran less than " + fixed(r.livelockGuestPct(), 0)
                                + " % of its"
                                + " pCPUs' time (guest.run_pct), or did not get its work done before its time limit.",
                        "In the configurations the letter ran (the benchmark runs): "
                                + (bench.isEmpty() ? "none" : String.join("; ", bench)) + ".",
                        "In the sweep: " + (sweep.isEmpty() ? "none" : String.join("; ", sweep)) + "."),
                List.of(),
                List.of());
    }

    private static Section runs(ReproductionReport r) {
        List<List<String>> rows = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (BenchmarkRuns b : r.benchmarks()) {
            for (Run run : List.of(b.before(), b.after())) {
                rows.add(List.of(
                        Integer.toString(b.number()),
                        b.scenario(),
                        run.policy(),
                        run.status().jsonName(),
                        fixed(run.realNs() / 1e9, 3),
                        fixed(run.sysNs() / 1e9, 3),
                        fixed(run.guestPct(), 2),
                        fixed(run.hostKernelPct(), 2)));
                if (run.error() != null) {
                    errors.add(b.scenario() + " / " + run.policy() + ": " + run.error());
                }
            }
        }
        for (String f : r.failures()) {
            if (!errors.contains(f)) {
                errors.add(f);
            }
        }
        List<String> lines = new ArrayList<>();
        for (BenchmarkRuns b : r.benchmarks()) {
            lines.add("Benchmark " + b.number() + " (" + b.scenario() + "): " + b.command());
        }
        for (String e : errors) {
            lines.add("Not finished: " + e);
        }
        Grid g = new Grid(
                List.of(
                        "#",
                        "scenario",
                        "allocation policy",
                        "status",
                        "real [s]",
                        "sys [s]",
                        "guest [%]",
                        "host kernel [%]"),
                new boolean[] {true, false, false, false, true, true, true, true},
                rows,
                -1);
        return new Section("Runs", lines, List.of(""), List.of(g));
    }

    /** The section's title, which validation-header.md points at. */
    static final String FIGURES_TITLE = "Figures to check on real hardware";

    /**
     * pmulab's prediction of what the guest of each benchmark run would show, with the command that
     * shows it on a real machine, and what the letter's host kernel share implies for the PMIs.
     */
    private static Section figures(ReproductionReport r) {
        List<List<String>> rows = new ArrayList<>();
        for (BenchmarkRuns b : r.benchmarks()) {
            for (Run run : List.of(b.before(), b.after())) {
                GuestPerf f = run.guestPerf();
                rows.add(List.of(
                        Integer.toString(b.number()),
                        b.scenario(),
                        run.policy(),
                        fixed(f.pmis(), 0),
                        fixed(run.pmisPerSecond(), 0),
                        fixed(f.samples(), 0),
                        fixed(f.throttles(), 0),
                        fixed(f.maxSampleRate(), 0)));
            }
        }
        Grid predicted = new Grid(
                List.of(
                        "#",
                        "scenario",
                        "allocation policy",
                        "guest PMIs",
                        "PMIs/s",
                        "samples",
                        "throttles",
                        "max sample rate [Hz]"),
                new boolean[] {true, false, false, true, true, true, true, true},
                rows,
                -1);
        List<List<String>> implied = new ArrayList<>();
        for (ImpliedPmis i : r.impliedPmis()) {
            implied.add(List.of(
                    Integer.toString(i.benchmark()),
                    i.policy(),
                    fixed(i.simulatedPmisPerSecond(), 0),
                    fixed(i.simulatedHostKernelPct(), 2),
                    fixed(i.publishedHostKernelPct(), 2),
                    fixed(i.impliedPmisPerSecond(), 0),
                    fixed(i.factor(), 2)));
        }
        Grid impliedGrid = new Grid(
                List.of(
                        "#",
                        "run",
                        "sim. PMIs/s",
                        "sim. host kernel [%]",
                        "pub. host kernel [%]",
                        "implied PMIs/s",
                        "sim/implied"),
                new boolean[] {true, false, true, true, true, true, true},
                implied,
                -1);
        List<String> lines = List.of(
                "What pmulab predicts the guest of each benchmark run shows, so that one real run can confirm or"
                        + " refute the model (docs/metrics.md defines each; n/a: the run did not finish). In the"
                        + " guest, around the letter's command:",
                "guest PMIs (guest.pmis): the PMU line of /proc/interrupts ('grep arm-pmu /proc/interrupts'"
                        + " before and after), the per-CPU differences summed; PMIs/s divides by the run's real time"
                        + " (guest.workload_ns).",
                "samples (guest.perf_samples) and throttles (guest.perf_throttles): 'perf report --stats' on"
                        + " the perf.data written, its SAMPLE events (plus LOST_SAMPLES if any) and THROTTLE events.",
                "max sample rate (guest.perf_max_sample_rate): 'sysctl kernel.perf_event_max_sample_rate'"
                        + " afterwards; dmesg shows a \"perf: interrupt took too long (A > B), lowering"
                        + " kernel.perf_event_max_sample_rate to N\" line as the kernel lowers it (rate-limited).",
                "What the letter's host kernel time implies (benchmark 3, the only one that publishes it): if"
                        + " each guest PMI costs the host what it costs in pmulab's run and the PMIs are what the host"
                        + " kernel does there, the PMI rate scales with the host kernel share: implied PMIs/s ="
                        + " sim. PMIs/s x pub. host kernel / sim. host kernel, and sim/implied = sim. host kernel /"
                        + " pub. host kernel. A first-order figure: the host's own work besides the PMIs (ticks,"
                        + " rotation, the workload's exits) is counted as the PMIs', which makes it a lower bound"
                        + " on how many times fewer PMIs the letter's guest took.");
        return new Section(
                FIGURES_TITLE,
                lines,
                List.of("Predicted by pmulab:", "What the letter's host kernel share implies:"),
                List.of(predicted, impliedGrid));
    }

    private static Section costs(ReproductionReport r) {
        List<List<String>> rows = new ArrayList<>();
        for (CostAssumption c : r.costs()) {
            rows.add(List.of(
                    c.id(),
                    c.name(),
                    Long.toString(c.valueNs()),
                    c.flag() + (c.overridden() ? ", overridden" : ""),
                    c.source()));
        }
        Grid g = new Grid(
                List.of("id", "cost", "ns", "flag", "source"),
                new boolean[] {false, false, true, false, false},
                rows,
                -1);
        return new Section(
                "Cost constants the benchmark runs charged",
                List.of(
                        "Every KernelCost the six benchmark runs charged at least once, with its default's flag and source"
                                + " (perf-core-and-costs.md section 8). An estimate is a number nobody measured."),
                List.of(""),
                List.of(g));
    }

    // ---------------------------------------------------------------------------------------------

    private static String runReal(Run run) {
        return switch (run.status()) {
            case OK -> fixed(run.realNs() / 1e9, 3);
            case UNFINISHED -> "unfinished";
            case FAILED -> "FAILED";
        };
    }

    private static String livelocks(ReproductionReport r, Run emulated, Run partitioned) {
        List<String> l = new ArrayList<>();
        if (r.livelocked(emulated)) {
            l.add("emulated");
        }
        if (r.livelocked(partitioned)) {
            l.add("partitioned");
        }
        return l.isEmpty() ? "no" : String.join(", ", l);
    }

    static String verdict(ReproductionReport r, double ratio) {
        return Double.isNaN(ratio) ? NOT_APPLICABLE : r.within(ratio) ? "yes" : "no";
    }

    /** {@code v} with {@code decimals} decimals, half-even, no grouping; {@code n/a} for NaN. */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return NOT_APPLICABLE;
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** As {@link #fixed}, with a {@code +} on a positive value. */
    static String signed(double v, int decimals) {
        String s = fixed(v, decimals);
        return !Double.isNaN(v) && !s.startsWith("-") && new BigDecimal(s).signum() > 0 ? "+" + s : s;
    }

    private static String withUnit(String value, String unit) {
        return NOT_APPLICABLE.equals(value) ? value : value + " " + unit;
    }

    private static String percent(double fraction) {
        return fixed(100 * fraction, 0);
    }

    /** 3e9 as {@code 3e9}: a whole number with trailing zeros written as a power of ten. */
    static String sci(long v) {
        int exp = 0;
        long m = v;
        while (m != 0 && m % 10 == 0) {
            m /= 10;
            exp++;
        }
        return exp < 3 ? Long.toString(v) : m + "e" + exp;
    }
}
