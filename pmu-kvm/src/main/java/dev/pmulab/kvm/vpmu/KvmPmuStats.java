package dev.pmulab.kvm.vpmu;

import dev.pmulab.api.ControlRule;
import java.util.Map;

/**
 * Host-side counts of KVM's PMU and of the allocation policy's use of the control surface.
 *
 * @param hostIsolationBreaches host perf events found on a counter a direct guest owned, with the
 *     guest's registers loaded (each counter once per load or repartition)
 * @param guestIsolationBreaches accesses of guests that reached a host-owned counter or host state
 *     (the sum of the vCPUs' {@link VcpuPmuStats#isolationBreaches()})
 * @param guestVisibleNNotes PMCR_EL0.N changes the policy reported (noteGuestVisibleN)
 * @param guestShareCuts guest shares the policy cut because host events held counters (noteGuestShareCut)
 * @param refusedControls control actions refused (ControlRefusedException)
 * @param refusalsByRule the refusals per rule
 * @param hpmnChanges setHpmn calls that changed a CPU's HPMN
 * @param hostCounterMaskChanges setHostCounterMask calls
 * @param hostReschedules reschedHostPerf calls (perf_pmu_resched_update, C12 each)
 * @param accessModeChanges changes of a vCPU's access mode (emulated, direct)
 * @param guestIrqForwards host PMU interrupts that carried direct guest overflows (kvm_pmu_handle_guest_irq)
 */
public record KvmPmuStats(
        long hostIsolationBreaches,
        long guestIsolationBreaches,
        long guestVisibleNNotes,
        long guestShareCuts,
        long refusedControls,
        Map<ControlRule, Long> refusalsByRule,
        long hpmnChanges,
        long hostCounterMaskChanges,
        long hostReschedules,
        long accessModeChanges,
        long guestIrqForwards) {
    /** Breaches either way: must be 0 for a correct policy. */
    public long isolationBreaches() {
        return hostIsolationBreaches + guestIsolationBreaches;
    }
}
