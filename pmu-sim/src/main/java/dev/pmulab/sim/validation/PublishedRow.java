package dev.pmulab.sim.validation;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;

/**
 * The published table of the v1 cover letter, one constant per row, each with its source and the
 * pmulab metric it is compared with (docs/metrics.md). This is the only copy of those numbers in
 * the code. A relative delta is {@code 100 × (after − before) / before} (the letter states these);
 * a points delta is {@code after − before} in percentage points (computed from the letter's two
 * values).
 */
public enum PublishedRow {
    B1_REAL(Benchmark.GZIP_PERF_RECORD, "real time", Quantity.SECONDS, 4.143, 3.139, Mapping.REAL),
    B1_SYS(Benchmark.GZIP_PERF_RECORD, "system time", Quantity.SECONDS, 0.159, 0.110, Mapping.SYS),
    B2_REAL(Benchmark.SPECINT_PERF_STAT, "real time", Quantity.SECONDS, 3789.16, 3525.67, Mapping.REAL),
    B2_SYS(Benchmark.SPECINT_PERF_STAT, "system time", Quantity.SECONDS, 224.45, 15.98, Mapping.SYS),
    B2_SCORE(Benchmark.SPECINT_PERF_STAT, "SPECint score", Quantity.SCORE, 4.28, 4.56, Mapping.SCORE),
    B3_HOST_KERNEL(
            Benchmark.STRESS_NG_PERF_RECORD,
            "pCPU time in the host kernel",
            Quantity.PERCENT,
            34.96,
            0.97,
            Mapping.HOST_KERNEL),
    B3_GUEST(Benchmark.STRESS_NG_PERF_RECORD, "pCPU time in the guest", Quantity.PERCENT, 55.85, 91.06, Mapping.GUEST);

    /** What a row measures, and how its delta is taken. */
    public enum Quantity {
        SECONDS("s", 3, false),
        SCORE("", 2, false),
        /** A share of a pCPU's time: its delta is in percentage points. */
        PERCENT("%", 2, true);

        private final String unit;
        private final int decimals;
        private final boolean points;

        Quantity(String unit, int decimals, boolean points) {
            this.unit = unit;
            this.decimals = decimals;
            this.points = points;
        }

        /** The unit as printed after a value ({@code s}, {@code %}, or nothing for a score). */
        public String unit() {
            return unit;
        }

        /** Decimals a value is printed with: those of the published numbers. */
        public int decimals() {
            return decimals;
        }

        /** The delta is {@code after − before} in percentage points, not a relative change. */
        public boolean pointsDelta() {
            return points;
        }

        /** The delta of {@code before → after}: percent change, or percentage points. */
        public double delta(double before, double after) {
            return points ? after - before : 100.0 * (after - before) / before;
        }
    }

    /** How a simulated value is read from a run's metrics. */
    public enum Mapping {
        /** time(1)'s real. */
        REAL(Metric.GUEST_WORKLOAD_NS, "guest.workload_ns (time(1) real), ns as s"),
        /** time(1)'s sys. */
        SYS(Metric.GUEST_SYS_NS, "guest.sys_ns (time(1) sys), ns as s"),
        /**
         * A SPEC score is a ratio of reference run times to the measured ones, so for the same suite
         * it is proportional to 1/real. The simulation gives only the ratio, so its "before" is set to
         * the published one and its "after" is that times real(before) / real(after). The scenario
         * defines no score of its own.
         */
        SCORE(Metric.GUEST_WORKLOAD_NS, "proportional to 1 / guest.workload_ns, anchored at the published before"),
        /** mpstat %sys + %irq + %soft on the vCPU's pCPU. */
        HOST_KERNEL(Metric.HOST_KERNEL_PCT, "host.kernel_pct (mpstat %sys + %irq + %soft)"),
        /** mpstat %guest on the vCPU's pCPU. */
        GUEST(Metric.GUEST_RUN_PCT, "guest.run_pct (mpstat %guest)");

        private final Metric metric;
        private final String description;

        Mapping(Metric metric, String description) {
            this.metric = metric;
            this.description = description;
        }

        public Metric metric() {
            return metric;
        }

        /** How the simulated value is derived, for the report. */
        public String description() {
            return description;
        }
    }

    private final Benchmark benchmark;
    private final String quantityName;
    private final Quantity quantity;
    private final double before;
    private final double after;
    private final Mapping mapping;

    PublishedRow(
            Benchmark benchmark, String quantityName, Quantity quantity, double before, double after, Mapping mapping) {
        this.benchmark = benchmark;
        this.quantityName = quantityName;
        this.quantity = quantity;
        this.before = before;
        this.after = after;
        this.mapping = mapping;
    }

    public Benchmark benchmark() {
        return benchmark;
    }

    /** What the letter calls the row: real time, system time, ... */
    public String quantityName() {
        return quantityName;
    }

    public Quantity quantity() {
        return quantity;
    }

    /** The published value under the emulated vPMU. */
    public double before() {
        return before;
    }

    /** The published value under the partitioned vPMU. */
    public double after() {
        return after;
    }

    /** The published delta: percent, or percentage points for a share of time. */
    public double delta() {
        return quantity.delta(before, after);
    }

    public Mapping mapping() {
        return mapping;
    }

    /** Every row has the same source: the v1 cover letter. */
    public PublishedSource source() {
        return PublishedSource.COVER_LETTER_V1;
    }

    /** The letter printed the delta itself (relative rows), or it is computed here (points rows). */
    public boolean deltaStated() {
        return !quantity.pointsDelta();
    }

    /**
     * The simulated {before, after} of this row from the two runs' metrics (emulated, partitioned),
     * or null when a run has no value for the metric.
     */
    public double[] simulated(MetricValues emulated, MetricValues partitioned) {
        requireNonNull(emulated, "emulated is null");
        requireNonNull(partitioned, "partitioned is null");
        double b = emulated.valueOrNaN(mapping.metric);
        double a = partitioned.valueOrNaN(mapping.metric);
        if (Double.isNaN(b) || Double.isNaN(a)) {
            return null;
        }
        if (mapping == Mapping.SCORE) {
            return new double[] {before, before * b / a};
        }
        return new double[] {level(b), level(a)};
    }

    /** One run's value of this row's quantity (NaN without one); a score has no level of its own. */
    public double simulatedLevel(MetricValues run) {
        requireNonNull(run, "run is null");
        if (mapping == Mapping.SCORE) {
            throw new IllegalStateException("a score is only defined relative to the emulated run");
        }
        return level(run.valueOrNaN(mapping.metric));
    }

    private double level(double metricValue) {
        return quantity == Quantity.SECONDS ? metricValue / 1e9 : metricValue;
    }
}
