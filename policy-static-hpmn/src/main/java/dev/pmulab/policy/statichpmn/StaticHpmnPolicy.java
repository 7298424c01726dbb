package dev.pmulab.policy.statichpmn;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.VcpuView;
import jakarta.inject.Inject;

/**
 * The boot-time static split (partitioning-and-policies.md §6.2). At host_boot, on every CPU:
 * HPMN = N − reserved_host_counters (0 with FEAT_HPMN0, else 1, once the reservation reaches N),
 * and the host's cntr_mask becomes HPMN..N-1 for good, without PMCCNTR. At vcpu_load a partitioned
 * vCPU gets direct access to counters 0..HPMN-1 and PMCCNTR; which of its PMU registers still trap
 * is the core's business (all of them without FEAT_FGT, §3.7). Nothing happens at vcpu_put: the
 * split never moves. With reserved_host_counters = -1 it does nothing at all, as upstream KVM.
 */
public final class StaticHpmnPolicy implements AllocationPolicy {
    /** Bit 31 of the PMCNTENSET layout: always in the guest's range under a partition (§6.2). */
    static final long CYCLE_COUNTER = 1L << 31;

    private final StaticHpmnSettings settings;
    private final String policyName;
    /** HPMN per CPU, from host_boot; null before it. */
    private int[] hpmnByCpu;

    @Inject
    public StaticHpmnPolicy(StaticHpmnSettings settings, PolicyContext context) {
        this.settings = requireNonNull(settings, "settings is null");
        this.policyName = requireNonNull(context, "context is null").policyName();
    }

    @Override
    public void hostBoot(HostView host, AllocationControl control) {
        requireNonNull(host, "host is null");
        requireNonNull(control, "control is null");
        int[] hpmn = new int[host.cpuCount()];
        if (!settings.partitioned()) {
            hpmnByCpu = hpmn;
            return;
        }
        // The policy refuses nVHE itself, before touching any CPU, rather than leaving it to the
        // core's check on the first setHpmn: no CPU is left half partitioned, and the refusal is the
        // same ControlRefusedException (ControlRule.VHE_ONLY) the core would raise.
        if (!host.vhe()) {
            String setting = StaticHpmnSettings.RESERVED_HOST_COUNTERS;
            throw new ControlRefusedException(
                    policyName,
                    ControlRule.VHE_ONLY,
                    setting + "="
                            + settings.reservedHostCounters()
                            + " partitions the PMU, which needs a VHE host: the counters"
                            + " above HPMN belong to EL2, which an nVHE host kernel at EL1 cannot use without a hypercall"
                            + " per access (partitioning-and-policies.md §3.8); use " + setting + "=-1 on this host");
        }
        for (int i = 0; i < hpmn.length; i++) {
            CpuView cpu = host.cpu(i);
            if (cpu.id() != i) {
                throw new IllegalStateException(policyName + ": host.cpu(" + i + ") has id " + cpu.id());
            }
            // Per CPU: N differs between core types, and HPMN is clamped to this CPU's N (v2, §3.3).
            int n = cpu.counters();
            int h = hpmnFor(n, cpu.hpmn0(), settings.reservedHostCounters());
            long hostMask = eventCounters(n) & ~eventCounters(h);
            // The host must have left the guest counters (and PMCCNTR) before HPMN hands them over.
            if ((cpu.hostCountersInUse() & ~hostMask) != 0) {
                control.reschedHostPerf(cpu.id(), hostMask);
            } else {
                control.setHostCounterMask(cpu.id(), hostMask);
            }
            control.setHpmn(cpu.id(), h);
            hpmn[i] = h;
        }
        hpmnByCpu = hpmn;
    }

    @Override
    public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(control, "control is null");
        int h = hpmnOf(cpu);
        if (!settings.partitioned() || !eligible(vcpu)) {
            return;
        }
        if (vcpu.accessMode() != GuestAccessMode.DIRECT) {
            control.setGuestAccess(vcpu, GuestAccessMode.DIRECT);
        }
        // PMCR_EL0 is untrapped, so the guest reads N = HPMN of the CPU it is on (v1 caveat, §3.3):
        // moving between core types with different N shows the guest a different N (§7 of
        // pmuv3-architecture.md lets PMCR.N change with migration rather than clamp to min(N)).
        if (vcpu.lastCpu() >= 0 && vcpu.guestVisibleN() != h) {
            control.noteGuestVisibleN(vcpu, h);
        }
    }

    /**
     * The guest's HPMN on a CPU with {@code n} event counters: N − reserved, and when the host keeps
     * them all, 0 with FEAT_HPMN0 and 1 without, as the series' pmu-part.c did (§3.1).
     */
    static int hpmnFor(int n, boolean hpmn0, int reserved) {
        if (reserved >= n) {
            return hpmn0 ? 0 : 1;
        }
        return n - reserved;
    }

    /** Counters 0..count-1 in the PMCNTENSET layout. */
    static long eventCounters(int count) {
        return count <= 0 ? 0 : (1L << count) - 1;
    }

    private boolean eligible(VcpuView vcpu) {
        return vcpu.pmuEnabled() && (!settings.optIn() || vcpu.partitionRequested());
    }

    private int hpmnOf(CpuView cpu) {
        if (hpmnByCpu == null) {
            throw new IllegalStateException(policyName + ": vcpu_load before host_boot");
        }
        int id = cpu.id();
        if (id < 0 || id >= hpmnByCpu.length) {
            throw new IllegalStateException(
                    policyName + ": cpu " + id + " is not one of the " + hpmnByCpu.length + " CPUs host_boot saw");
        }
        return hpmnByCpu[id];
    }
}
