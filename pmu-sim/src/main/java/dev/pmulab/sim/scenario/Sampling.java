package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

/**
 * How a sampling session (perf record) sets its period: a target rate in samples per second,
 * re-tuned every tick ({@code -F}, perf-core-and-costs.md §1.8), or a fixed number of events
 * between samples ({@code -c}).
 */
public record Sampling(Mode mode, long value) {
    /** perf record's default: 4000 samples per second per event (perf-core-and-costs.md §6). */
    public static final long DEFAULT_FREQUENCY_HZ = 4000;

    /** kernel.perf_event_max_sample_rate's default (perf-core-and-costs.md §1.8); perf refuses a higher -F. */
    public static final long MAX_FREQUENCY_HZ = 100_000;

    public enum Mode {
        /** {@code value} is samples per second; the kernel re-tunes the period each tick. */
        FREQUENCY,
        /** {@code value} is the number of events between two samples. */
        PERIOD
    }

    public Sampling {
        requireNonNull(mode, "mode is null");
        if (value < 1) {
            throw new IllegalArgumentException(
                    "a sampling " + mode.name().toLowerCase(java.util.Locale.ROOT) + " is at least 1, was " + value);
        }
    }

    public static Sampling frequencyHz(long hz) {
        return new Sampling(Mode.FREQUENCY, hz);
    }

    public static Sampling period(long events) {
        return new Sampling(Mode.PERIOD, events);
    }
}
