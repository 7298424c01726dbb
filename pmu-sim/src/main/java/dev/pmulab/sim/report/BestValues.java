package dev.pmulab.sim.report;

import dev.pmulab.sim.metrics.Direction;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricFormat;
import java.math.BigDecimal;
import java.util.List;

/** Which runs hold the best value of a metric, as every renderer marks it. */
final class BestValues {
    private BestValues() {}

    /** One flag per run, in run order; failed runs and n/a values are never best. */
    static boolean[] of(Metric metric, List<RunReport> runs) {
        double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++) {
            RunReport r = runs.get(i);
            values[i] = r.isOk() ? r.metrics().valueOrNaN(metric) : Double.NaN;
        }
        return of(metric.better(), metric.format(), values);
    }

    /**
     * Marks the best of {@code values} (NaN = no value). Values are compared as displayed, rounded
     * by {@code format}, so runs that print the same are a tie and all marked. Nothing is marked for
     * {@link Direction#NONE} or when fewer than two runs have a value: there is nothing to compare.
     */
    static boolean[] of(Direction better, MetricFormat format, double[] values) {
        boolean[] best = new boolean[values.length];
        if (better == Direction.NONE) {
            return best;
        }
        BigDecimal[] shown = new BigDecimal[values.length];
        BigDecimal winner = null;
        int present = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                continue;
            }
            present++;
            shown[i] = format.round(values[i]);
            if (winner == null) {
                winner = shown[i];
            } else {
                int c = shown[i].compareTo(winner);
                if (better == Direction.LOWER ? c < 0 : c > 0) {
                    winner = shown[i];
                }
            }
        }
        if (present < 2) {
            return best;
        }
        for (int i = 0; i < values.length; i++) {
            best[i] = shown[i] != null && shown[i].compareTo(winner) == 0;
        }
        return best;
    }
}
