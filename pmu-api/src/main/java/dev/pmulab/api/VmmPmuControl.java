package dev.pmulab.api;

/**
 * What a VMM may do to choose a VM's PMU and filter its events, through KVM's vCPU device
 * attributes. Each call is made on every vCPU as a VMM would and returns 0 or the negative errno KVM
 * returns.
 */
@Stable(since = "0.1")
public interface VmmPmuControl {
    /** {@code KVM_ARM_VCPU_PMU_V3_SET_PMU} with the perf type of the named host PMU. */
    int setPmu(String pmuName);

    /** {@code KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS}. */
    int setNrCounters(int counters);

    /**
     * {@code KVM_ARM_VCPU_PMU_V3_FILTER} with one {@code struct kvm_pmu_event_filter}: the VM's filter
     * bitmap is created by the first call (its action sets the default) and each call sets or
     * clears its range (kvm-vpmu-uapi.md §1.3). -EINVAL for a range past the host's event space
     * ({@link HostView#pmuVersion()}), -EBUSY once a vCPU ran or with FIXED_COUNTERS_ONLY.
     */
    int setEventFilter(EventFilter filter);

    /** The proposed {@code KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY} (attribute 5): only the cycle counter. */
    @Experimental("Akihiko Odaki's FIXED_COUNTERS_ONLY series, not merged")
    int setFixedCountersOnly();

    /**
     * The VMM pins the VM's vCPU threads to these CPUs (sched_setaffinity). A VMM that pins after
     * vCPU init, as QEMU does, leaves a window in which vCPUs run anywhere.
     */
    void pinVcpus(int[] cpus);
}
