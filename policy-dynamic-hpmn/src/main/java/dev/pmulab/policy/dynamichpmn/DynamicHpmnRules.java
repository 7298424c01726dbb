package dev.pmulab.policy.dynamichpmn;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.api.ControlRule;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.VcpuView;

/**
 * What the three dynamic policies share: counter masks in the PMCNTENSET layout (bit n = event
 * counter n, bit 31 = PMCCNTR), the hardware's HPMN rules, and the moves every partition makes
 * (the host leaves the guest range, then HPMN hands it over; the counters go back at vcpu_put).
 */
final class DynamicHpmnRules {
    static final String RESERVED_HOST_COUNTERS = "reserved_host_counters";
    static final String OPT_IN = "opt_in";

    /** The series' "no partition" value of reserved_host_counters (v3 on, partitioning-and-policies.md §3.3). */
    static final int NO_PARTITION = -1;

    /** PMCR_EL0.N is five bits: no PMU has more than 31 event counters. */
    static final int MAX_EVENT_COUNTERS = 31;

    /** PMCCNTR: the guest's whenever it has direct counters, so never in the host's mask then (§6.2). */
    static final long CYCLE_COUNTER = 1L << 31;

    static final SettingSpec OPT_IN_SPEC = SettingSpec.bool(
            OPT_IN,
            true,
            "true: only vCPUs of VMs that ask for a partitioned PMU (the per-VM opt-in) get direct counters;"
                    + " false: every vCPU with a PMU does");

    private DynamicHpmnRules() {}

    /** Counters 0..count-1. */
    static long eventCounters(int count) {
        return count <= 0 ? 0 : (1L << count) - 1;
    }

    /** The host's counters under HPMN on a CPU with {@code n} event counters: HPMN..N-1, no PMCCNTR. */
    static long hostRange(int n, int hpmn) {
        return eventCounters(n) & ~eventCounters(hpmn);
    }

    /** The guest's counters under HPMN: 0..HPMN-1 and PMCCNTR. */
    static long guestRange(int hpmn) {
        return eventCounters(hpmn) | CYCLE_COUNTER;
    }

    /** Every counter of a CPU with {@code n} event counters, PMCCNTR included: the host's when no guest is loaded. */
    static long everyCounter(int n) {
        return eventCounters(n) | CYCLE_COUNTER;
    }

    /** The lowest event counter below {@code n} set in {@code mask}, or {@code n} if none is. */
    static int lowestCounter(long mask, int n) {
        long m = mask & eventCounters(n);
        return m == 0 ? n : Long.numberOfTrailingZeros(m);
    }

    /** The lowest event counter at or above {@code from} (and below {@code n}) set in {@code mask}, or {@code n}. */
    static int lowestCounterFrom(long mask, int from, int n) {
        return lowestCounter(mask & ~eventCounters(from), n);
    }

    /** One past the highest event counter below {@code n} set in {@code mask}; 0 if none is. */
    static int countersUpToHighest(long mask, int n) {
        long m = mask & eventCounters(n);
        return 64 - Long.numberOfLeadingZeros(m);
    }

    /**
     * HPMN for a boot-time style reservation: N − reserved, and once the host keeps them all, 0 with
     * FEAT_HPMN0 and 1 without (the series' pmu-part.c, §3.1).
     */
    static int hpmnForReserved(int n, boolean hpmn0, int reserved) {
        if (reserved >= n) {
            return hpmn0 ? 0 : 1;
        }
        return n - reserved;
    }

    /**
     * The HPMN that gives a guest {@code granted} event counters on {@code cpu}, or -1 if none can:
     * HPMN = 0 needs FEAT_HPMN0, so without it the guest gets counter 0 as well (the series' rule,
     * §3.1), unless a pinned host event holds counter 0, which no HPMN may cross.
     */
    static int legalHpmn(CpuView cpu, int granted) {
        if (granted > 0 || cpu.hpmn0()) {
            return granted;
        }
        return (cpu.hostPinnedCounters() & 1L) != 0 ? -1 : 1;
    }

    /**
     * The host leaves the guest range, then HPMN hands it over. A reschedule only when a host event
     * sits on a counter the guest takes; otherwise the mask is just overwritten (§6.3, v7 13/20).
     *
     * @return whether host perf was rescheduled (the kernel's {@code host_squeezed})
     */
    static boolean takeGuestCounters(CpuView cpu, int hpmn, AllocationControl control) {
        long hostMask = hostRange(cpu.counters(), hpmn);
        boolean squeezed = (cpu.hostCountersInUse() & guestRange(hpmn)) != 0;
        if (squeezed) {
            control.reschedHostPerf(cpu.id(), hostMask);
        } else {
            control.setHostCounterMask(cpu.id(), hostMask);
        }
        control.setHpmn(cpu.id(), hpmn);
        return squeezed;
    }

    /**
     * Every counter back to the host at vcpu_put: a reschedule only if the load squeezed host events
     * out (they wait for a sched-in), else the mask is just overwritten (§6.3).
     */
    static void giveBackCounters(CpuView cpu, boolean squeezed, AllocationControl control) {
        long every = everyCounter(cpu.counters());
        if (squeezed) {
            control.reschedHostPerf(cpu.id(), every);
        } else {
            control.setHostCounterMask(cpu.id(), every);
        }
    }

    /**
     * Moves the split on a CPU with one reschedule whatever sits where (an administrator's write,
     * §6.4). When the range of a loaded direct guest shrinks, HPMN falls first so KVM saves the
     * counters the guest loses before host events are scheduled onto them (perf_pmu_resched_update's
     * callback sits between sched-out and sched-in); otherwise host events leave the counters first.
     */
    static void moveSplit(CpuView cpu, int hpmn, boolean directGuestLoaded, AllocationControl control) {
        long hostMask = hostRange(cpu.counters(), hpmn);
        if (directGuestLoaded && hpmn < cpu.hpmn()) {
            control.setHpmn(cpu.id(), hpmn);
            control.reschedHostPerf(cpu.id(), hostMask);
        } else {
            control.reschedHostPerf(cpu.id(), hostMask);
            control.setHpmn(cpu.id(), hpmn);
        }
    }

    static boolean eligible(VcpuView vcpu, boolean optIn) {
        return vcpu.pmuEnabled() && (!optIn || vcpu.partitionRequested());
    }

    /** Changes the access mode only when it differs: the core may charge each change. */
    static void setAccess(VcpuView vcpu, GuestAccessMode mode, AllocationControl control) {
        if (vcpu.accessMode() != mode) {
            control.setGuestAccess(vcpu, mode);
        }
    }

    /**
     * Records that a guest that has run will read a different PMCR_EL0.N: with direct counters
     * PMCR_EL0 is untrapped and shows HPMN (v1 caveat, §3.3).
     */
    static void noteVisibleN(VcpuView vcpu, int n, AllocationControl control) {
        if (vcpu.lastCpu() >= 0 && vcpu.guestVisibleN() != n) {
            control.noteGuestVisibleN(vcpu, n);
        }
    }

    /**
     * A partition needs a VHE host (§3.8). The policy refuses before it touches any CPU, with the
     * same exception and rule name as the core's own check, so no CPU is left half partitioned.
     */
    static void requireVhe(HostView host, String policyName, String because) {
        if (!host.vhe()) {
            throw new ControlRefusedException(
                    policyName,
                    ControlRule.VHE_ONLY,
                    because + " partitions the PMU,"
                            + " which needs a VHE host: the counters above HPMN belong to EL2, which an nVHE host kernel at"
                            + " EL1 cannot use without a hypercall per access (partitioning-and-policies.md §3.8)");
        }
    }

    /** Whether reserved_host_counters may take {@code reserved}: -1 (no partition) or 0..31. */
    static boolean validReserved(long reserved) {
        return reserved == NO_PARTITION || (reserved >= 0 && reserved <= MAX_EVENT_COUNTERS);
    }

    /** The check of every typed setting of reserved_host_counters, as its record's constructor makes it. */
    static void requireValidReserved(long reserved) {
        if (!validReserved(reserved)) {
            throw new IllegalArgumentException(RESERVED_HOST_COUNTERS + " must be -1 (no partition) or 0.."
                    + MAX_EVENT_COUNTERS + ", not " + reserved);
        }
    }
}
