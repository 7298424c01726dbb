package dev.pmulab.api;

/** The order in which the host PMU driver hands out counter indices within its cntr_mask. */
@Stable(since = "0.1")
public enum AllocationOrder {
    /** Lowest free index first: upstream arm_pmuv3. */
    BOTTOM_UP,
    /** Highest free index first: the partitioning series from v8, so host events rarely sit on guest counters. */
    TOP_DOWN
}
