package dev.pmulab.sim.metrics;

/** The unit a metric is reported in. */
public enum MetricUnit {
    /** A number of occurrences; always a whole number. */
    COUNT("count"),
    /** Simulated time in nanoseconds. */
    NANOSECONDS("ns"),
    /** A percentage (0 to 100 for shares; an error percentage may exceed 100). */
    PERCENT("%");

    private final String symbol;

    MetricUnit(String symbol) {
        this.symbol = symbol;
    }

    /** What reports print after the metric: {@code count}, {@code ns} or {@code %}. */
    public String symbol() {
        return symbol;
    }
}
