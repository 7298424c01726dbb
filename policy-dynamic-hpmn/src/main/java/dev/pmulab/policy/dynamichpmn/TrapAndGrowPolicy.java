package dev.pmulab.policy.dynamichpmn;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationOrder;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.TrappedAccessResolution;
import dev.pmulab.api.VcpuView;
import jakarta.inject.Inject;

/**
 * Trap-and-grow (James Clark, 2025-03-26; partitioning-and-policies.md §6.5). The host allocates
 * from the top down, the guest from the bottom up. At vcpu_load a partitioned vCPU gets {@code start}
 * event counters, or as many as it still used at its last vcpu_put, up to {@code cap}. An access to
 * a counter at or above HPMN traps; if the counters up to it can be taken (no pinned host event on
 * them, and no flexible one unless {@code displace_flexible}), HPMN grows to cover it, the guest sees
 * the new PMCR_EL0.N at once (recorded), and the access is retried. At vcpu_put every counter goes
 * back to the host, and the vCPU's share shrinks to what it still uses: one past its highest enabled
 * counter, at least {@code start}; the guest sees that N at its next load.
 *
 * <p>Colton Lewis's objections stay visible: a counter disabled at exit is given up and re-trapped
 * later (thrashing), every move of HPMN is a PMCR_EL0.N change the guest sees, and a guest that
 * touches counter N-1 takes every counter the host is not pinning unless {@code cap} stops it.
 */
public final class TrapAndGrowPolicy implements AllocationPolicy {
    private final TrapAndGrowSettings settings;
    private final String policyName;
    private DynamicHpmnCpuState cpus;

    @Inject
    public TrapAndGrowPolicy(TrapAndGrowSettings settings, PolicyContext context) {
        this.settings = requireNonNull(settings, "settings is null");
        this.policyName = requireNonNull(context, "context is null").policyName();
    }

    @Override
    public void hostBoot(HostView host, AllocationControl control) {
        requireNonNull(host, "host is null");
        requireNonNull(control, "control is null");
        cpus = DynamicHpmnCpuState.boot(policyName, host);
        // Every partitioned guest gets an HPMN, so there is nothing to run without VHE (§3.8).
        DynamicHpmnRules.requireVhe(host, policyName, "growing a guest's share with HPMN");
        // The guest grows from the bottom; the host fills from the top to stay out of its way.
        control.setHostAllocationOrder(AllocationOrder.TOP_DOWN);
    }

    @Override
    public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(control, "control is null");
        int c = DynamicHpmnCpuState.slot(cpus, policyName, cpu, "vcpu_load");
        if (!DynamicHpmnRules.eligible(vcpu, settings.optIn())) {
            return;
        }
        int n = cpu.counters();
        int cap = capOn(vcpu, cpu);
        int start = Math.min(settings.start(), cap);
        int used = DynamicHpmnRules.countersUpToHighest(vcpu.guestCountersInUse(), n);
        int wanted = Math.min(cap, Math.max(start, used));
        // The start counters are the guest's floor, as vcpu-load-resched's share: only pinned host
        // events limit them. Beyond start, re-taking what the guest used follows the growth rule.
        int granted = Math.min(start, DynamicHpmnRules.lowestCounter(cpu.hostPinnedCounters(), n));
        if (granted == start && wanted > start) {
            granted = Math.min(wanted, DynamicHpmnRules.lowestCounterFrom(blockers(cpu), start, n));
        }
        cpus.grantGuestShare(c, vcpu, cpu, wanted, granted, control);
    }

    @Override
    public TrappedAccessResolution guestAccessOutsideShare(
            VcpuView vcpu, CpuView cpu, int counter, AllocationControl control) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(control, "control is null");
        int c = DynamicHpmnCpuState.slot(cpus, policyName, cpu, "guest_access_outside_share");
        if (!cpus.guestShare[c]) {
            return TrappedAccessResolution.EMULATE; // not a vCPU this policy partitioned
        }
        int n = cpu.counters();
        // Counters at or above N never reach here (the core makes them UNDEFINED); one the VM was not
        // given (its nr_counters) is UNDEFINED too, as KVM does for a counter the vCPU lacks.
        if (counter < 0 || counter >= Math.min(n, vcpu.guestCountersLimit())) {
            return TrappedAccessResolution.INJECT_UNDEFINED;
        }
        int current = cpu.hpmn();
        if (counter < current) {
            return TrappedAccessResolution.RETRY; // already covered: a trap raced with a grow
        }
        if (counter >= capOn(vcpu, cpu)) {
            // The cap is what stops a greedy guest (objection 3): KVM emulates the access instead.
            return TrappedAccessResolution.EMULATE;
        }
        int grown = counter + 1;
        long taken = DynamicHpmnRules.eventCounters(grown) & ~DynamicHpmnRules.eventCounters(current);
        if ((blockers(cpu) & taken) != 0) {
            control.noteGuestShareCut(vcpu, cpu.id(), grown, current);
            return TrappedAccessResolution.EMULATE;
        }
        long hostMask = DynamicHpmnRules.hostRange(n, grown);
        if ((cpu.hostCountersInUse() & taken) != 0) {
            control.reschedHostPerf(cpu.id(), hostMask);
            cpus.squeezed[c] = true;
        } else {
            control.setHostCounterMask(cpu.id(), hostMask);
        }
        control.setHpmn(cpu.id(), grown);
        // PMCR_EL0 is untrapped, so the running guest now reads N = HPMN (objection 2).
        control.noteGuestVisibleN(vcpu, grown);
        return TrappedAccessResolution.RETRY;
    }

    @Override
    public void vcpuPut(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(control, "control is null");
        // The shrink needs no state here: the next vcpu_load sizes the share from the counters the
        // guest had enabled at this put (VcpuView.guestCountersInUse), so the host has every counter
        // while the vCPU is away.
        cpus.kvmPmuPut(DynamicHpmnCpuState.slot(cpus, policyName, cpu, "vcpu_put"), cpu, control);
    }

    /** The most event counters this vCPU may hold on this CPU: cap, clamped to N and the VM's nr_counters. */
    private int capOn(VcpuView vcpu, CpuView cpu) {
        return Math.max(0, Math.min(settings.cap(), Math.min(cpu.counters(), vcpu.guestCountersLimit())));
    }

    /** Event counters a guest may not grow over: pinned host events always, flexible ones unless allowed. */
    private long blockers(CpuView cpu) {
        return settings.displaceFlexible() ? cpu.hostPinnedCounters() : cpu.hostCountersInUse();
    }
}
