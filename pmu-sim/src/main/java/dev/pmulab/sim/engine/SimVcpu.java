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
    final Vcpu vcpu;
    /** Its vPMU, or null for a VM without the PMUv3 feature. */
    VcpuPmu pmu;

    GuestPmuModel model;
    /** Its guest kernel's events per ns at EL1. */
    EventRates kernelRates = EventRates.NONE;

    double instructionsPerNs;
    /** The share of its guest user time the host spends handling its workload's exits. */
    double exitShare;
    /**
     * The part of {@link #exitShare} the host counts as guest time: each exit's world switch and
     * interrupt-masked entry path (C24 of every C2), inside the guest-timing bracket.
     */
    double exitGuestTimedShare;
    /** The share of its guest user time lost refilling caches after those exits (C23 per exit). */
    double refillShare;
    /** Its events per ns while refilling after an exit: cycles only, nothing retires (C23). */
    EventRates refillRates = EventRates.NONE;
    /** Its workload's own guest kernel activity: syscalls, context switches, forks. */
    GuestKernelActivity activity = GuestKernelActivity.NONE;
    /** Where its guest's hardirq handlers' time goes: the interrupted user mode, or irq time. */
    CpuTimeAccounts.GuestMode irqMode = CpuTimeAccounts.GuestMode.USER;
    /** Task switches (context switches and forks) of its measured task per guest tick. */
    double switchesPerTick;
    /** Task switches due but not yet run (a fraction carried from tick to tick). */
    double switchCredit;
    /** Its workload is busy: its instructions count toward a run until work done, its vcpu_load samples count. */
    boolean measured;

    boolean booted;
    /** A guest timer tick came while it was off the CPU: taken at its next entry. */
    boolean pendingTick;
    /** Generation of its pending guest tick event. */
    long tickGen;
    /** Its guest's own timer ({@code GuestPmuModel.timerPeriodNs}) came while it was off the CPU: taken at its next entry. */
    boolean pendingTimer;
    /** Generation of its pending guest timer event. */
    long timerGen;
    /**
     * It runs only for guest kernel work while its workload sleeps or has no thread here (a boot, a
     * timer's IPI): after that work it goes back to idle (WFI), without entering user mode.
     */
    boolean kicked;
    /** Its workload's task woke: the guest schedules it in (perf_event_task_sched_in) at the next entry. */
    boolean taskWoke;
    /** Generation of its pending work-done event. */
    long workGen;
    /**
     * When its guest last entered user mode; -1 while it is not there (before its first entry, in
     * its kernel, in the host, or off the CPU).
     */
    long guestUserSince = -1;
    /** Instructions its workload retired while measured (for a run until work done). */
    double instructions;

    boolean crashed;
    /** Its entry failed on an unsupported CPU: the VMM re-places it ({@link Scheduler#retryEntry}). */
    boolean mustMove;

    SimVcpu(int id, String name, PerfTask task, List<Integer> allowed, VmSpec spec, Vcpu vcpu) {
        super(id, name, task, allowed);
        this.spec = spec;
        this.vcpu = vcpu;
    }
}
