package dev.pmulab.sim.engine;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.metrics.SampleCounts;
import dev.pmulab.sim.scenario.CputimeAccounting;

/**
 * Where the run's CPU time went: the one place the engine adds time to a bucket, with one method
 * per kind of time charged. The engine decides what a span of time was (guest user, a trapped
 * access, kernel work...) and how long it took; this type says which buckets that span counts in,
 * as the host's and the guest's kernels would (kernel/sched/cputime.c). The metrics
 * ({@link RunMetrics}) read the buckets at the end; docs/metrics.md defines them. Kernel work a CPU
 * owes but has not run yet is the cost sink's ({@link EngineCostSink}); it becomes host time here
 * when {@link HostKernelWork} spends it on the CPU.
 *
 * <p>Two views of the same time:
 * <ul>
 *   <li><b>The host's, per CPU</b> ({@link OfCpu}), what mpstat shows on a CPU that ran a vCPU:
 *       {@code guestNs} (%guest), {@code hostSysNs} (%sys) and {@code hostIrqNs} (%irq). KVM
 *       brackets guest execution with {@code guest_timing_enter_irqoff}/{@code
 *       guest_timing_exit_irqoff} (arch/arm64/kvm/arm.c, {@code kvm_arch_vcpu_ioctl_run}) and
 *       briefly enables interrupts between the exit and the second one, so the host interrupt that
 *       caused an exit (the PMU overflow interrupt with {@code kvm_pmu_perf_overflow}, the tick, the
 *       mux hrtimer, an IPI) is handled while PF_VCPU is still set: with tick accounting
 *       {@code account_system_time} gives it to {@code account_guest_time}, with IRQ time
 *       accounting it is CPUTIME_IRQ ({@link #hostInterrupt}). Handling the exit afterwards (sysreg
 *       trap emulation, perf reprogramming, the workload's own exits) and process-context work
 *       (vcpu_load/put, context switches) is system time.</li>
 *   <li><b>The guest's, per vCPU</b> ({@link OfThread}), what {@code time(1)} shows for the guest's
 *       workload: {@code guestUserNs}, {@code guestSysNs}, {@code guestIrqNs}. The guest's clock runs
 *       through every excursion to the host, so a trap, an exit or a host interrupt counts in the
 *       guest mode it interrupted. Guest kernel work is sys only in process context (perf's
 *       syscalls at boot, {@code perf_event_task_sched_out/in} at a context switch, the workload's
 *       own syscalls); in hardirq context (the PMU interrupt {@code armv8pmu_handle_irq}, the tick's
 *       {@code perf_event_task_tick}, the mux hrtimer) it is charged, with the guest's tick
 *       accounting ({@code account_process_tick(p, user_mode(regs))}), to the mode the interrupt
 *       interrupted, which in this engine is always the workload's user mode; with the guest's IRQ
 *       time accounting ({@code irqtime_account_process_tick}) it is irq time, in neither user nor
 *       sys ({@link GuestMode#interrupt}). Accounting every ns to the mode a tick at that instant
 *       would see is the expectation of the kernel's tick sampling, without its sampling noise.</li>
 * </ul>
 *
 * <p>Also kept: per thread, {@code waitingSince} and {@code waitNs}, runnable but not running, as the
 * kernel's sched_info keeps last_queued and run_delay ({@link #waiting}, {@link #stopsWaiting},
 * {@link #sleepsWhileWaiting}); per vCPU thread {@code loadedAt} and {@code runNs} (vcpu_load to
 * vcpu_put), {@code trapNs} (the host time of its trapped PMU accesses), {@code brbeAtLoad} and
 * {@code brbeBlackoutNs}; per run, one sample per vcpu_load and per vcpu_put of the PMU work it did
 * ({@link #vcpuLoadPmuWork}, {@link #vcpuPutPmuWork}), which is also host system time. Host task
 * time and idle time have no bucket: no metric reads them. A new kind of time is a new method here,
 * named for what was charged, plus the bucket it adds to; nothing allocates per charge.
 */
final class CpuTimeAccounts {
    /** Where a span of the guest's time goes in its kernel's accounting. */
    enum GuestMode {
        /** The workload at EL0, and what interrupted it under tick accounting. */
        USER,
        /** Guest kernel work in process context: the workload's syscalls, perf's syscalls, sched_out/in. */
        SYS,
        /** Guest hardirq work under IRQ time accounting (CPUTIME_IRQ). */
        IRQ;

        /**
         * Where a guest hardirq handler's time goes: the interrupted mode (the workload's user mode)
         * under tick accounting, irq time under IRQ time accounting.
         */
        static GuestMode interrupt(CputimeAccounting guestAccounting) {
            return guestAccounting == CputimeAccounting.IRQ_TIME ? IRQ : USER;
        }
    }

    /** One CPU's buckets; only {@link CpuTimeAccounts} reads or writes them. */
    static final class OfCpu {
        private boolean ranVcpu;
        private long guestNs;
        private long hostSysNs;
        private long hostIrqNs;
    }

    /** One thread's buckets; only {@link CpuTimeAccounts} reads or writes them. */
    static final class OfThread {
        private long waitingSince = -1;
        private long waitNs;
        private long loadedAt;
        private long runNs;
        private long trapNs;
        private long guestUserNs;
        private long guestSysNs;
        private long guestIrqNs;
        private long brbeAtLoad;
        private long brbeBlackoutNs;
    }

    private final CputimeAccounting hostAccounting;

    // vcpu_load and vcpu_put PMU work, one sample each, in growable arrays (no boxing per switch).
    /** The PMU work of every vcpu_load and vcpu_put, counted by value: memory flat in simulated time. */
    private final SampleCounts loadSamples = new SampleCounts();

    private final SampleCounts putSamples = new SampleCounts();

    /** @param hostAccounting how the host kernel accounts interrupt time ({@code host.cputime_accounting}) */
    CpuTimeAccounts(CputimeAccounting hostAccounting) {
        this.hostAccounting = requireNonNull(hostAccounting, "hostAccounting is null");
    }

    // ---------------------------------------------------------------------------------------------
    // CPU time

    /** {@code c} enters a vCPU: from now on its guest and host kernel time count. */
    void vcpuEntered(SimCpu c) {
        c.time.ranVcpu = true;
    }

    /**
     * Kernel work charged to {@code c} (through the cost sink) and spent there at EL2 in process
     * context (vcpu_load/put, a context switch, KVM_RUN's work before entry): host system time, on a
     * CPU that ran a vCPU.
     */
    void hostKernel(SimCpu c, long ns) {
        if (c.time.ranVcpu) {
            c.time.hostSysNs += ns;
        }
    }

    /**
     * A host interrupt handler (the PMU overflow interrupt, the tick's perf work, the mux hrtimer,
     * an IPI's reschedule) ran for {@code ns} on {@code c}. When it interrupted {@code inGuest}'s
     * guest (non-null), KVM took it before {@code guest_timing_exit_irqoff}: guest time under tick
     * accounting ({@code account_guest_time}, PF_VCPU set), irq time under IRQ time accounting;
     * and for the guest, whose clock ran on, time in the user mode it interrupted. Otherwise irq
     * time, or system time under tick accounting (the tick samples the kernel it interrupted).
     */
    void hostInterrupt(SimCpu c, SimVcpu inGuest, long ns) {
        if (inGuest != null) {
            inGuest.time.guestUserNs += ns;
        }
        if (!c.time.ranVcpu) {
            return;
        }
        if (hostAccounting == CputimeAccounting.IRQ_TIME) {
            c.time.hostIrqNs += ns;
        } else if (inGuest != null) {
            c.time.guestNs += ns;
        } else {
            c.time.hostSysNs += ns;
        }
    }

    /**
     * {@code v}'s guest ran its workload at EL0 for {@code span} on {@code c}, of which the
     * workload's own exits (HVC, MMIO...) took {@code exits}: host system time but for their world
     * switches, {@code exitsGuestTimed} (C24 each, inside the guest-timing bracket: guest time); and
     * the workload's syscalls took {@code syscalls} (guest sys; the engine runs them inside the span).
     */
    void guestUser(SimCpu c, SimVcpu v, long span, long exits, long exitsGuestTimed, long syscalls) {
        if (exitsGuestTimed < 0 || exitsGuestTimed > exits) {
            throw new IllegalArgumentException("guest-timed part " + exitsGuestTimed + " of " + exits + " ns of exits");
        }
        c.time.guestNs += span - exits + exitsGuestTimed;
        c.time.hostSysNs += exits - exitsGuestTimed;
        v.time.guestUserNs += span - syscalls;
        v.time.guestSysNs += syscalls;
    }

    /**
     * The guest lost {@code ns} refilling caches, TLBs and predictors after an exit (C23): guest
     * execution that retires nothing, in {@code mode} for the guest.
     */
    void exitRefill(SimCpu c, SimVcpu v, GuestMode mode, long ns) {
        c.time.guestNs += ns;
        addGuest(v, mode, ns);
    }

    /**
     * A PMU register access of {@code v}'s guest kernel, made in {@code mode}, trapped and KVM
     * handled it for {@code ns} on {@code c}: trap time of the vCPU and guest time in {@code mode}
     * for the guest, whose clock ran on; for the host, {@code guestTimedNs} of it (the world switch
     * and the interrupt-masked entry path of its exits, C24) is guest time, because it runs inside
     * {@code guest_timing_enter_irqoff}/{@code guest_timing_exit_irqoff} or defers the tick into
     * it, and the rest ({@code handle_exit}: the emulation and any perf call) is system time.
     */
    void trappedPmuAccess(SimCpu c, SimVcpu v, GuestMode mode, long ns, long guestTimedNs) {
        if (guestTimedNs < 0 || guestTimedNs > ns) {
            throw new IllegalArgumentException("guest-timed part " + guestTimedNs + " of a " + ns + " ns trap");
        }
        v.time.trapNs += ns;
        addGuest(v, mode, ns);
        c.time.guestNs += guestTimedNs;
        c.time.hostSysNs += ns - guestTimedNs;
    }

    /** A PMU register access of {@code v}'s guest kernel, in {@code mode}, ran natively for {@code ns} on {@code c}. */
    void guestPmuAccess(SimCpu c, SimVcpu v, GuestMode mode, long ns) {
        addGuest(v, mode, ns);
        c.time.guestNs += ns;
    }

    /** {@code v}'s guest kernel wrote the EOI of its PMU interrupt, {@code ns} on {@code c}, in its handler's {@code mode}. */
    void guestPmuEoi(SimCpu c, SimVcpu v, GuestMode mode, long ns) {
        addGuest(v, mode, ns);
        c.time.guestNs += ns;
    }

    private static void addGuest(SimVcpu v, GuestMode mode, long ns) {
        switch (mode) {
            case USER -> v.time.guestUserNs += ns;
            case SYS -> v.time.guestSysNs += ns;
            case IRQ -> v.time.guestIrqNs += ns;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Waiting (the kernel's sched_info: last_queued and run_delay)

    /** {@code t} is runnable from {@code now} (queued, preempted, or its vCPU entry failed). */
    void waiting(SimThread t, long now) {
        t.time.waitingSince = now;
    }

    /** {@code t} runs (or the run ends) at {@code now}: the time it waited since it was runnable. */
    void stopsWaiting(SimThread t, long now) {
        if (t.time.waitingSince >= 0) {
            t.time.waitNs += now - t.time.waitingSince;
            t.time.waitingSince = -1;
        }
    }

    /** {@code t} is picked to run at once on an idle CPU: no wait. */
    void runsAtOnce(SimThread t) {
        t.time.waitingSince = -1;
    }

    /**
     * {@code t}, not running, goes to sleep at {@code now}: the time it waited since it became
     * runnable. A thread that was not runnable (a crashed vCPU, off every run queue) waited for
     * nothing and adds nothing.
     */
    void sleepsWhileWaiting(SimThread t, long now) {
        stopsWaiting(t, now);
    }

    // ---------------------------------------------------------------------------------------------
    // A vCPU's loaded time

    /** vcpu_load of {@code v} on {@code c} completed at {@code now}. */
    void vcpuLoaded(SimCpu c, SimVcpu v, long now) {
        v.time.loadedAt = now;
        v.time.brbeAtLoad = c.pe.brbeBlackoutNs();
    }

    /** vcpu_put of {@code v} on {@code c} starts at {@code now} (or the run ends with it loaded). */
    void vcpuPut(SimCpu c, SimVcpu v, long now) {
        v.time.runNs += now - v.time.loadedAt;
        v.time.brbeBlackoutNs += c.pe.brbeBlackoutNs() - v.time.brbeAtLoad;
    }

    /** The PMU work of one vcpu_load, {@code ns} (also spent as host kernel time). */
    void vcpuLoadPmuWork(long ns) {
        loadSamples.add(ns);
    }

    /** The PMU work of one vcpu_put, {@code ns} (also spent as host kernel time). */
    void vcpuPutPmuWork(long ns) {
        putSamples.add(ns);
    }

    // ---------------------------------------------------------------------------------------------
    // Reading the buckets (for the metrics)

    boolean ranVcpu(SimCpu c) {
        return c.time.ranVcpu;
    }

    long guestNs(SimCpu c) {
        return c.time.guestNs;
    }

    /** mpstat's %sys + %irq (+ %soft, which the engine has none of) on {@code c}. */
    long hostKernelNs(SimCpu c) {
        return c.time.hostSysNs + c.time.hostIrqNs;
    }

    long hostSysNs(SimCpu c) {
        return c.time.hostSysNs;
    }

    long hostIrqNs(SimCpu c) {
        return c.time.hostIrqNs;
    }

    long waitNs(SimThread t) {
        return t.time.waitNs;
    }

    long runNs(SimVcpu v) {
        return v.time.runNs;
    }

    long trapNs(SimVcpu v) {
        return v.time.trapNs;
    }

    long guestUserNs(SimVcpu v) {
        return v.time.guestUserNs;
    }

    long guestSysNs(SimVcpu v) {
        return v.time.guestSysNs;
    }

    long guestIrqNs(SimVcpu v) {
        return v.time.guestIrqNs;
    }

    long brbeBlackoutNs(SimVcpu v) {
        return v.time.brbeBlackoutNs;
    }

    /** One sample per vcpu_load. */
    SampleCounts vcpuLoadPmuWork() {
        return loadSamples;
    }

    /** One sample per vcpu_put. */
    SampleCounts vcpuPutPmuWork() {
        return putSamples;
    }
}
