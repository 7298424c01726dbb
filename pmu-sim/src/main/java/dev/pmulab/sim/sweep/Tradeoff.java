package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;

/**
 * A trade-off chart the report draws: metric {@code y} against metric {@code x}, one line per
 * policy through the sweep's points (the seeds' mean), each point labelled with its axis values.
 *
 * @param x the metric key on the horizontal axis, {@code host.event_coverage_pct}
 * @param y the metric key on the vertical axis, {@code guest.pmu_overhead_pct}
 */
public record Tradeoff(String x, String y) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Tradeoff {
        requireNonNull(x, "x is null");
        requireNonNull(y, "y is null");
    }
}
