package dev.pmulab.sim.engine;

import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.vpmu.KvmPmu;
import dev.pmulab.sim.plugin.RunPolicies;
import dev.pmulab.sim.scenario.AdminWrite;
import dev.pmulab.sim.scenario.PerfSession;
import java.util.List;

/**
 * The host kernel work the event loop starts that is neither the scheduler's nor a guest's: the
 * PMU overflow interrupt (armv8pmu_handle_irq, and KVM's handler for a guest's counter), perf's
 * multiplexing hrtimer (perf_mux_hrtimer_handler), a host perf session starting or stopping, and
 * an administrator's sysfs write. Each
 * interrupts what the CPU runs, spends the work it caused there, and returns to it.
 */
final class HostKernelEvents {
    /** The partitioning series' sysfs file ({@link PolicyBehavior#RESERVED_HOST_COUNTERS_KNOB}). */
    private static final String RESERVED_HOST_COUNTERS = "reserved_host_counters";

    private final Host host;
    private final SimCpu[] cpus;
    private final PerfCore perf;
    private final KvmPmu kvmPmu;
    private final RunPolicies policies;
    private final HostKernelWork kernel;
    private final GuestExecution guest;
    private final CpuTimers timers;

    HostKernelEvents(Host host, RunPolicies policies, HostKernelWork kernel, GuestExecution guest, CpuTimers timers) {
        this.host = host;
        this.cpus = host.cpus;
        this.perf = host.perf;
        this.kvmPmu = host.kvmPmu;
        this.policies = policies;
        this.kernel = kernel;
        this.guest = guest;
        this.timers = timers;
    }

    /** A counter overflowed on {@code c} ({@link EventKind#HW_OVERFLOW}): the PMU interrupt, if still asserted. */
    void pmuOverflow(SimCpu c, long t, long stamp) {
        if (!timers.overflowDue(c.id, stamp)) {
            return;
        }
        long now = c.at(t);
        SimVcpu inGuest = guest.leaveGuestForKernel(c, now);
        if (c.pe.irqAsserted()) {
            // armv8pmu_handle_irq (and kvm_pmu_perf_overflow for a guest's counter) in hardirq
            // context, before guest_timing_exit_irqoff when it interrupted a guest.
            kvmPmu.handlePmuIrq(c.id, now);
            now = kernel.spendInterrupt(c, now, inGuest);
            guest.spendOwedKernelTimeElsewhere(c, now);
        }
        guest.returnFromKernel(c, now);
    }

    /** perf's multiplexing hrtimer expired on {@code c} ({@link EventKind#PERF_MUX}): rotate. */
    void perfMuxTimer(SimCpu c, long t, long stamp) {
        if (!timers.rotationDue(c.id, stamp)) {
            return;
        }
        long now = c.at(t);
        SimVcpu inGuest = guest.leaveGuestForKernel(c, now);
        if (perf.perfMuxHrtimerHandler(c.id, now)) {
            kvmPmu.resyncEl0(c.id, now); // the rotation reprogrammed counters under a loaded vCPU
        }
        now = kernel.spendInterrupt(c, now, inGuest); // perf_mux_hrtimer_handler, a hardirq
        guest.returnFromKernel(c, now);
    }

    /**
     * A host perf session starts or stops ({@link EventKind#HOST_PERF_START},
     * {@link EventKind#HOST_PERF_STOP}): perf_event_open or close of its events. Every CPU leaves
     * what it runs for the kernel at its time of {@code t} (an open installs with an IPI on the CPU
     * the event goes to), the events are opened or closed there, KVM re-applies its EL0 flips on a
     * CPU with a loaded vCPU, each CPU spends what it was charged and returns.
     */
    void perfSession(
            int index,
            boolean start,
            long t,
            List<PerfSession> sessions,
            List<SimThread> threads,
            Host.HostPerfEvents events) {
        SimVcpu[] inGuest = new SimVcpu[cpus.length];
        for (SimCpu c : cpus) {
            inGuest[c.id] = guest.leaveGuestForKernel(c, c.at(t));
        }
        Host.CpuClock clock = cpu -> cpus[cpu].at(t);
        if (start) {
            host.startSession(index, sessions.get(index), threads, events, clock);
        } else {
            host.stopSession(index, events, clock);
        }
        for (SimCpu c : cpus) {
            long now = c.at(t);
            kvmPmu.resyncEl0(c.id, now);
            // The open's or close's IPI: a host interrupt on that CPU.
            now = kernel.spendInterrupt(c, now, inGuest[c.id]);
            guest.returnFromKernel(c, now);
        }
    }

    /** The administrator writes a knob of the allocation policy ({@link EventKind#ADMIN_WRITE}). */
    void adminWrite(AdminWrite w, long t) {
        // The knob is a sysfs file only a policy that declares it creates, and the one file a policy
        // can declare is reserved_host_counters; a write to any other file, or under any other
        // policy, fails for the administrator (the file does not exist) and changes nothing.
        boolean hasKnob = policies.selected(PolicyKind.ALLOCATION)
                .map(p -> p.policy().descriptor().behaviors().contains(PolicyBehavior.RESERVED_HOST_COUNTERS_KNOB))
                .orElse(false);
        if (!hasKnob || !RESERVED_HOST_COUNTERS.equals(w.knob())) {
            return;
        }
        kvmPmu.adminWrite(w.knob(), w.value(), t);
        guest.spendOwedKernelTimeEverywhere(t);
    }
}
