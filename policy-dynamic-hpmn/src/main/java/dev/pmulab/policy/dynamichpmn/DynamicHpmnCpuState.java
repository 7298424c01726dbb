package dev.pmulab.policy.dynamichpmn;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.api.VcpuView;

/** Per-CPU state of a dynamic policy, sized at host_boot; arrays, so vcpu_load and vcpu_put allocate nothing. */
final class DynamicHpmnCpuState {
    private final String policyName;
    /** A vCPU loaded here holds guest counters this policy must give back at vcpu_put. */
    final boolean[] guestShare;
    /** Host perf was rescheduled to make room for the guest (the kernel's host_squeezed). */
    final boolean[] squeezed;

    private DynamicHpmnCpuState(String policyName, int cpus) {
        this.policyName = policyName;
        this.guestShare = new boolean[cpus];
        this.squeezed = new boolean[cpus];
    }

    static DynamicHpmnCpuState boot(String policyName, HostView host) {
        DynamicHpmnCpuState state = new DynamicHpmnCpuState(policyName, host.cpuCount());
        for (int i = 0; i < host.cpuCount(); i++) {
            CpuView cpu = host.cpu(i);
            if (cpu.id() != i) {
                throw new IllegalStateException(policyName + ": host.cpu(" + i + ") has id " + cpu.id());
            }
        }
        return state;
    }

    /**
     * vcpu_load's grant: gives {@code vcpu} the first {@code granted} of the {@code wanted} counters
     * on {@code cpu} (slot {@code c}), noting a cut share; when no legal HPMN exists (counter 0 held
     * by a pinned host event on a CPU without FEAT_HPMN0) the vCPU stays emulated until its next
     * load. Takes the counters from host perf (rescheduling only on a collision, §6.3), then sets
     * HPMN and direct access and notes the N the guest now reads.
     */
    void grantGuestShare(int c, VcpuView vcpu, CpuView cpu, int wanted, int granted, AllocationControl control) {
        if (granted < wanted) {
            control.noteGuestShareCut(vcpu, cpu.id(), wanted, granted);
        }
        int legal = DynamicHpmnRules.legalHpmn(cpu, granted);
        if (legal < 0) {
            if (vcpu.accessMode() == GuestAccessMode.DIRECT) {
                control.setGuestAccess(vcpu, GuestAccessMode.EMULATED);
                DynamicHpmnRules.noteVisibleN(vcpu, vcpu.guestCountersLimit(), control);
            }
            return;
        }
        squeezed[c] = DynamicHpmnRules.takeGuestCounters(cpu, legal, control);
        guestShare[c] = true;
        DynamicHpmnRules.setAccess(vcpu, GuestAccessMode.DIRECT, control);
        DynamicHpmnRules.noteVisibleN(vcpu, legal, control);
    }

    /**
     * vcpu_put's give-back, the series' kvm_pmu_put (§3.9, §6.3): if the vCPU on slot {@code c} held a
     * guest share, every counter goes back to the host (a reschedule only if the load squeezed host
     * events out, else the mask is overwritten) and the slot forgets the share.
     */
    void kvmPmuPut(int c, CpuView cpu, AllocationControl control) {
        if (!guestShare[c]) {
            return;
        }
        DynamicHpmnRules.giveBackCounters(cpu, squeezed[c], control);
        guestShare[c] = false;
        squeezed[c] = false;
    }

    /** The index of {@code cpu}; fails if host_boot has not run or did not see it. */
    static int slot(DynamicHpmnCpuState state, String policyName, CpuView cpu, String hook) {
        if (state == null) {
            throw new IllegalStateException(policyName + ": " + hook + " before host_boot");
        }
        int id = cpu.id();
        if (id < 0 || id >= state.guestShare.length) {
            throw new IllegalStateException(state.policyName + ": " + hook + " on cpu " + id + ", not one of the "
                    + state.guestShare.length + " CPUs host_boot saw");
        }
        return id;
    }
}
