package dev.pmulab.sim.validation;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.report.CostFitReport;
import dev.pmulab.sim.report.CostFitReport.LevelValue;
import dev.pmulab.sim.report.CostFitReport.Parameter;
import dev.pmulab.sim.report.CostFitReport.Point;
import dev.pmulab.sim.report.CostFitReport.RowValue;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.CostOverride;
import dev.pmulab.sim.scenario.RunLength;
import dev.pmulab.sim.scenario.Scenario;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * {@code pmulab reproduce --fit}: sweeps named kernel costs over a grid and, at each point, runs the
 * v1 cover letter's three benchmarks (their built-in scenarios, the emulated vPMU against the static
 * partition, as {@link Reproduction} does) with those prices applied in code, then scores the point
 * with {@link FitObjective} over the fit set. Issue 14 item 5: if a constant is fitted, it is fitted
 * on benchmarks 1 and 3 ({@link #FIT_SET}) and benchmark 2 ({@link #HELD_OUT}) is the out-of-sample
 * check, reported beside each point but never scored.
 *
 * <p>The three scenarios must carry no cost overrides of their own (a calibrated default set is
 * one global table); a grid point's prices replace the defaults for that point only. A run is a pure
 * function of (scenario, policies, seed), so the points run in parallel and the report does not
 * depend on the parallelism.
 *
 * <p>{@code scale} shortens every benchmark to that share of its length (a fixed duration, or the
 * work and time limit of an until-done run): the compared quantities are deltas of totals over one
 * job and shares of pCPU time, which a shorter job of the same kind changes little, and a coarse
 * grid then runs in minutes. Scale 1 runs exactly {@code pmulab reproduce}'s benchmark runs.
 */
public final class CostFit {
    /** The benchmarks the objective is taken over (issue 14 item 5). */
    public static final Set<Benchmark> FIT_SET =
            EnumSet.of(Benchmark.GZIP_PERF_RECORD, Benchmark.STRESS_NG_PERF_RECORD);

    /** The out-of-sample check: run and reported at every point, never scored. */
    public static final Benchmark HELD_OUT = Benchmark.SPECINT_PERF_STAT;

    /** The level scored beside the fit rows: issue 14's "done" criterion, the emulated stress-ng guest time. */
    public static final LevelCheck FIT_LEVEL = LevelCheck.EMULATED_STRESS_NG_GUEST;

    private final PolicyRegistry registry;
    private final int parallelism;
    private final double scale;

    /**
     * @param registry where the allocation policies {@value Benchmark#BEFORE_POLICY} and
     *     {@value Benchmark#AFTER_POLICY} are found
     * @param parallelism runs at once
     * @param scale share of each benchmark's length to run, in (0, 1]
     */
    public CostFit(PolicyRegistry registry, int parallelism, double scale) {
        this.registry = requireNonNull(registry, "registry is null");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        if (!(scale > 0 && scale <= 1)) {
            throw new IllegalArgumentException("the scale is a share of the run, in (0, 1], was " + scale);
        }
        this.parallelism = parallelism;
        this.scale = scale;
    }

    /** The number of grid points of {@code axes}: the product of their sizes. */
    public static int pointCount(List<CostAxis> axes) {
        long n = 1;
        for (CostAxis a : axes) {
            n *= a.valuesNs().size();
            if (n > 10_000) {
                throw new IllegalArgumentException(
                        "a grid of more than 10,000 points is not coarse; it has at least " + n);
            }
        }
        return (int) n;
    }

    /** The runs {@link #run} makes for {@code axes}: two per benchmark per point. */
    public static int runCount(List<CostAxis> axes) {
        return pointCount(axes) * Benchmark.values().length * 2;
    }

    /**
     * Every point of the grid, each a list of values in axis order; the last axis varies fastest.
     */
    static List<List<Long>> points(List<CostAxis> axes) {
        List<List<Long>> out = new ArrayList<>();
        out.add(List.of());
        for (CostAxis a : axes) {
            List<List<Long>> next = new ArrayList<>();
            for (List<Long> prefix : out) {
                for (long v : a.valuesNs()) {
                    List<Long> p = new ArrayList<>(prefix);
                    p.add(v);
                    next.add(p);
                }
            }
            out = next;
        }
        return out;
    }

    /**
     * A point's prices as scenario overrides: one per swept cost, its fixed and per-unit parts from
     * the axes, the part not swept at its default.
     *
     * @throws IllegalArgumentException if two axes sweep the same part of one cost
     */
    static Map<KernelCost, CostOverride> overrides(List<CostAxis> axes, List<Long> values) {
        if (axes.size() != values.size()) {
            throw new IllegalArgumentException(values.size() + " values for " + axes.size() + " axes");
        }
        Map<KernelCost, Long> base = new EnumMap<>(KernelCost.class);
        Map<KernelCost, Long> perUnit = new EnumMap<>(KernelCost.class);
        for (int i = 0; i < axes.size(); i++) {
            CostAxis a = axes.get(i);
            Long before = (a.perUnit() ? perUnit : base).put(a.cost(), values.get(i));
            if (before != null) {
                throw new IllegalArgumentException(a.label() + " is swept twice");
            }
        }
        Map<KernelCost, CostOverride> out = new EnumMap<>(KernelCost.class);
        for (KernelCost c : KernelCost.values()) {
            if (base.containsKey(c) || perUnit.containsKey(c)) {
                long b = base.getOrDefault(c, c.defaultBaseNs());
                OptionalLong u = perUnit.containsKey(c) ? OptionalLong.of(perUnit.get(c)) : OptionalLong.empty();
                out.put(c, new CostOverride(b, u));
            }
        }
        return out;
    }

    /**
     * {@code s} with its run length times {@code scale}: a fixed duration shortened, or an until-done
     * run's work and time limit both (so the limit keeps its ratio to the work).
     */
    static Scenario shortened(Scenario s, double scale) {
        if (scale == 1) {
            return s;
        }
        RunLength run = s.run();
        RunLength shorter;
        if (run instanceof RunLength.FixedDuration f) {
            shorter = new RunLength.FixedDuration(Math.max(1, Math.round(f.durationNs() * scale)));
        } else if (run instanceof RunLength.UntilWorkDone u) {
            shorter = new RunLength.UntilWorkDone(
                    u.vm(),
                    Math.max(1, Math.round(u.instructions() * scale)),
                    Math.max(1, Math.round(u.timeLimitNs() * scale)));
        } else {
            throw new IllegalStateException("unknown run length " + run);
        }
        return s.withRun(shorter);
    }

    /** A benchmark's built-in scenario, refused if it carries cost overrides of its own. */
    static Scenario benchmarkScenario(Benchmark b) {
        Scenario s = BuiltInScenarios.load(b.scenario());
        if (!s.costs().isEmpty()) {
            throw new IllegalStateException(b.scenario() + " (benchmark " + b.number() + ") overrides the costs "
                    + s.costs().keySet() + "; the cover letter's scenarios rest on the default cost set alone");
        }
        return s;
    }

    /**
     * Runs the grid and scores every point.
     *
     * @param done called with 1 as each run finishes (from the worker threads)
     */
    public CostFitReport run(List<CostAxis> axes, IntConsumer done) {
        requireNonNull(axes, "axes is null");
        requireNonNull(done, "done is null");
        if (axes.isEmpty()) {
            throw new IllegalArgumentException("name at least one cost to sweep");
        }
        pointCount(axes);
        List<List<Long>> points = points(axes);
        Map<Benchmark, Scenario> bases = new EnumMap<>(Benchmark.class);
        for (Benchmark b : Benchmark.values()) {
            bases.put(b, shortened(benchmarkScenario(b), scale));
        }
        List<Comparison> planned = new ArrayList<>();
        for (List<Long> p : points) {
            Map<KernelCost, CostOverride> prices = overrides(axes, p);
            for (Benchmark b : Benchmark.values()) {
                Scenario s = bases.get(b).withCosts(prices);
                planned.add(Comparison.plan(
                        s, registry, List.of(Benchmark.BEFORE_POLICY, Benchmark.AFTER_POLICY), s.seed()));
            }
        }
        List<Comparison.Outcome> outcomes = execute(planned, done);

        List<Point> scored = new ArrayList<>();
        int k = 0;
        int best = 0;
        for (List<Long> p : points) {
            Map<Benchmark, Comparison.Outcome[]> runs = new EnumMap<>(Benchmark.class);
            for (Benchmark b : Benchmark.values()) {
                runs.put(b, new Comparison.Outcome[] {outcomes.get(k++), outcomes.get(k++)});
            }
            Point point = score(p, runs, bases);
            scored.add(point);
            if (point.objective() < scored.get(best).objective()) {
                best = scored.size() - 1;
            }
        }
        List<Parameter> parameters = axes.stream()
                .map(a -> new Parameter(
                        a.label(),
                        a.cost().name().toLowerCase(Locale.ROOT) + (a.perUnit() ? " per unit" : ""),
                        a.defaultNs(),
                        a.cost().flag().name().toLowerCase(Locale.ROOT),
                        a.sourced()))
                .toList();
        return new CostFitReport(
                parameters,
                scale,
                FIT_SET.stream().map(Benchmark::number).toList(),
                List.of(HELD_OUT.number()),
                scored,
                best);
    }

    /** Scores one point from its six runs (emulated, partitioned per benchmark) and the scenarios they ran. */
    static Point score(
            List<Long> values, Map<Benchmark, Comparison.Outcome[]> runs, Map<Benchmark, Scenario> scenarios) {
        List<RowValue> fit = new ArrayList<>();
        List<RowValue> heldOut = new ArrayList<>();
        List<Double> terms = new ArrayList<>();
        for (PublishedRow r : PublishedRow.values()) {
            Comparison.Outcome[] o = runs.get(r.benchmark());
            double[] sim = r.simulated(o[0].result().metrics(), o[1].result().metrics());
            double delta = sim == null ? Double.NaN : r.quantity().delta(sim[0], sim[1]);
            boolean fitted = FIT_SET.contains(r.benchmark());
            double term = fitted ? FitObjective.term(delta, r.delta()) : 0;
            RowValue v = new RowValue(
                    r.benchmark().number(),
                    r.quantityName(),
                    r.quantity().pointsDelta(),
                    r.delta(),
                    delta,
                    delta / r.delta(),
                    term);
            if (fitted) {
                fit.add(v);
                terms.add(term);
            } else if (r.benchmark() == HELD_OUT) {
                heldOut.add(v);
            }
        }
        PublishedRow lr = FIT_LEVEL.row();
        double simLevel = lr.simulatedLevel(
                runs.get(lr.benchmark())[FIT_LEVEL.after() ? 1 : 0].result().metrics());
        double levelTerm = FitObjective.term(simLevel, FIT_LEVEL.published());
        terms.add(levelTerm);
        LevelValue level = new LevelValue(
                (FIT_LEVEL.after() ? "partitioned" : "emulated") + " benchmark "
                        + lr.benchmark().number() + " " + lr.quantityName(),
                FIT_LEVEL.published(),
                simLevel,
                simLevel / FIT_LEVEL.published(),
                levelTerm);
        List<String> livelocked = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Benchmark b : Benchmark.values()) {
            Comparison.Outcome[] o = runs.get(b);
            for (Comparison.Outcome one : o) {
                String name =
                        "benchmark " + b.number() + " " + one.run().labels().get(PolicyKind.ALLOCATION);
                RunResult r = one.result();
                Scenario s = scenarios.get(b);
                boolean unfinished = !r.ok()
                        && s.run() instanceof RunLength.UntilWorkDone
                        && r.simulatedNs() >= s.run().limitNs();
                if (unfinished) {
                    livelocked.add(name + " (unfinished)");
                } else if (!r.ok()) {
                    failures.add(name + ": " + r.failure().orElseThrow().message());
                } else if (guestPct(r.metrics()) < Reproduction.LIVELOCK_GUEST_PCT) {
                    livelocked.add(name);
                }
            }
        }
        return new Point(values, FitObjective.sum(terms), fit, level, heldOut, livelocked, failures);
    }

    private static double guestPct(MetricValues m) {
        return m.valueOrNaN(Metric.GUEST_RUN_PCT);
    }

    /** Every planned run, two per comparison in plan order, at most {@link #parallelism} at a time. */
    private List<Comparison.Outcome> execute(List<Comparison> planned, IntConsumer done) {
        return ParallelRuns.execute(planned, parallelism, "pmulab-fit", done);
    }
}
