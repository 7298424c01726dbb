package dev.pmulab.kvm.perf;

/**
 * The callback of {@code perf_pmu_resched_update(pmu, update_cb, data)} (partitioning series v7,
 * partitioning-and-policies.md §3.5): it runs after every event of the PMU on that CPU has been
 * scheduled out and before they are scheduled back in, typically to install a new {@code cntr_mask}
 * with {@link PerfCore#setCntrMask}. Callers on a hot path keep one instance rather than a fresh lambda.
 */
@FunctionalInterface
public interface PmuReschedUpdate {
    void update(int cpu);
}
