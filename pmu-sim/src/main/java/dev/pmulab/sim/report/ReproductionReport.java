package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@code pmulab reproduce}: the published benchmarks of a cover letter run in pmulab,
 * each published delta beside the simulated one, a few published levels, the letter's trend claim
 * and a livelock check. A plain value: the numbers are computed when it is built, and the renderers
 * ({@link ReproductionFormat}) only format them. A missing number is NaN ({@code n/a} in text,
 * {@code null} in JSON).
 *
 * @param source the publication reproduced (title, address, date)
 * @param tolerance the accepted relative distance from the published value (0.25 = ±25 %)
 * @param livelockGuestPct a finished run whose guest.run_pct is below this counts as livelocked
 * @param benchmarks the benchmarks with their two runs, in the letter's order
 * @param rows the published deltas, in the letter's order
 * @param levels the published levels checked on their own
 * @param trend the trend claim's sweep
 * @param impliedPmis what the letter's host kernel time implies for the guest PMIs of the
 *     benchmark runs that publish one (benchmark 3), in benchmark and run order
 * @param costs every cost the benchmark runs charged, sorted by id: what the numbers rest on
 */
public record ReproductionReport(
        Source source,
        double tolerance,
        double livelockGuestPct,
        List<BenchmarkRuns> benchmarks,
        List<Row> rows,
        List<Level> levels,
        Trend trend,
        List<ImpliedPmis> impliedPmis,
        List<CostAssumption> costs) {

    /** Where the published numbers come from. */
    public record Source(String title, String url, String date) {
        public Source {
            requireNonNull(title, "title is null");
            requireNonNull(url, "url is null");
            requireNonNull(date, "date is null");
        }
    }

    /** How a run ended. */
    public enum Status {
        /** It finished and has metrics. */
        OK,
        /** It did not finish its work within the time limit: no metrics, and a livelock suspect. */
        UNFINISHED,
        /** A policy or the simulator failed: not a result. */
        FAILED;

        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One simulated run.
     *
     * @param policy the allocation policy's label, settings included
     * @param error why it did not finish; null when OK
     * @param realNs guest.workload_ns (NaN without)
     * @param sysNs guest.sys_ns (NaN without)
     * @param guestPct guest.run_pct (NaN without)
     * @param hostKernelPct host.kernel_pct (NaN without)
     * @param guestPerf what the guest's kernel would show for the run (NaNs without)
     */
    public record Run(
            String policy,
            Status status,
            String error,
            double realNs,
            double sysNs,
            double guestPct,
            double hostKernelPct,
            GuestPerf guestPerf) {
        public Run {
            requireNonNull(policy, "policy is null");
            requireNonNull(status, "status is null");
            requireNonNull(guestPerf, "guestPerf is null");
            if ((status == Status.OK) != (error == null)) {
                throw new IllegalArgumentException(
                        "an OK run has no error, any other has one: " + status + ", " + error);
            }
        }

        public boolean ok() {
            return status == Status.OK;
        }

        /** guest.pmis per second of real time (guest.workload_ns); NaN without either. */
        public double pmisPerSecond() {
            return realNs > 0 ? guestPerf.pmis() / (realNs / 1e9) : Double.NaN;
        }
    }

    /**
     * The figures a kernel engineer can read in the guest after the run (docs/metrics.md), each NaN
     * when the run has none (it failed, or its guest runs no Linux perf).
     *
     * @param pmis guest.pmis: the PMU line of the guest's /proc/interrupts, summed over vCPUs
     * @param samples guest.perf_samples: perf report --stats' SAMPLE events
     * @param throttles guest.perf_throttles: perf report --stats' THROTTLE events
     * @param maxSampleRate guest.perf_max_sample_rate: sysctl kernel.perf_event_max_sample_rate afterwards
     */
    public record GuestPerf(double pmis, double samples, double throttles, double maxSampleRate) {
        /** No figures: a run that did not finish. */
        public static final GuestPerf NONE = new GuestPerf(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * What a published host kernel share implies for a run's guest PMIs, to first order: if every
     * guest PMI costs the host what it costs in the simulated run and the host kernel time is the
     * PMIs' (true of benchmark 3, whose guest does nothing else that exits), the PMI rate scales with
     * the host kernel share, so the letter's guest took {@code simulatedPmisPerSecond ×
     * publishedHostKernelPct / simulatedHostKernelPct} a second, {@code factor} times fewer than
     * pmulab's.
     *
     * @param benchmark the letter's number
     * @param policy the run's allocation policy label
     * @param impliedPmisPerSecond NaN without a simulated share or PMI rate
     * @param factor simulatedHostKernelPct / publishedHostKernelPct: how many times more PMIs pmulab's
     *     guest took than the letter's share allows
     */
    public record ImpliedPmis(
            int benchmark,
            String policy,
            double simulatedPmisPerSecond,
            double simulatedHostKernelPct,
            double publishedHostKernelPct,
            double impliedPmisPerSecond,
            double factor) {
        public ImpliedPmis {
            requireNonNull(policy, "policy is null");
        }

        /** From the run's own figures and the published share. */
        public static ImpliedPmis of(int benchmark, Run run, double publishedHostKernelPct) {
            double rate = run.pmisPerSecond();
            double sim = run.hostKernelPct();
            boolean known = !Double.isNaN(rate) && sim > 0;
            return new ImpliedPmis(
                    benchmark,
                    run.policy(),
                    rate,
                    sim,
                    publishedHostKernelPct,
                    known ? rate * publishedHostKernelPct / sim : Double.NaN,
                    known ? sim / publishedHostKernelPct : Double.NaN);
        }
    }

    /**
     * A benchmark and its two runs.
     *
     * @param number the letter's numbering
     * @param scenario the built-in scenario that models it
     * @param command what the letter ran
     */
    public record BenchmarkRuns(int number, String scenario, String command, Run before, Run after) {
        public BenchmarkRuns {
            requireNonNull(scenario, "scenario is null");
            requireNonNull(command, "command is null");
            requireNonNull(before, "before is null");
            requireNonNull(after, "after is null");
        }
    }

    /**
     * One published row beside its simulation.
     *
     * @param quantity what the letter calls it (real time, ...)
     * @param unit the unit printed after a value ({@code s}, {@code %}, empty for a score)
     * @param decimals the decimals values are printed with
     * @param points the delta is in percentage points, not percent
     * @param deltaStated the letter printed the delta (otherwise it is computed from its two values)
     * @param metric the pmulab metric and how the simulated value is derived from it
     * @param ratio simulated delta / published delta; NaN without a simulated delta
     */
    public record Row(
            int benchmark,
            String quantity,
            String unit,
            int decimals,
            boolean points,
            double publishedBefore,
            double publishedAfter,
            double publishedDelta,
            boolean deltaStated,
            double simulatedBefore,
            double simulatedAfter,
            double simulatedDelta,
            double ratio,
            String metric,
            Source source) {
        public Row {
            requireNonNull(quantity, "quantity is null");
            requireNonNull(unit, "unit is null");
            requireNonNull(metric, "metric is null");
            requireNonNull(source, "source is null");
        }

        /** The delta's unit: {@code %} or {@code pp}. */
        public String deltaUnit() {
            return points ? "pp" : "%";
        }
    }

    /**
     * A published level checked on its own.
     *
     * @param name what it is, e.g. "emulated stress-ng guest time"
     * @param policy the run it is read from
     * @param doneCriterion issue 14's "done means" names it
     * @param ratio simulated / published; NaN without a simulated value
     */
    public record Level(
            String name,
            int benchmark,
            String policy,
            String unit,
            int decimals,
            double published,
            double simulated,
            double ratio,
            boolean doneCriterion) {
        public Level {
            requireNonNull(name, "name is null");
            requireNonNull(policy, "policy is null");
            requireNonNull(unit, "unit is null");
        }
    }

    /**
     * One configuration of the sweep and the benefit partitioning gives there.
     *
     * @param benefitPct 100 × (real(emulated) − real(partitioned)) / real(emulated); when the
     *     emulated run did not finish, the lower bound with its real time taken as the time limit;
     *     NaN when the partitioned run has no real time
     * @param benefitIsLowerBound the emulated run did not finish, so the benefit is at least this
     */
    public record TrendPoint(
            long frequencyHz,
            int events,
            Run emulated,
            Run partitioned,
            double benefitPct,
            boolean benefitIsLowerBound) {
        public TrendPoint {
            requireNonNull(emulated, "emulated is null");
            requireNonNull(partitioned, "partitioned is null");
        }
    }

    /** Whether a claim holds along an axis of the sweep. */
    public enum Verdict {
        YES,
        NO,
        /** A point has no benefit (a partitioned run failed or did not finish), so the claim cannot be judged. */
        UNDETERMINED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The letter's trend claim, tested on a variant of benchmark 1 built in code.
     *
     * @param scenario the scenario varied
     * @param instructions the work each variant does
     * @param timeLimitNs a variant not done by then is UNFINISHED
     * @param byRate the sample rates tried at {@link #eventsAtRates} events, in increasing order
     * @param byEvents the event counts tried at {@link #rateAtEvents} Hz, in increasing order
     */
    public record Trend(
            String scenario,
            long instructions,
            long timeLimitNs,
            int eventsAtRates,
            long rateAtEvents,
            List<TrendPoint> byRate,
            List<TrendPoint> byEvents) {
        public Trend {
            requireNonNull(scenario, "scenario is null");
            byRate = List.copyOf(byRate);
            byEvents = List.copyOf(byEvents);
        }

        /** The benefit grows strictly from each sample rate to the next. */
        public Verdict growsWithRate() {
            return grows(byRate);
        }

        /** The benefit grows strictly from each event count to the next. */
        public Verdict growsWithEvents() {
            return grows(byEvents);
        }

        private static Verdict grows(List<TrendPoint> points) {
            for (TrendPoint p : points) {
                if (Double.isNaN(p.benefitPct())) {
                    return Verdict.UNDETERMINED;
                }
            }
            for (int i = 1; i < points.size(); i++) {
                TrendPoint prev = points.get(i - 1);
                TrendPoint cur = points.get(i);
                if (cur.benefitPct() <= prev.benefitPct()) {
                    // A lower bound above the previous value still proves growth; one below does not refute it.
                    return cur.benefitIsLowerBound() ? Verdict.UNDETERMINED : Verdict.NO;
                }
            }
            return Verdict.YES;
        }

        /** Every distinct configuration once, rates first. */
        public List<TrendPoint> points() {
            List<TrendPoint> all = new ArrayList<>(byRate);
            for (TrendPoint p : byEvents) {
                if (all.stream().noneMatch(q -> q.frequencyHz() == p.frequencyHz() && q.events() == p.events())) {
                    all.add(p);
                }
            }
            return all;
        }
    }

    public ReproductionReport {
        requireNonNull(source, "source is null");
        benchmarks = List.copyOf(benchmarks);
        rows = List.copyOf(rows);
        levels = List.copyOf(levels);
        requireNonNull(trend, "trend is null");
        impliedPmis = List.copyOf(impliedPmis);
        List<CostAssumption> sorted = new ArrayList<>(costs);
        sorted.sort(CostAssumption.BY_ID);
        costs = List.copyOf(sorted);
        if (!(livelockGuestPct >= 0 && livelockGuestPct < 100)) {
            throw new IllegalArgumentException("livelockGuestPct must be in [0, 100), was " + livelockGuestPct);
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be in (0, 1), was " + tolerance);
        }
    }

    /** Whether {@code ratio} (simulated / published) is within the tolerance. NaN is not. */
    public boolean within(double ratio) {
        return !Double.isNaN(ratio) && Math.abs(ratio - 1.0) <= tolerance;
    }

    /** The published deltas the simulation matches within the tolerance. */
    public long rowsWithin() {
        return rows.stream().filter(r -> within(r.ratio())).count();
    }

    public long levelsWithin() {
        return levels.stream().filter(l -> within(l.ratio())).count();
    }

    /** Whether a run counts as livelocked: it did not finish, or the guest barely ran. */
    public boolean livelocked(Run run) {
        return run.status() == Status.UNFINISHED || (run.ok() && run.guestPct() < livelockGuestPct);
    }

    /** The sweep's runs that livelocked, as "F Hz, E events / policy". */
    public List<String> livelockedTrendRuns() {
        List<String> out = new ArrayList<>();
        for (TrendPoint p : trend.points()) {
            for (Run r : List.of(p.emulated(), p.partitioned())) {
                if (livelocked(r)) {
                    out.add(p.frequencyHz() + " Hz, " + p.events() + " events / " + r.policy());
                }
            }
        }
        return out;
    }

    /** The benchmark runs (the letter's configurations) that livelocked. */
    public List<String> livelockedBenchmarkRuns() {
        List<String> out = new ArrayList<>();
        for (BenchmarkRuns b : benchmarks) {
            for (Run r : List.of(b.before(), b.after())) {
                if (livelocked(r)) {
                    out.add(b.scenario() + " / " + r.policy());
                }
            }
        }
        return out;
    }

    /** The runs that failed (a policy or the simulator, not an unfinished run): the reproduction did not run. */
    public List<String> failures() {
        List<String> out = new ArrayList<>();
        for (BenchmarkRuns b : benchmarks) {
            for (Run r : List.of(b.before(), b.after())) {
                if (r.status() == Status.FAILED) {
                    out.add(b.scenario() + " / " + r.policy() + ": " + r.error());
                }
            }
        }
        for (TrendPoint p : trend.points()) {
            for (Run r : List.of(p.emulated(), p.partitioned())) {
                if (r.status() == Status.FAILED) {
                    out.add(trend.scenario() + " at " + p.frequencyHz() + " Hz, " + p.events() + " events / "
                            + r.policy() + ": " + r.error());
                }
            }
        }
        return out;
    }
}
