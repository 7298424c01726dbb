package dev.pmulab.kvm.perf;

/**
 * An in-kernel overflow handler, given to {@link PerfCore#createKernelCounter}; it runs from the PMU
 * interrupt in place of writing a sample, as {@code kvm_pmu_perf_overflow} does for the guest
 * counters of the emulated vPMU (perf-core-and-costs.md §3.1). It may call
 * {@link PerfCore#setPeriod} on the event.
 */
@FunctionalInterface
public interface PerfOverflowHandler {
    /**
     * @param event the sampling event whose period elapsed
     * @param cpu the CPU whose PMU interrupt is being handled
     * @param now the time of the interrupt, in ns
     */
    void overflow(PerfEvent event, int cpu, long now);
}
