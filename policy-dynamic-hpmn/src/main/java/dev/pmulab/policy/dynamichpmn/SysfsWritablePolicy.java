package dev.pmulab.policy.dynamichpmn;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.VcpuView;
import jakarta.inject.Inject;

/**
 * The reservation as a sysfs knob (partitioning-and-policies.md §6.4): a static split, as
 * static-hpmn's, that an administrator moves at run time. host_boot applies the boot value. A write
 * of {@code reserved_host_counters} reschedules host perf once on every CPU with the new cntr_mask
 * (sched-out, mask edit, sched-in) and sets the new HPMN; a vCPU loaded at that moment sees its
 * PMCR_EL0.N change under it, which is recorded. vcpu_load only gives partitioned vCPUs direct
 * access; vcpu_put does nothing. Writing -1 ends the partition: the host gets every counter back
 * and vCPUs return to emulation from their next entry.
 */
public final class SysfsWritablePolicy implements AllocationPolicy {
    /** The one knob, named as the series' parameter it makes writable. */
    public static final String KNOB = DynamicHpmnRules.RESERVED_HOST_COUNTERS;

    private final SysfsWritableSettings settings;
    private final String policyName;
    private DynamicHpmnCpuState cpus;
    /** The knob's current value. */
    private int reserved;

    @Inject
    public SysfsWritablePolicy(SysfsWritableSettings settings, PolicyContext context) {
        this.settings = requireNonNull(settings, "settings is null");
        this.policyName = requireNonNull(context, "context is null").policyName();
        this.reserved = this.settings.reservedHostCounters();
    }

    @Override
    public void hostBoot(HostView host, AllocationControl control) {
        requireNonNull(host, "host is null");
        requireNonNull(control, "control is null");
        cpus = DynamicHpmnCpuState.boot(policyName, host);
        reserved = settings.reservedHostCounters();
        if (reserved == DynamicHpmnRules.NO_PARTITION) {
            return;
        }
        DynamicHpmnRules.requireVhe(host, policyName, KNOB + "=" + reserved);
        for (int i = 0; i < host.cpuCount(); i++) {
            CpuView cpu = host.cpu(i);
            int h = DynamicHpmnRules.hpmnForReserved(cpu.counters(), cpu.hpmn0(), reserved);
            // At boot a reschedule is needed only if host events already sit on guest counters.
            DynamicHpmnRules.takeGuestCounters(cpu, h, control);
        }
    }

    @Override
    public void adminWrite(String knob, long value, HostView host, AllocationControl control) {
        requireNonNull(knob, "knob is null");
        requireNonNull(host, "host is null");
        requireNonNull(control, "control is null");
        if (cpus == null) {
            throw new IllegalStateException(policyName + ": admin_write before host_boot");
        }
        if (!KNOB.equals(knob)) {
            throw new IllegalArgumentException(policyName + " has no knob '" + knob + "'; known knobs: " + KNOB);
        }
        if (!DynamicHpmnRules.validReserved(value)) {
            throw new IllegalArgumentException(policyName + ": cannot write " + value + " to " + KNOB
                    + "; it takes -1 (no partition) or 0.." + DynamicHpmnRules.MAX_EVENT_COUNTERS);
        }
        int next = (int) value;
        if (next != DynamicHpmnRules.NO_PARTITION) {
            DynamicHpmnRules.requireVhe(host, policyName, "writing " + KNOB + "=" + next);
        }
        reserved = next;
        // §6.4: one resched per CPU per write, whether or not host events sit on the moved counters;
        // it is what lets perf's fixed-after-probe counter count change (v2's objection).
        for (int i = 0; i < host.cpuCount(); i++) {
            CpuView cpu = host.cpu(i);
            int n = cpu.counters();
            VcpuView direct = cpu.loadedVcpu()
                    .filter(v -> v.accessMode() == GuestAccessMode.DIRECT)
                    .orElse(null);
            if (next == DynamicHpmnRules.NO_PARTITION) {
                if (direct != null) {
                    control.setGuestAccess(direct, GuestAccessMode.EMULATED);
                    DynamicHpmnRules.noteVisibleN(direct, direct.guestCountersLimit(), control);
                }
                control.reschedHostPerf(cpu.id(), DynamicHpmnRules.everyCounter(n));
            } else {
                int h = DynamicHpmnRules.hpmnForReserved(n, cpu.hpmn0(), next);
                DynamicHpmnRules.moveSplit(cpu, h, direct != null, control);
                if (direct != null) {
                    // The running guest's PMCR_EL0.N follows HPMN at once; counters it loses are the
                    // host's now (RFC v2's reason to refuse run-time changes, §3.2).
                    DynamicHpmnRules.noteVisibleN(direct, h, control);
                }
            }
        }
    }

    @Override
    public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(control, "control is null");
        DynamicHpmnCpuState.slot(cpus, policyName, cpu, "vcpu_load"); // fails before host_boot
        if (!DynamicHpmnRules.eligible(vcpu, settings.optIn())) {
            return;
        }
        if (reserved == DynamicHpmnRules.NO_PARTITION) {
            // A vCPU put while the partition was on, and loaded after a write of -1.
            if (vcpu.accessMode() == GuestAccessMode.DIRECT) {
                control.setGuestAccess(vcpu, GuestAccessMode.EMULATED);
                DynamicHpmnRules.noteVisibleN(vcpu, vcpu.guestCountersLimit(), control);
            }
            return;
        }
        DynamicHpmnRules.setAccess(vcpu, GuestAccessMode.DIRECT, control);
        DynamicHpmnRules.noteVisibleN(vcpu, cpu.hpmn(), control);
    }

    /** The knob's current value, as {@code cat reserved_host_counters} would print it. */
    public int reservedHostCounters() {
        return reserved;
    }
}
