package com.example.optin;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationOrder;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.api.VcpuView;
import jakarta.inject.Inject;

/**
 * At vcpu_load of a VM that opted in, takes the lowest {@code guest_counters} event counters from
 * host perf on that CPU and gives them, with the cycle counter, to the guest directly; at vcpu_put
 * gives them back. A VM that did not opt in never costs the host a counter.
 */
public final class OptInReservationPolicy implements AllocationPolicy {
    /** PMCCNTR, bit 31 of a counter mask: a guest with direct counters owns it, so the host must not use it. */
    private static final long CYCLE_COUNTER = 1L << 31;

    private final int guestCounters;
    private boolean vhe;
    /** Each CPU's cntr_mask at boot: what the host gets back at vcpu_put. */
    private long[] bootMask = new long[0];
    /** CPUs whose counters a guest holds now. */
    private boolean[] reserved = new boolean[0];

    @Inject
    public OptInReservationPolicy(OptInReservationSettings settings) {
        this.guestCounters = settings.guestCounters();
    }

    @Override
    public void hostBoot(HostView host, AllocationControl control) {
        vhe = host.vhe();
        bootMask = new long[host.cpuCount()];
        reserved = new boolean[host.cpuCount()];
        for (int cpu = 0; cpu < host.cpuCount(); cpu++) {
            bootMask[cpu] = host.cpu(cpu).hostCounterMask();
        }
        if (vhe) {
            // Host events start at the top, so they rarely sit on the counters a guest will take.
            control.setHostAllocationOrder(AllocationOrder.TOP_DOWN);
        }
    }

    @Override
    public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        int share = shareFor(vcpu, cpu);
        if (share == 0) {
            // Not opted in, no PMU, an nVHE host, or no counter free of pinned host events.
            if (vcpu.accessMode() == GuestAccessMode.DIRECT) {
                control.setGuestAccess(vcpu, GuestAccessMode.EMULATED);
            }
            return;
        }
        long guestRange = ((1L << share) - 1) | CYCLE_COUNTER;
        long hostMask = bootMask[cpu.id()] & ~guestRange;
        if ((cpu.hostCountersInUse() & guestRange) != 0) {
            control.reschedHostPerf(cpu.id(), hostMask); // host events sit on the guest's counters
        } else {
            control.setHostCounterMask(cpu.id(), hostMask);
        }
        control.setHpmn(cpu.id(), share);
        control.setGuestAccess(vcpu, GuestAccessMode.DIRECT);
        reserved[cpu.id()] = true;
    }

    @Override
    public void vcpuPut(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        if (!reserved[cpu.id()]) {
            return;
        }
        control.setHpmn(cpu.id(), cpu.counters());
        control.setHostCounterMask(cpu.id(), bootMask[cpu.id()]);
        reserved[cpu.id()] = false;
    }

    /**
     * The event counters {@code vcpu} gets on {@code cpu}: 0 for none. Never HPMN = 0 (reserved
     * without FEAT_HPMN0, and no use to a guest anyway), and never a counter a pinned host event holds.
     */
    private int shareFor(VcpuView vcpu, CpuView cpu) {
        if (!vhe || !vcpu.pmuEnabled() || !vcpu.partitionRequested()) {
            return 0;
        }
        int wanted = Math.min(guestCounters, Math.min(cpu.counters(), vcpu.guestCountersLimit()));
        int share = wanted;
        while (share > 0 && (cpu.hostPinnedCounters() & ((1L << share) - 1)) != 0) {
            share--;
        }
        return share;
    }
}
