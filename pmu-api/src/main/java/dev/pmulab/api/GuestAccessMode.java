package dev.pmulab.api;

/** How a vCPU's guest reaches its PMU counters. */
@Stable(since = "0.1")
public enum GuestAccessMode {
    /**
     * Today's KVM: MDCR_EL2.TPM traps every guest PMU access, and each guest counter is a host
     * perf event (pinned, task-bound, exclude_host).
     */
    EMULATED,
    /**
     * Partitioned: guest counters are the hardware counters below HPMN while the vCPU is loaded;
     * what still traps depends on FEAT_FGT (partitioning-and-policies.md §3.7).
     */
    DIRECT
}
