package dev.pmulab.api;

/**
 * The only way an allocation policy changes hardware or host state. The core checks every action
 * against the hardware and refuses an impossible one with a {@link ControlRefusedException} naming
 * the policy and the rule (HPMN &gt; N; HPMN = 0 without FEAT_HPMN0; a partition on an nVHE host; a
 * guest share that crosses a pinned host event), and charges the kernel time each action costs.
 */
@Stable(since = "0.1")
public interface AllocationControl {
    /**
     * Sets MDCR_EL2.HPMN for guests on {@code cpu}: event counters below it are the guest's while
     * one of its vCPUs is loaded there (with {@link GuestAccessMode#DIRECT}), the rest the host's.
     */
    void setHpmn(int cpu, int hpmn);

    /**
     * Sets the counters host perf may use on {@code cpu} ({@code cntr_mask}) without a reschedule:
     * events already on counters stay there until their next sched-in. Right at boot, and when
     * no host event sits on a counter the mask removes.
     */
    void setHostCounterMask(int cpu, long counterMask);

    /**
     * {@code perf_pmu_resched_update}: schedules every host event on {@code cpu}'s PMU out,
     * installs {@code counterMask} as its cntr_mask, and schedules them back in. Host groups that no
     * longer fit lose their counters until the mask grows again; pinned ones go to ERROR.
     */
    void reschedHostPerf(int cpu, long counterMask);

    /** The host driver's counter allocation order, on every CPU. */
    void setHostAllocationOrder(AllocationOrder order);

    /** Chooses how {@code vcpu}'s guest reaches its counters from its next entry on. */
    void setGuestAccess(VcpuView vcpu, GuestAccessMode mode);

    /** Records a change of PMCR_EL0.N that the running guest can see (a metric: guests may not expect it). */
    void noteGuestVisibleN(VcpuView vcpu, int newN);

    /**
     * Records that the policy gave {@code vcpu} fewer event counters on {@code cpu} than it wanted
     * because host events held them: where the partitioning series warns about a pinned host event
     * in the guest range (partitioning-and-policies.md §6.3), or a guest's growth is refused. A
     * metric only; it changes nothing. The default ignores it, so a core that does not count it
     * loses nothing.
     *
     * @param wanted the event counters the policy would have given the guest
     * @param granted the event counters it gave (its HPMN on that CPU)
     */
    @Stable(since = "0.1")
    default void noteGuestShareCut(VcpuView vcpu, int cpu, int wanted, int granted) {}
}
