package dev.pmulab.kvm.vpmu;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.api.TrappedAccessResolution;
import dev.pmulab.api.VcpuView;

/**
 * A tiny allocation policy for the tests: a boot-time split at {@code hpmn} on every CPU (the host
 * keeps HPMN..N-1, not PMCCNTR), every vCPU direct, and an access outside the share answered with
 * {@link #resolution} (RETRY grows HPMN to cover the counter first, as trap-and-grow does).
 */
final class TestPartitionPolicy implements AllocationPolicy {
    static final String NAME = "test-partition";

    private final int hpmn;
    TrappedAccessResolution resolution = TrappedAccessResolution.RETRY;
    int outsideShareCalls;
    int lastCounterAsked = -1;

    TestPartitionPolicy(int hpmn) {
        this.hpmn = hpmn;
    }

    static long hostRange(int n, int hpmn) {
        return ((1L << n) - 1) & ~((1L << hpmn) - 1);
    }

    @Override
    public void hostBoot(HostView host, AllocationControl control) {
        for (int i = 0; i < host.cpuCount(); i++) {
            CpuView cpu = host.cpu(i);
            control.reschedHostPerf(i, hostRange(cpu.counters(), hpmn));
            control.setHpmn(i, hpmn);
        }
    }

    @Override
    public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        if (vcpu.accessMode() != GuestAccessMode.DIRECT) {
            control.setGuestAccess(vcpu, GuestAccessMode.DIRECT);
        }
    }

    @Override
    public TrappedAccessResolution guestAccessOutsideShare(
            VcpuView vcpu, CpuView cpu, int counter, AllocationControl control) {
        outsideShareCalls++;
        lastCounterAsked = counter;
        if (resolution == TrappedAccessResolution.RETRY) {
            control.setHostCounterMask(cpu.id(), hostRange(cpu.counters(), counter + 1));
            control.setHpmn(cpu.id(), counter + 1);
        }
        return resolution;
    }
}
