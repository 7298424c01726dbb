package dev.pmulab.sim.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * How a bar chart maps a metric's values to bar lengths: linear from zero, or logarithmic over
 * whole decades when the positive values of the row span more than two orders of magnitude (a
 * linear bar of the smallest would then be under 1 % of the longest, which reads as zero).
 *
 * @param log whether the axis is logarithmic
 * @param low the value at length 0: 0 on a linear axis, a power of ten on a log axis
 * @param high the value at full length
 */
record ChartScale(boolean log, double low, double high) {
    /** The largest ratio between the row's positive values that a linear axis still shows. */
    static final double LINEAR_SPAN = 100;

    /** The scale for {@code values} (NaN = no value); linear unless the positive values span over {@link #LINEAR_SPAN}. */
    static ChartScale of(double[] values) {
        double max = 0;
        double minPositive = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (!Double.isNaN(v) && v > 0) {
                max = Math.max(max, v);
                minPositive = Math.min(minPositive, v);
            }
        }
        if (max == 0) {
            return new ChartScale(false, 0, 0);
        }
        if (max / minPositive <= LINEAR_SPAN) {
            return new ChartScale(false, 0, max);
        }
        int lowExp = (int) Math.floor(Math.log10(minPositive));
        int highExp = (int) Math.ceil(Math.log10(max));
        if (highExp == lowExp) {
            highExp++;
        }
        return new ChartScale(true, Math.pow(10, lowExp), Math.pow(10, highExp));
    }

    /**
     * The bar's length for {@code v} out of {@code full}: 0 for values at or below the axis start
     * (zero on a log axis has no position and is written out instead).
     */
    double length(double v, double full) {
        if (Double.isNaN(v) || v <= 0 || high <= 0) {
            return 0;
        }
        if (!log) {
            return v / high * full;
        }
        double f = (Math.log10(v) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
        // The smallest value sits on the axis start; give it a sliver so it reads as a bar.
        return Math.max(2, f * full);
    }

    /** The decades of a log axis, low to high, for its ticks; empty for a linear axis. */
    List<Integer> decades() {
        List<Integer> out = new ArrayList<>();
        if (log) {
            int lowExp = (int) Math.round(Math.log10(low));
            int highExp = (int) Math.round(Math.log10(high));
            for (int e = lowExp; e <= highExp; e++) {
                out.add(e);
            }
        }
        return out;
    }

    /** {@code 10^exponent} as a tick reads: 0.01, 1, 100, 10k, 1M, 100G. */
    static String decadeLabel(int exponent) {
        if (exponent < 0) {
            return BigDecimal.ONE.scaleByPowerOfTen(exponent).toPlainString();
        }
        String[] suffixes = {"", "k", "M", "G", "T", "P", "E"};
        int group = Math.min(exponent / 3, suffixes.length - 1);
        return BigDecimal.ONE.scaleByPowerOfTen(exponent - 3 * group).toPlainString() + suffixes[group];
    }
}
