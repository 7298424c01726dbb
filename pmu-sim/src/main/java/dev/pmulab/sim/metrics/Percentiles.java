package dev.pmulab.sim.metrics;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/** The percentile method every pmulab metric uses, so the engine and docs/metrics.md agree. */
public final class Percentiles {
    private Percentiles() {}

    /**
     * Nearest-rank percentile: the value at rank {@code ceil(p / 100 * n)} (1-based) of the samples
     * in ascending order. It is always one of the samples, never an interpolation; with fewer than
     * 100 samples the p99 is the maximum.
     *
     * @param percentile in (0, 100]
     * @throws IllegalArgumentException for no samples or a percentile outside (0, 100]
     */
    public static long nearestRank(long[] samples, double percentile) {
        requireNonNull(samples, "samples is null");
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long rank = rank(percentile, samples.length);
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[(int) rank - 1];
    }

    /** {@link #nearestRank(long[], double)} of the samples {@code counts} holds: the same value. */
    public static long nearestRank(SampleCounts counts, double percentile) {
        requireNonNull(counts, "counts is null");
        if (counts.count() == 0) {
            throw new IllegalArgumentException("no samples");
        }
        long rank = rank(percentile, counts.count());
        long[] howOften = new long[counts.distinct()];
        long[] sorted = counts.sortedValues(howOften);
        long seen = 0;
        for (int i = 0; i < sorted.length; i++) {
            seen += howOften[i];
            if (seen >= rank) {
                return sorted[i];
            }
        }
        throw new IllegalStateException("rank " + rank + " beyond " + seen + " samples");
    }

    /** The 1-based rank {@code ceil(p / 100 * n)}, at least 1. */
    private static long rank(double percentile, long n) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        // Decimal arithmetic: 99.9 * 1000 / 100 in doubles can land just above 999 and move the rank.
        long rank = BigDecimal.valueOf(percentile)
                .multiply(BigDecimal.valueOf(n))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING)
                .longValueExact();
        return Math.max(rank, 1);
    }
}
