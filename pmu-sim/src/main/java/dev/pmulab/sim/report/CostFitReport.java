package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.KernelCost;
import java.util.List;
import java.util.Optional;

/**
 * The result of {@code pmulab reproduce --fit}: for each point of a grid over named kernel costs,
 * the letter's benchmarks run with those prices, the fit rows' deltas, the emulated stress-ng guest
 * level, the held-out rows, and the objective (dev.pmulab.sim.validation.FitObjective). A plain
 * value; {@link CostFitFormat}'s renderers only format it. A missing number is NaN.
 *
 * @param parameters the swept constants, in axis order
 * @param scale the share of each benchmark's run length the fit ran (1 = the letter's runs)
 * @param fitBenchmarks the benchmarks the objective is taken over, by the letter's number
 * @param heldOutBenchmarks the benchmarks reported but not fitted
 * @param points every grid point, in grid order (the last axis varies fastest)
 * @param best the index in {@code points} of the lowest objective (the first of equals)
 */
public record CostFitReport(
        List<Parameter> parameters,
        double scale,
        List<Integer> fitBenchmarks,
        List<Integer> heldOutBenchmarks,
        List<Point> points,
        int best) {

    public CostFitReport {
        parameters = List.copyOf(parameters);
        fitBenchmarks = List.copyOf(fitBenchmarks);
        heldOutBenchmarks = List.copyOf(heldOutBenchmarks);
        points = List.copyOf(points);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a fit has at least one point");
        }
        if (best < 0 || best >= points.size()) {
            throw new IllegalArgumentException(
                    "best " + best + " is not a point index (0.." + (points.size() - 1) + ")");
        }
        for (Point p : points) {
            if (p.valuesNs().size() != parameters.size()) {
                throw new IllegalArgumentException("point " + p.valuesNs() + " has "
                        + p.valuesNs().size() + " values for " + parameters.size() + " parameters");
            }
        }
    }

    /**
     * One swept constant.
     *
     * @param label {@code C12} for a cost's fixed part, {@code C12.per_unit} for its per-unit part
     * @param name the cost's name, lower case ({@code perf_pmu_resched})
     * @param defaultNs its default
     * @param flag how the default was obtained (measured, derived, estimate, fitted)
     * @param sourced the range a count of the kernel path gives ({@link KernelCost#sourcedBase}); empty if none
     */
    public record Parameter(
            String label, String name, long defaultNs, String flag, Optional<KernelCost.Range> sourced) {
        public Parameter {
            requireNonNull(label, "label is null");
            requireNonNull(name, "name is null");
            requireNonNull(flag, "flag is null");
            requireNonNull(sourced, "sourced is null");
        }
    }

    /**
     * A published delta at one grid point.
     *
     * @param benchmark the letter's number
     * @param quantity what the letter calls it (real time, system time, ...)
     * @param pointsDelta the delta is in percentage points (a share of pCPU time), else in percent
     * @param published the letter's delta
     * @param simulated the simulated delta (NaN when a run has no value)
     * @param ratio simulated / published
     * @param term its contribution to the objective (0 for a held-out row, which is not fitted)
     */
    public record RowValue(
            int benchmark,
            String quantity,
            boolean pointsDelta,
            double published,
            double simulated,
            double ratio,
            double term) {
        public RowValue {
            requireNonNull(quantity, "quantity is null");
        }

        /** Within ±{@code tolerance} of the published delta. */
        public boolean within(double tolerance) {
            return Math.abs(ratio - 1) <= tolerance;
        }
    }

    /**
     * The level in the objective: the emulated stress-ng guest time.
     *
     * @param name what it is
     * @param published the letter's value
     * @param simulated the run's value (NaN without)
     * @param ratio simulated / published
     * @param term its contribution to the objective
     */
    public record LevelValue(String name, double published, double simulated, double ratio, double term) {
        public LevelValue {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * One grid point.
     *
     * @param valuesNs the parameters' values, in {@link #parameters} order
     * @param objective the sum of the fit rows' and the level's terms
     * @param fitRows the published deltas of the fit benchmarks
     * @param level the emulated stress-ng guest level
     * @param heldOut the published deltas of the held-out benchmark
     * @param livelocked the runs that livelocked ("benchmark 3 emulated"), as {@code pmulab reproduce} defines it
     * @param failures runs that failed (a policy or the simulator): such a point is not a result
     */
    public record Point(
            List<Long> valuesNs,
            double objective,
            List<RowValue> fitRows,
            LevelValue level,
            List<RowValue> heldOut,
            List<String> livelocked,
            List<String> failures) {
        public Point {
            valuesNs = List.copyOf(valuesNs);
            fitRows = List.copyOf(fitRows);
            requireNonNull(level, "level is null");
            heldOut = List.copyOf(heldOut);
            livelocked = List.copyOf(livelocked);
            failures = List.copyOf(failures);
        }
    }

    /** The point with the lowest objective. */
    public Point bestPoint() {
        return points.get(best);
    }
}
