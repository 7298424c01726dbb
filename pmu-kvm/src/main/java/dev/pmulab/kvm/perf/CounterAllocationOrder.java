package dev.pmulab.kvm.perf;

/**
 * The order in which {@code armv8pmu_get_event_idx} hands out general-purpose counters
 * (perf-core-and-costs.md §2). The cycle counter preference for CPU_CYCLES is the same in both.
 */
public enum CounterAllocationOrder {
    /** Upstream: the lowest free counter of {@code cntr_mask} (the lowest free odd/even pair when chained). */
    LOW_TO_HIGH,
    /**
     * The partitioning series v8, "Allocate counter indices from high to low": the host fills from
     * the top so that low (guest) counters collide less (partitioning-and-policies.md §3.6, §6.3).
     */
    HIGH_TO_LOW
}
