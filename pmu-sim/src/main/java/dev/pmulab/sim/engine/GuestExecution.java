package dev.pmulab.sim.engine;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.engine.CpuTimeAccounts.GuestMode;
import dev.pmulab.sim.guest.GuestPmuPort;
import dev.pmulab.sim.guest.GuestUndefinedException;
import dev.pmulab.sim.scenario.RunLength;
import java.util.Arrays;
import java.util.List;

/**
 * What a CPU runs between the scheduler's decisions: a loaded vCPU's guest in user mode, its guest
 * kernel's PMU driver (boot, timer tick, its own timer, its task switched out and in, PMU
 * interrupt) whose register accesses go through the
 * vCPU's vPMU, and the host kernel entries that interrupt it. A host kernel entry leaves the
 * guest ({@link #leaveGuestForKernel}), spends the CPU's owed kernel work, and returns to what the
 * CPU was running ({@link #returnFromKernel}), delivering the guest's virtual PMU interrupt on the
 * way in as KVM does before it enters the guest. Since an access on one CPU can make KVM charge
 * another CPU (a reschedule), that CPU's debt is spent at once, which can run its own guest's
 * interrupt handler: guest kernel runs nest, one {@link Port} per level.
 *
 * <p>Also here, as the guest's workload retires instructions only in user mode: the work target of
 * a run until work done.
 */
final class GuestExecution {
    /**
     * What a guest kernel run is, and so in which context it runs: BOOT (perf's syscalls opening
     * and enabling its events), SWITCH, TASK_OUT and TASK_IN ({@code perf_event_task_sched_out/in}
     * in {@code schedule()}: a switch to another task and back, to the idle task at a sleep, back at
     * a wake) in process context; TICK, TIMER (the model's own timer: perf stat -I's read IPI, a
     * driver's timer) and IRQ (the PMU interrupt handler) in hardirq context.
     */
    private enum GuestWork {
        BOOT(false),
        TICK(true),
        TIMER(true),
        IRQ(true),
        SWITCH(false),
        TASK_OUT(false),
        TASK_IN(false);

        final boolean hardirq;

        GuestWork(boolean hardirq) {
            this.hardirq = hardirq;
        }
    }

    private final SimCpu[] cpus;
    private final List<SimVcpu> vcpus;
    private final EngineCostSink sink;
    private final CostModel costs;
    private final CpuTimeAccounts accounts;
    private final HostKernelWork kernel;
    private final CpuTimers timers;
    private final EventQueue queue;
    private final RunLength runLength;

    /**
     * Guest kernel ports, reused so an access allocates nothing, one per nesting level: a trapped
     * access on one CPU can make KVM charge another CPU, whose owed kernel time is spent at once and
     * may run that CPU's guest PMU interrupt handler before the first access returns.
     */
    private Port[] guestPorts = {new Port()};

    private int guestPortDepth;

    /**
     * @param vcpus every vCPU thread of the run, filled in by the VMM's setup (before the first entry)
     */
    GuestExecution(
            SimCpu[] cpus,
            List<SimVcpu> vcpus,
            EngineCostSink sink,
            CpuTimeAccounts accounts,
            HostKernelWork kernel,
            CpuTimers timers,
            EventQueue queue,
            RunLength runLength) {
        this.cpus = cpus;
        this.vcpus = vcpus;
        this.sink = sink;
        this.costs = sink.costs();
        this.accounts = accounts;
        this.kernel = kernel;
        this.timers = timers;
        this.queue = queue;
        this.runLength = runLength;
    }

    // ---------------------------------------------------------------------------------------------
    // Entering and leaving the guest

    /**
     * The guest's side of an entry, after vcpu_load: its boot the first time, a timer tick and a
     * timer of its own taken while it was off the CPU, its task scheduled in if it woke, its pending
     * PMU interrupt; then guest user mode, unless it was only woken for that kernel work
     * ({@link SimVcpu#kicked}).
     *
     * @return the time after the guest kernel's work
     */
    long enterGuest(SimCpu c, SimVcpu v, long now) {
        if (!v.booted) {
            v.booted = true;
            now = runGuestKernel(c, v, now, GuestWork.BOOT);
        }
        if (v.pendingTick) {
            v.pendingTick = false;
            now = runGuestKernel(c, v, now, GuestWork.TICK);
        }
        if (v.pendingTimer) {
            v.pendingTimer = false;
            now = runGuestKernel(c, v, now, GuestWork.TIMER);
        }
        if (v.taskWoke && !v.kicked) {
            v.taskWoke = false;
            now = runGuestKernel(c, v, now, GuestWork.TASK_IN);
        }
        if (!v.kicked) {
            // vcpu_load was a host excursion: the guest refills what the host evicted.
            now = exitRefill(c, v, now, GuestMode.USER, ExceptionLevel.EL0);
        }
        now = deliverGuestIrq(c, v, now);
        if (v.kicked) {
            return now; // it never reaches user mode: back to idle
        }
        enterGuestUser(c, v, now);
        scheduleWorkDone(v, now);
        return now;
    }

    /**
     * {@code v}'s workload task goes to sleep while the vCPU runs: the guest switches to its idle
     * task ({@code perf_event_task_sched_out} when the guest's perf follows the task), then idles.
     *
     * @return the time after the guest kernel's work
     */
    long taskSleeps(SimCpu c, SimVcpu v, long t) {
        long now = c.at(t);
        closeGuestUser(v, c, now);
        if (v.booted && v.model.followsTask()) {
            now = runGuestKernel(c, v, now, GuestWork.TASK_OUT);
        }
        return now;
    }

    /**
     * The indirect cost of an exit (C23, perf-core-and-costs.md §10): after a host excursion the
     * guest's next {@code ns} refill caches, TLBs and branch predictors. Cycles count, nothing
     * retires (the vCPU's refill rates have cycles only) and the workload makes no progress; the
     * time is guest time, in {@code mode} for the guest.
     */
    private long exitRefill(SimCpu c, SimVcpu v, long now, GuestMode mode, ExceptionLevel el) {
        long ns = costs.charge(KernelCost.EXIT_INDIRECT, 0);
        if (ns <= 0) {
            return now;
        }
        c.pe.switchContext(now, el, v.refillRates);
        c.pe.advanceTo(now + ns);
        accounts.exitRefill(c, v, mode, ns);
        v.model.accountExecution(el, v.refillRates, ns);
        return now + ns;
    }

    private void enterGuestUser(SimCpu c, SimVcpu v, long now) {
        c.pe.switchContext(now, ExceptionLevel.EL0, v.userRates);
        v.guestUserSince = now;
    }

    /** Ends the guest's user-mode span at {@code now}: ground truth, work done, and the exit share. */
    void closeGuestUser(SimVcpu v, SimCpu c, long now) {
        if (v.guestUserSince < 0) {
            return;
        }
        long span = now - v.guestUserSince;
        v.guestUserSince = -1;
        if (span <= 0) {
            return;
        }
        // Exit-heavy workloads spend a share of the span in host exit handling (aggregated, C2 per
        // exit) and, after each exit, refilling caches (C23 per exit, no progress); the workload's
        // syscalls are a share of its time the engine runs inside the span (guest sys time).
        long exits = Math.round(span * v.exitShare);
        long refill = Math.round(span * v.refillShare);
        long guestSpan = span - exits;
        accounts.guestUser(
                c,
                v,
                span,
                exits,
                Math.min(exits, Math.round(span * v.exitGuestTimedShare)),
                Math.round(span * v.activity.syscallShare()));
        v.model.accountExecution(ExceptionLevel.EL0, v.userRates, guestSpan);
        if (v.measured) {
            v.instructions += (guestSpan - refill) * v.instructionsPerNs;
        }
    }

    /**
     * Leaves what {@code c} runs for a host interrupt (tick, PMU interrupt, hrtimer, IPI) at
     * {@code now}.
     *
     * @return the vCPU whose guest the interrupt interrupted (it was in guest user mode), or null:
     *     the host's accounting of the handler depends on it ({@link CpuTimeAccounts#hostInterrupt})
     */
    SimVcpu leaveGuestForKernel(SimCpu c, long now) {
        SimVcpu inGuest = null;
        if (c.current instanceof SimVcpu v) {
            if (v.guestUserSince >= 0) {
                inGuest = v;
            }
            closeGuestUser(v, c, now);
        }
        c.pe.switchContext(now, ExceptionLevel.EL2, c.hostKernelRates);
        return inGuest;
    }

    /** Returns to whatever the CPU was running after kernel work. */
    void returnFromKernel(SimCpu c, long now) {
        SimThread cur = c.current;
        if (cur instanceof SimVcpu v) {
            now = exitRefill(c, v, now, GuestMode.USER, ExceptionLevel.EL0);
            now = deliverGuestIrq(c, v, now);
            enterGuestUser(c, v, now);
            scheduleWorkDone(v, now);
        } else if (cur != null) {
            c.pe.switchContext(now, ExceptionLevel.EL0, cur.userRates);
        } else {
            c.pe.switchContext(now, ExceptionLevel.EL2, EventRates.NONE);
        }
        timers.reschedule(c);
    }

    /** The run ends at {@code now} with {@code v} loaded on {@code c}: its accounts up to {@code now}. */
    void endOfRun(SimCpu c, SimVcpu v, long now) {
        closeGuestUser(v, c, now);
        if (v.pmu != null) {
            v.pmu.settleAtEndOfWindow(now);
        }
        accounts.vcpuPut(c, v, now);
    }

    // ---------------------------------------------------------------------------------------------
    // Owed host kernel time

    /** Kernel time owed by CPUs that an operation elsewhere touched (a reschedule of every CPU). */
    void spendOwedKernelTimeEverywhere(long t) {
        for (SimCpu c : cpus) {
            if (sink.owed(c.id) > 0) {
                long now = c.at(t);
                SimVcpu inGuest =
                        c.current instanceof SimVcpu v && v.guestUserSince >= 0 ? leaveGuestForKernel(c, now) : null;
                // The reschedule's IPI: a host interrupt on that CPU.
                now = kernel.spendInterrupt(c, now, inGuest);
                if (inGuest != null || c.current != null) {
                    returnFromKernel(c, now);
                } else {
                    c.pe.switchContext(now, ExceptionLevel.EL2, EventRates.NONE);
                }
            }
        }
    }

    /** An access on one CPU may make the policy reschedule another CPU: spend that CPU's debt there. */
    void spendOwedKernelTimeElsewhere(SimCpu self, long t) {
        int n = sink.owingCount();
        if (n == 0 || (n == 1 && sink.owingCpu(0) == self.id)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            SimCpu o = cpus[sink.owingCpu(i)];
            if (o != self && sink.owed(o.id) > 0) {
                long now = o.at(t);
                SimVcpu inGuest = o.current instanceof SimVcpu ? leaveGuestForKernel(o, now) : null;
                // The reschedule's IPI: a host interrupt on that CPU.
                now = kernel.spendInterrupt(o, now, inGuest);
                returnFromKernel(o, now);
            }
        }
        if (sink.owed(self.id) == 0) {
            sink.clearOwing();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The guest kernel

    /**
     * The guest's timer tick ({@link EventKind#GUEST_TICK}): taken at once if the vCPU runs, else at
     * its next entry.
     *
     * @return the time its guest crashed in this tick, or -1: a crashed vCPU's thread must then
     *     leave the CPU for good, which is the scheduler's to do
     */
    long guestTick(SimVcpu v, long t, long stamp) {
        if (stamp != v.tickGen) {
            return -1;
        }
        v.tickGen++;
        queue.schedule(t + v.model.tickNs(), EventKind.GUEST_TICK, v.id, v.tickGen);
        if (!v.running) {
            v.pendingTick = true; // the timer interrupt is taken at the next entry
            return -1;
        }
        return runNow(v, t, GuestWork.TICK);
    }

    /**
     * The guest's own timer ({@link EventKind#GUEST_TIMER}): taken at once if the vCPU runs, else at
     * its next entry, once however many intervals passed ({@link SimVcpu#pendingTimer}); an idle vCPU
     * whose timer has work there is woken for it by the scheduler.
     *
     * @return the time its guest crashed, or -1
     */
    long guestTimer(SimVcpu v, long t, long stamp) {
        if (stamp != v.timerGen) {
            return -1;
        }
        v.timerGen++;
        queue.schedule(t + v.model.timerPeriodNs(), EventKind.GUEST_TIMER, v.id, v.timerGen);
        if (!v.running) {
            v.pendingTimer = true;
            return -1;
        }
        return runNow(v, t, GuestWork.TIMER);
    }

    /** Interrupts {@code v}'s guest user mode for {@code work} and returns to it. */
    private long runNow(SimVcpu v, long t, GuestWork work) {
        SimCpu c = cpus[v.cpu];
        long now = c.at(t);
        closeGuestUser(v, c, now);
        now = runGuestKernel(c, v, now, work);
        now = deliverGuestIrq(c, v, now);
        if (work == GuestWork.TICK) {
            // On the way out of the tick, schedule() switches the measured task out and back in at
            // the workload's rate of context switches and forks: perf_event_task_sched_out/in in
            // process context.
            v.switchCredit += v.switchesPerTick;
            while (v.switchCredit >= 1 && !v.crashed) {
                v.switchCredit -= 1;
                now = runGuestKernel(c, v, now, GuestWork.SWITCH);
                now = deliverGuestIrq(c, v, now);
            }
        }
        if (v.crashed) {
            return now;
        }
        enterGuestUser(c, v, now);
        scheduleWorkDone(v, now);
        timers.reschedule(c);
        return -1;
    }

    /** Runs the guest kernel's PMU driver for one piece of {@code work}; returns the time after it. */
    private long runGuestKernel(SimCpu c, SimVcpu v, long now, GuestWork work) {
        if (v.pmu == null) {
            return now;
        }
        c.pe.switchContext(now, ExceptionLevel.EL1, v.kernelRates);
        if (guestPortDepth == guestPorts.length) {
            guestPorts = Arrays.copyOf(guestPorts, guestPorts.length * 2);
            for (int i = guestPortDepth; i < guestPorts.length; i++) {
                guestPorts[i] = new Port();
            }
        }
        Port port = guestPorts[guestPortDepth++].enter(c, v, now, work.hardirq ? v.irqMode : GuestMode.SYS);
        try {
            switch (work) {
                case BOOT -> v.model.boot(port);
                case TICK -> v.model.tick(port);
                case TIMER -> v.model.timer(port);
                case IRQ -> v.model.pmuInterrupt(port);
                case SWITCH -> v.model.taskSwitch(port);
                case TASK_OUT -> v.model.taskSchedOut(port);
                case TASK_IN -> v.model.taskSchedIn(port);
            }
        } catch (GuestUndefinedException e) {
            // An UNDEFINED the guest did not expect on a register its PMU has: Linux oopses.
            v.crashed = true;
        } finally {
            guestPortDepth--;
        }
        if (v.model.crashed()) {
            v.crashed = true;
        }
        return port.t;
    }

    /** Injects the virtual PMU interrupt while its level is high, and runs the guest's handler. */
    private long deliverGuestIrq(SimCpu c, SimVcpu v, long now) {
        if (v.pmu == null || !v.pmu.irqLevel() || v.crashed) {
            return now;
        }
        // KVM charged the injection (C18) when it raised the line; here the guest takes the interrupt.
        now = kernel.spendOwed(c, now);
        now = runGuestKernel(c, v, now, GuestWork.IRQ);
        long eoi = costs.charge(KernelCost.GUEST_PMU_EOI, 0);
        c.pe.switchContext(now, ExceptionLevel.EL1, v.kernelRates);
        c.pe.advanceTo(now + eoi);
        accounts.guestPmuEoi(c, v, v.irqMode, eoi);
        v.model.accountExecution(ExceptionLevel.EL1, v.kernelRates, eoi);
        return now + eoi;
    }

    /** A guest PMU register access: the vPMU decides and charges; the time passes at EL1 or EL2. */
    private final class Port implements GuestPmuPort {
        private SimCpu c;
        private SimVcpu v;
        private GuestMode mode;
        long t;

        /** Points the port at {@code v} on {@code c} from {@code t}, for one guest kernel run accounted in {@code mode}. */
        Port enter(SimCpu c, SimVcpu v, long t, GuestMode mode) {
            this.c = c;
            this.v = v;
            this.t = t;
            this.mode = mode;
            return this;
        }

        @Override
        public long read(PmuRegister reg, int index) {
            return access(reg, index, false, 0);
        }

        @Override
        public void write(PmuRegister reg, int index, long value) {
            access(reg, index, true, value);
        }

        private long access(PmuRegister reg, int index, boolean write, long value) {
            c.pe.switchContext(t, ExceptionLevel.EL1, v.kernelRates);
            long read = 0;
            if (write) {
                v.pmu.msr(reg, index, value, t);
            } else {
                read = v.pmu.mrs(reg, index, t);
            }
            long ns = sink.take(c.id);
            if (v.pmu.lastAccessTrapped()) {
                // Each exit's world switch and masked entry path are %guest for the host (C24).
                long guestTimed = 0;
                for (int i = v.pmu.lastAccessExits(); i > 0; i--) {
                    guestTimed += costs.charge(KernelCost.EXIT_GUEST_TIMED, 0);
                }
                accounts.trappedPmuAccess(c, v, mode, ns, Math.min(ns, guestTimed));
                c.pe.switchContext(Math.max(t, c.pe.now()), ExceptionLevel.EL2, c.hostKernelRates);
                long end = Math.max(t, c.pe.now()) + ns;
                c.pe.advanceTo(end);
                // The trap was an exit: the guest code after it refills (C23).
                t = exitRefill(c, v, end, mode, ExceptionLevel.EL1);
            } else {
                long start = Math.max(t, c.pe.now());
                c.pe.advanceTo(start + ns);
                accounts.guestPmuAccess(c, v, mode, ns);
                v.model.accountExecution(ExceptionLevel.EL1, v.kernelRates, ns);
                t = start + ns;
            }
            spendOwedKernelTimeElsewhere(c, t);
            if (v.pmu.lastAccessUndefined()) {
                throw new GuestUndefinedException(reg, index, write);
            }
            return read;
        }

        @Override
        public long now() {
            return t;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The work target of a run until work done

    /** Schedules the time {@code v} will have retired its share of the work, if it keeps running. */
    private void scheduleWorkDone(SimVcpu v, long now) {
        if (!(runLength instanceof RunLength.UntilWorkDone u)
                || !v.measured
                || !v.spec.name().equals(u.vm())
                || v.instructionsPerNs <= 0) {
            return;
        }
        double remaining = u.instructions() / (double) measuredThreads(u.vm()) - v.instructions;
        if (remaining <= 0) {
            return;
        }
        long dt = (long) Math.ceil(remaining / (v.instructionsPerNs * (1 - v.exitShare - v.refillShare)));
        v.workGen++;
        queue.schedule(now + Math.max(1, dt), EventKind.WORK_DONE, v.id, v.workGen);
    }

    private int measuredThreads(String vm) {
        int n = 0;
        for (SimVcpu v : vcpus) {
            if (v.measured && v.spec.name().equals(vm)) {
                n++;
            }
        }
        return Math.max(1, n);
    }

    /**
     * {@code v} may have retired its share ({@link EventKind#WORK_DONE}).
     *
     * @return the time every measured vCPU of the VM had retired its share, which ends the run; or -1
     */
    long workDone(SimVcpu v, long t, long stamp) {
        if (stamp != v.workGen || !v.running) {
            return -1;
        }
        SimCpu c = cpus[v.cpu];
        long now = c.at(t);
        closeGuestUser(v, c, now);
        RunLength.UntilWorkDone u = (RunLength.UntilWorkDone) runLength;
        double per = u.instructions() / (double) measuredThreads(u.vm());
        if (v.instructions + 1 < per) {
            enterGuestUser(c, v, now);
            scheduleWorkDone(v, now);
            return -1;
        }
        v.measured = true;
        enterGuestUser(c, v, now);
        boolean all = true;
        for (SimVcpu o : vcpus) {
            if (o.measured && o.spec.name().equals(u.vm()) && o.instructions + 1 < per) {
                all = false;
            }
        }
        return all ? now : -1;
    }
}
