package dev.pmulab.api.testing;

import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.VcpuView;

/** A vCPU's virtual PMU as KVM sees it; the test plays the engine and moves it between CPUs. */
public final class FakeVcpu implements VcpuView {
    private final int vmId;
    private final int vcpuId;
    public boolean pmuEnabled = true;
    public boolean partitionRequested = true;
    public int guestCountersLimit;
    public int guestVisibleN;
    public long guestCountersInUse;
    public GuestAccessMode accessMode = GuestAccessMode.EMULATED;
    public int lastCpu = -1;

    public FakeVcpu(int vmId, int vcpuId, int guestCountersLimit) {
        this.vmId = vmId;
        this.vcpuId = vcpuId;
        this.guestCountersLimit = guestCountersLimit;
        this.guestVisibleN = guestCountersLimit;
    }

    /** The guest enables exactly these counters (its PMCNTENSET). */
    public FakeVcpu uses(int... counters) {
        long m = 0;
        for (int c : counters) {
            m |= 1L << c;
        }
        guestCountersInUse = m;
        return this;
    }

    /**
     * The engine ran the vCPU on {@code cpu}: it last ran there, and read PMCR_EL0.N as it is there
     * (HPMN with direct counters, its own nr_counters when emulated).
     */
    public FakeVcpu ranOn(FakeCpu cpu) {
        lastCpu = cpu.id();
        guestVisibleN = accessMode == GuestAccessMode.DIRECT ? cpu.hpmn() : guestCountersLimit;
        return this;
    }

    @Override
    public String vmName() {
        return "vm" + vmId;
    }

    @Override
    public int vmId() {
        return vmId;
    }

    @Override
    public int vcpuId() {
        return vcpuId;
    }

    @Override
    public boolean pmuEnabled() {
        return pmuEnabled;
    }

    @Override
    public int guestCountersLimit() {
        return guestCountersLimit;
    }

    @Override
    public int guestVisibleN() {
        return guestVisibleN;
    }

    @Override
    public long guestCountersInUse() {
        return guestCountersInUse;
    }

    @Override
    public GuestAccessMode accessMode() {
        return accessMode;
    }

    @Override
    public boolean partitionRequested() {
        return partitionRequested;
    }

    @Override
    public int lastCpu() {
        return lastCpu;
    }

    @Override
    public String toString() {
        return vmName() + "/" + vcpuId;
    }
}
