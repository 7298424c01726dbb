package dev.pmulab.policy.dynamichpmn;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationOrder;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.VcpuView;
import jakarta.inject.Inject;

/**
 * Dynamic reservation at vcpu_load (partitioning-and-policies.md §3.5 and §6.3). The host keeps
 * every counter while no partitioned vCPU is loaded on a CPU. At vcpu_load the guest takes counters
 * 0..g-1 and PMCCNTR, with g = min(N − reserved_host_counters, the VM's nr_counters); host perf is
 * rescheduled with the smaller cntr_mask only if host events sit on those counters, and vcpu_put
 * reschedules back only if the load did. The host allocates from the top down (v8), so collisions
 * are rare.
 *
 * <p>A pinned host event in the guest range: the kernel warns once and squeezes it; the core here
 * refuses any guest share that crosses a pinned host event, so this policy cuts the share just
 * below the lowest event counter a pinned host event holds and records the cut with
 * {@link AllocationControl#noteGuestShareCut}. A pinned host event on PMCCNTR is rescheduled onto an
 * event counter instead, since PMCCNTR is always the guest's. When the cut leaves no event counter on
 * a CPU without FEAT_HPMN0 and counter 0 is pinned, no legal HPMN exists: the vCPU runs emulated
 * until its next vcpu_load.
 */
public final class VcpuLoadReschedPolicy implements AllocationPolicy {
    private final VcpuLoadReschedSettings settings;
    private final String policyName;
    private DynamicHpmnCpuState cpus;

    @Inject
    public VcpuLoadReschedPolicy(VcpuLoadReschedSettings settings, PolicyContext context) {
        this.settings = requireNonNull(settings, "settings is null");
        this.policyName = requireNonNull(context, "context is null").policyName();
    }

    @Override
    public void hostBoot(HostView host, AllocationControl control) {
        requireNonNull(host, "host is null");
        requireNonNull(control, "control is null");
        cpus = DynamicHpmnCpuState.boot(policyName, host);
        if (!settings.partitioned()) {
            return;
        }
        DynamicHpmnRules.requireVhe(
                host,
                policyName,
                VcpuLoadReschedSettings.RESERVED_HOST_COUNTERS + "=" + settings.reservedHostCounters());
        // v8: host events fill from the top, so they rarely sit on the low guest counters (§3.6).
        // The host keeps its full cntr_mask: nothing is taken until a vCPU loads.
        control.setHostAllocationOrder(AllocationOrder.TOP_DOWN);
    }

    @Override
    public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(control, "control is null");
        int c = DynamicHpmnCpuState.slot(cpus, policyName, cpu, "vcpu_load");
        if (!settings.partitioned() || !DynamicHpmnRules.eligible(vcpu, settings.optIn())) {
            return;
        }
        int n = cpu.counters();
        // v7: the parameter only bounds what a guest may take; v8 sets HPMN to the guest's own count.
        int wanted = Math.max(0, Math.min(n - settings.reservedHostCounters(), Math.min(n, vcpu.guestCountersLimit())));
        int granted = Math.min(wanted, DynamicHpmnRules.lowestCounter(cpu.hostPinnedCounters(), n));
        cpus.grantGuestShare(c, vcpu, cpu, wanted, granted, control);
    }

    @Override
    public void vcpuPut(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(control, "control is null");
        cpus.kvmPmuPut(DynamicHpmnCpuState.slot(cpus, policyName, cpu, "vcpu_put"), cpu, control);
    }
}
