package dev.pmulab.sim.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.StringJoiner;

/**
 * The metric values of one run, immutable. A metric without a value is "not applicable" (no host
 * events, so no host coverage; no guest BRBE, so no blackout); reports print it as {@code n/a} and
 * JSON as {@code null}. Values are finite and non-negative (every metric is a count, a time, a
 * share or an absolute error); counts are whole numbers. The checks catch engine bugs at the
 * boundary instead of in a report.
 */
public final class MetricValues {
    /** Largest magnitude a double holds exactly as a whole number. */
    private static final long EXACT_LONG_LIMIT = 1L << 53;

    private static final MetricValues EMPTY = new MetricValues(nanArray());

    /** Indexed by ordinal; NaN = not applicable. */
    private final double[] values;

    private MetricValues(double[] values) {
        this.values = values;
    }

    /** No metric applies (the values of a failed run). */
    public static MetricValues empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** From a map; a NaN value means not applicable, as an absent key does. */
    public static MetricValues of(Map<Metric, ? extends Number> values) {
        requireNonNull(values, "values is null");
        Builder b = builder();
        values.forEach((m, v) -> b.put(
                requireNonNull(m, "metric is null"),
                requireNonNull(v, () -> "value of " + m.key() + " is null").doubleValue()));
        return b.build();
    }

    public boolean has(Metric metric) {
        return !Double.isNaN(values[requireNonNull(metric, "metric is null").ordinal()]);
    }

    public OptionalDouble get(Metric metric) {
        double v = values[requireNonNull(metric, "metric is null").ordinal()];
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The value, or NaN when not applicable. */
    public double valueOrNaN(Metric metric) {
        return values[requireNonNull(metric, "metric is null").ordinal()];
    }

    public boolean isEmpty() {
        for (double v : values) {
            if (!Double.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    /** The applicable values, in report order. */
    public Map<Metric, Double> asMap() {
        Map<Metric, Double> m = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.all()) {
            if (has(metric)) {
                m.put(metric, values[metric.ordinal()]);
            }
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        // Arrays.equals compares doubles by bit pattern, so NaN equals NaN here, as wanted.
        return o instanceof MetricValues other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "{", "}");
        asMap().forEach((m, v) -> j.add(m.key() + "=" + v));
        return j.toString();
    }

    private static double[] nanArray() {
        double[] a = new double[Metric.all().size()];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    /** Collects values; the last put of a metric wins. Not thread-safe. */
    public static final class Builder {
        private final double[] values = nanArray();

        private Builder() {}

        /**
         * Sets a value; NaN marks the metric not applicable.
         *
         * @throws IllegalArgumentException for an infinite or negative value, a count that is not a
         *     whole number, or a count beyond 2^53 (a double would round it)
         */
        public Builder put(Metric metric, double value) {
            requireNonNull(metric, "metric is null");
            if (Double.isInfinite(value) || value < 0) {
                throw new IllegalArgumentException(metric.key() + " must be finite and >= 0, got " + value);
            }
            if (metric.unit().wholeNumber() && !Double.isNaN(value)) {
                if (value != Math.rint(value)) {
                    throw new IllegalArgumentException(metric.key()
                            + (metric.unit() == MetricUnit.COUNT ? " is a count" : " is a whole number") + ", got "
                            + value);
                }
                if (value > EXACT_LONG_LIMIT) {
                    throw new IllegalArgumentException(metric.key() + " beyond 2^53, got " + value);
                }
            }
            // -0.0 becomes 0.0 so equal runs compare and print equal.
            values[metric.ordinal()] = value == 0 ? 0.0 : value;
            return this;
        }

        /** @throws IllegalArgumentException for a negative value or one beyond 2^53 */
        public Builder put(Metric metric, long value) {
            if (value > EXACT_LONG_LIMIT) {
                throw new IllegalArgumentException(
                        requireNonNull(metric, "metric is null").key() + " beyond 2^53, got " + value);
            }
            return put(metric, (double) value);
        }

        /** Marks the metric not applicable (undoing an earlier put). */
        public Builder notApplicable(Metric metric) {
            values[requireNonNull(metric, "metric is null").ordinal()] = Double.NaN;
            return this;
        }

        public MetricValues build() {
            return new MetricValues(values.clone());
        }
    }
}
