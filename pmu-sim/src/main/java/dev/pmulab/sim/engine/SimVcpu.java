package dev.pmulab.sim.engine;

import dev.pmulab.hw.EventRates;
import dev.pmulab.kvm.Vcpu;
import dev.pmulab.kvm.perf.PerfTask;
import dev.pmulab.kvm.vpmu.VcpuPmu;
import dev.pmulab.sim.guest.GuestPmuModel;
import dev.pmulab.sim.scenario.VmSpec;
import java.util.List;

/** A vCPU thread: the thread, its KVM vCPU and vPMU, and its guest's PMU driver. */
final class SimVcpu extends SimThread {
    final VmSpec spec;
    final int vmId;
    final int index;
    final Vcpu vcpu;
    VcpuPmu pmu;
    GuestPmuModel model;
    EventRates kernelRates = EventRates.NONE;
    double instructionsPerNs;
    double exitShare;
    boolean measured;
    boolean booted;
    boolean pendingTick;
    long tickGen;
    long workGen;
    /**
     * When its guest last entered user mode; -1 once it left (to its kernel, the host, or off the
     * CPU). 0 before its first entry.
     */
    long guestUserSince;
    /** Instructions its workload retired while measured (for a run until work done). */
    double instructions;
    boolean crashed;
    boolean mustMove;

    SimVcpu(int id, String name, PerfTask task, List<Integer> allowed, VmSpec spec, int vmId, int index, Vcpu vcpu) {
        super(id, name, task, allowed);
        this.spec = spec;
        this.vmId = vmId;
        this.index = index;
        this.vcpu = vcpu;
    }
}
