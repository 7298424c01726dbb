package dev.pmulab.kvm.vpmu;

import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.hw.PmuRegister;
import java.util.List;
import java.util.Map;

/**
 * One vCPU's PMU counts since it was attached (a copy; later activity does not change it).
 *
 * @param vmName the VM's name in the scenario
 * @param vmId the VM's id
 * @param vcpuId the vCPU's id
 * @param accessMode how the guest reaches its counters now
 * @param untrappedAccesses accesses the hardware let through (C21 each)
 * @param trappedAccesses accesses that trapped to KVM (C1 each); the guest's PMU trap count
 * @param trapsByRegister the trapped accesses per register (registers with none are absent)
 * @param undefinedInjections accesses that ended in an UNDEFINED exception, injected by KVM or
 *     raised by the hardware
 * @param outsideShareTraps direct accesses to a counter at or above HPMN (below the VM's N), each
 *     put to the allocation policy
 * @param outsideShareRetries of those, re-executed because the policy moved HPMN (RETRY)
 * @param outsideShareEmulated of those, emulated on the virtual state (EMULATE, or a RETRY whose
 *     re-execution trapped outside the share again)
 * @param outsideShareUndefined of those, refused with UNDEFINED (INJECT_UNDEFINED)
 * @param lazyRestores direct: loads of the guest's registers on a first PMU access after load
 *     (FREE to GUEST_OWNED)
 * @param overflowInjections guest PMU interrupts raised by an overflow (C18 each)
 * @param perfEventsCreated emulated: host perf events created for guest counters (C9 each)
 * @param perfEventsReleased emulated: host perf events released (C10 each)
 * @param perfEventCreateFailures emulated: creations perf refused (the counter does not count)
 * @param counters per guest counter the guest enabled: enabled, counted and denied time, stops
 * @param filterLeaks (counter, denied event) pairs whose count increased while so programmed
 * @param visibleNChanges changes of PMCR_EL0.N the guest could see after it first ran
 * @param isolationBreaches accesses of this guest that reached a host-owned counter or host state
 * @param vcpuLoads vcpu_loads so far
 * @param vcpuLoadNs ns of the PMU work KVM charged in them (C5 excluded), summed
 * @param lastVcpuLoadNs that of the last vcpu_load (0 before the first)
 * @param vcpuPuts vcpu_puts so far
 * @param vcpuPutNs ns of the PMU work KVM charged in them (C6 excluded), summed
 * @param lastVcpuPutNs that of the last vcpu_put (0 before the first)
 */
public record VcpuPmuStats(
        String vmName,
        int vmId,
        int vcpuId,
        GuestAccessMode accessMode,
        long untrappedAccesses,
        long trappedAccesses,
        Map<PmuRegister, Long> trapsByRegister,
        long undefinedInjections,
        long outsideShareTraps,
        long outsideShareRetries,
        long outsideShareEmulated,
        long outsideShareUndefined,
        long lazyRestores,
        long overflowInjections,
        long perfEventsCreated,
        long perfEventsReleased,
        long perfEventCreateFailures,
        List<GuestCounterStats> counters,
        long filterLeaks,
        long visibleNChanges,
        long isolationBreaches,
        long vcpuLoads,
        long vcpuLoadNs,
        long lastVcpuLoadNs,
        long vcpuPuts,
        long vcpuPutNs,
        long lastVcpuPutNs) {

    /** Every access the guest made: untrapped plus trapped plus those the hardware made UNDEFINED alone. */
    public long accesses() {
        return untrappedAccesses + trappedAccesses;
    }

    /** The stats of counter {@code index}, or null if the guest never enabled it. */
    public GuestCounterStats counter(int index) {
        for (GuestCounterStats c : counters) {
            if (c.index() == index) {
                return c;
            }
        }
        return null;
    }
}
