package dev.pmulab.kvm.vpmu;

import static dev.pmulab.api.ControlRule.HPMN0;
import static dev.pmulab.api.ControlRule.HPMN_LE_N;
import static dev.pmulab.api.ControlRule.IMPLEMENTED_COUNTERS;
import static dev.pmulab.api.ControlRule.PINNED_HOST_EVENT;
import static dev.pmulab.api.ControlRule.VHE_ONLY;
import static java.util.Objects.requireNonNull;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationOrder;
import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.VcpuView;
import dev.pmulab.kvm.perf.CounterAllocationOrder;
import dev.pmulab.kvm.perf.PerfPmu;

/**
 * The allocation policy's control surface (partitioning-and-policies.md §6): each action checked
 * against the hardware and the host kernel, refused with a {@link ControlRefusedException} naming
 * the policy and the rule, and charged where it does kernel work.
 */
final class KvmPmuControl implements AllocationControl {
    private final KvmPmu kvm;

    KvmPmuControl(KvmPmu kvm) {
        this.kvm = kvm;
    }

    /**
     * Refused when HPMN exceeds the CPU's N, is 0 without FEAT_HPMN0, partitions (below N) on an nVHE
     * host (§3.8), or gives the guest (counters below it and PMCCNTR) a counter a pinned host event
     * holds now. On a CPU where a direct vCPU runs, the partition moves at once (its registers are
     * swapped for the counters that move, C7 each); otherwise at the next vcpu_load.
     */
    @Override
    public void setHpmn(int cpu, int hpmn) {
        KvmCpu c = kvm.cpu(cpu);
        if (hpmn < 0 || hpmn > c.n) {
            throw refuse(HPMN_LE_N, "HPMN " + hpmn + " on CPU " + cpu + ", whose PMU has N = " + c.n);
        }
        if (hpmn == 0 && !c.hpmn0) {
            throw refuse(HPMN0, "HPMN 0 on CPU " + cpu + ", which lacks FEAT_HPMN0 (HPMN = 0 is reserved there)");
        }
        if (hpmn < c.n && !kvm.vhe()) {
            throw refuse(
                    VHE_ONLY,
                    "HPMN " + hpmn + " < N on CPU " + cpu + " of an nVHE host: the counters above"
                            + " HPMN belong to EL2, where an nVHE host kernel does not run (§3.8)");
        }
        long pinned = c.hostPinnedCounters() & KvmCpu.guestRange(hpmn);
        if (pinned != 0) {
            throw refuse(
                    PINNED_HOST_EVENT,
                    String.format(
                            "HPMN %d on CPU %d gives the guest counters 0x%x that pinned"
                                    + " host events hold (guest range: counters below HPMN and PMCCNTR)",
                            hpmn, cpu, pinned));
        }
        if (hpmn == c.hpmn) {
            return;
        }
        c.hpmn = hpmn;
        kvm.hpmnChanges++;
        if (c.loaded != null) {
            c.loaded.hpmnChanged(hpmn, kvm.nowOn(c));
        }
    }

    /** perf's per-CPU cntr_mask, without a reschedule. Refused on nVHE when it leaves counters out. */
    @Override
    public void setHostCounterMask(int cpu, long counterMask) {
        KvmCpu c = checkHostMask(cpu, counterMask);
        kvm.perf.setCntrMask(c.id, counterMask);
        kvm.hostCounterMaskChanges++;
    }

    /**
     * perf_pmu_resched_update with the new cntr_mask (C12 to the CPU, per event moved). A host event
     * it places on a counter a loaded direct guest still owns is an isolation breach: shrinking a
     * running guest's share must move HPMN first (KVM saves the counters), then reschedule.
     */
    @Override
    public void reschedHostPerf(int cpu, long counterMask) {
        KvmCpu c = checkHostMask(cpu, counterMask);
        kvm.perf.perfPmuReschedUpdate(c.id, counterMask, kvm.nowOn(c));
        kvm.hostReschedules++;
        if (c.loaded != null) {
            c.loaded.hostRescheduled();
        }
    }

    private KvmCpu checkHostMask(int cpu, long counterMask) {
        KvmCpu c = kvm.cpu(cpu);
        long implemented = c.hostPmu.implementedMask();
        if ((counterMask & ~implemented) != 0) {
            throw refuse(
                    IMPLEMENTED_COUNTERS,
                    String.format(
                            "cntr_mask 0x%x on CPU %d names counters its PMU lacks" + " (implemented: 0x%x)",
                            counterMask, cpu, implemented));
        }
        if (counterMask != implemented && !kvm.vhe()) {
            throw refuse(
                    VHE_ONLY,
                    String.format(
                            "cntr_mask 0x%x on CPU %d of an nVHE host keeps counters from"
                                    + " the host: a partition needs VHE (§3.8)",
                            counterMask, cpu));
        }
        return c;
    }

    /** armv8pmu_get_event_idx's order on every host PMU, from the next allocation on. */
    @Override
    public void setHostAllocationOrder(AllocationOrder order) {
        requireNonNull(order, "order is null");
        CounterAllocationOrder o = order == AllocationOrder.TOP_DOWN
                ? CounterAllocationOrder.HIGH_TO_LOW
                : CounterAllocationOrder.LOW_TO_HIGH;
        for (PerfPmu p : kvm.perf.pmus()) {
            p.setAllocationOrder(o);
        }
    }

    /** Emulated or direct from the vCPU's next load, or at once if it is loaded. Direct needs VHE. */
    @Override
    public void setGuestAccess(VcpuView vcpu, GuestAccessMode mode) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(mode, "mode is null");
        VcpuPmu v = VcpuPmu.ownerOf(vcpu);
        if (v == null || v.kvm != kvm) {
            throw new IllegalArgumentException(
                    kvm.policyName + " passed a vCPU view this KVM did not give out: " + vcpu);
        }
        if (mode == GuestAccessMode.DIRECT && !kvm.vhe()) {
            throw refuse(VHE_ONLY, "direct counters for " + vcpu + " on an nVHE host (§3.8)");
        }
        v.requestMode(mode, v.cpu == null ? kvm.now : kvm.nowOn(v.cpu));
    }

    /** Counted; the vCPU's view reports {@code newN} from now on (KVM counts real changes itself). */
    @Override
    public void noteGuestVisibleN(VcpuView vcpu, int newN) {
        requireNonNull(vcpu, "vcpu is null");
        kvm.guestVisibleNNotes++;
        VcpuPmu v = VcpuPmu.ownerOf(vcpu);
        if (v != null && v.kvm == kvm) {
            v.viewVisibleN = newN;
        }
    }

    @Override
    public void noteGuestShareCut(VcpuView vcpu, int cpu, int wanted, int granted) {
        requireNonNull(vcpu, "vcpu is null");
        kvm.guestShareCuts++;
    }

    private ControlRefusedException refuse(ControlRule rule, String detail) {
        kvm.refusedControls++;
        kvm.refusalsByRule.merge(rule, 1L, Long::sum);
        return new ControlRefusedException(kvm.policyName, rule, detail);
    }
}
