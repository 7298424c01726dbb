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
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        // Decimal arithmetic: 99.9 * 1000 / 100 in doubles can land just above 999 and move the rank.
        int rank = BigDecimal.valueOf(percentile)
                .multiply(BigDecimal.valueOf(samples.length))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING)
                .intValueExact();
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(rank, 1) - 1];
    }
}
