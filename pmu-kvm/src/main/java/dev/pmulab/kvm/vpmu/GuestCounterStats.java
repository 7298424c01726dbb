package dev.pmulab.kvm.vpmu;

/**
 * One guest counter's time while its vCPU was loaded, for the guest coverage and "silently
 * stopped" metrics. Only counters the guest enabled appear.
 *
 * @param index the counter (0..30, 31 for PMCCNTR)
 * @param enabledNs ns it was enabled by the guest (PMCR_EL0.E and its PMCNTENSET bit) while loaded
 * @param countedNs ns of that time it really counted: emulated, its perf event's time_running
 *     (SW_INCR and CHAIN, counted in software, all of it); direct, the time it was a hardware
 *     counter of the guest's range with the guest's registers loaded
 * @param deniedNs ns of the enabled time it was programmed with an event the VM's filter denies
 *     (it counts nothing by design; not a stop)
 * @param stoppedEpisodes times it went from counting to not counting while still enabled, without
 *     the guest asking: its perf event lost its counter (ERROR), the vCPU landed on a CPU of a PMU
 *     type that does not back it, or HPMN was lowered under it
 */
public record GuestCounterStats(int index, long enabledNs, long countedNs, long deniedNs, long stoppedEpisodes) {
    /** countedNs / (enabledNs - deniedNs); 1 when there is no such time. */
    public double coverage() {
        long countable = enabledNs - deniedNs;
        return countable <= 0 ? 1.0 : (double) countedNs / countable;
    }
}
