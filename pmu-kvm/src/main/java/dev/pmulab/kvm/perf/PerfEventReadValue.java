package dev.pmulab.kvm.perf;

/**
 * What {@code perf_event_read_value} returns: the count and the two times perf scales it with.
 *
 * @param value the event count
 * @param timeEnabled ns the event was enabled while its context was active
 * @param timeRunning ns the event was on a counter
 */
public record PerfEventReadValue(long value, long timeEnabled, long timeRunning) {
    /**
     * The value as perf user space scales it ({@code perf_counts_values__scale},
     * perf-core-and-costs.md §1.6): 0 when it never ran ({@code <not counted>}),
     * {@code value * enabled / running} in double arithmetic, truncated, when it ran part of the time.
     */
    public long scaled() {
        return PerfEvent.scale(value, timeEnabled, timeRunning);
    }

    /** time_running / time_enabled; 1 when it was never enabled (nothing to cover). */
    public double coverage() {
        return timeEnabled == 0 ? 1.0 : (double) timeRunning / timeEnabled;
    }
}
