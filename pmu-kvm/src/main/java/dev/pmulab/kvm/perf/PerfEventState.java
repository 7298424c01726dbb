package dev.pmulab.kvm.perf;

/**
 * {@code enum perf_event_state}, declared in the kernel's numeric order (PERF_EVENT_STATE_DEAD is
 * the lowest, PERF_EVENT_STATE_ACTIVE the highest), so {@code compareTo} answers the kernel's tests
 * such as {@code state <= PERF_EVENT_STATE_OFF}.
 */
public enum PerfEventState {
    /** Released ({@code perf_event_release_kernel}); never schedules again. */
    DEAD(true),
    /**
     * A pinned group that found no counters. Sticky: scheduling passes skip it until
     * {@code perf_event_enable} (perf-core-and-costs.md §1.4).
     */
    ERROR(true),
    /** Disabled. */
    OFF(true),
    /** Enabled but not on a counter. */
    INACTIVE(false),
    /** On a hardware counter. */
    ACTIVE(false);

    /** Whether the state is OFF or below, kept per constant: one load at every scheduling step. */
    private final boolean offOrBelow;

    PerfEventState(boolean offOrBelow) {
        this.offOrBelow = offOrBelow;
    }

    /** The kernel's {@code state <= PERF_EVENT_STATE_OFF}: the event takes no time. */
    public boolean isOffOrBelow() {
        return offOrBelow; // compareTo's class checks cost on every scheduling step
    }
}
