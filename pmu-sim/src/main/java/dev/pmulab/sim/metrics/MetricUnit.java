package dev.pmulab.sim.metrics;

/** The unit a metric is reported in. */
public enum MetricUnit {
    /** A number of occurrences; always a whole number. */
    COUNT("count"),
    /** Simulated time in nanoseconds. */
    NANOSECONDS("ns"),
    /** A percentage (0 to 100 for shares; an error percentage may exceed 100). */
    PERCENT("%"),
    /** A rate per second, as the kernel states it (a sysctl in Hz); a whole number. */
    HERTZ("Hz");

    private final String symbol;

    MetricUnit(String symbol) {
        this.symbol = symbol;
    }

    /** Whether a value is always a whole number (a count, a rate the kernel keeps as an int). */
    public boolean wholeNumber() {
        return this == COUNT || this == HERTZ;
    }

    /** What reports print after the metric: {@code count}, {@code ns}, {@code %} or {@code Hz}. */
    public String symbol() {
        return symbol;
    }
}
