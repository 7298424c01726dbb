package dev.pmulab.sim.engine;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.KvmUapi;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.vpmu.KvmPmu;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.scenario.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The host scheduler: a FIFO run queue per CPU with EEVDF's base slice, the scheduler tick (with
 * perf's tick work), initial placement on the least loaded allowed CPU, the duty cycle of partly
 * loaded threads (sleep and wake), an idle vCPU woken for its guest kernel's work only
 * ({@link #kick}), periodic vCPU migration, and the VMM re-placing a vCPU whose entry failed. A context switch runs in the kernel's order ({@link #switchTo}): vcpu_put, perf
 * sched-out and sched-in, KVM_RUN's entry check, vcpu_load; then {@link GuestExecution} enters the
 * guest. A guest that crashed leaves its CPU for good here ({@link #exitCrashedGuest}).
 */
final class Scheduler {
    /** Duty cycle of a partly loaded thread: it runs load x this, then sleeps the rest. */
    static final long DUTY_PERIOD_NS = 10_000_000L;
    /** Time a VMM takes to re-place a vCPU whose entry failed on an unsupported CPU. */
    private static final long FAILED_ENTRY_RETRY_NS = 1_000_000L;

    private final SimCpu[] cpus;
    private final List<SimThread> threads;
    private final PerfCore perf;
    private final KvmPmu kvmPmu;
    private final EngineCostSink sink;
    private final CostModel costs;
    private final CpuTimeAccounts accounts;
    private final HostKernelWork kernel;
    private final GuestExecution guest;
    private final CpuTimers timers;
    private final EventQueue queue;
    private final SplittableRandom random;
    private final long tickNs;
    private final long sliceNs;

    /**
     * @param threads every thread of the run, a thread's id being its index (filled in before {@link #placeThreads})
     * @param hz the host's scheduler tick frequency (CONFIG_HZ)
     * @param random the run's seeded stream (migration targets)
     */
    Scheduler(
            Host host,
            List<SimThread> threads,
            EngineCostSink sink,
            CpuTimeAccounts accounts,
            HostKernelWork kernel,
            GuestExecution guest,
            CpuTimers timers,
            EventQueue queue,
            int hz,
            SplittableRandom random) {
        this.cpus = host.cpus;
        this.threads = threads;
        this.perf = host.perf;
        this.kvmPmu = host.kvmPmu;
        this.sink = sink;
        this.costs = sink.costs();
        this.accounts = accounts;
        this.kernel = kernel;
        this.guest = guest;
        this.timers = timers;
        this.queue = queue;
        this.random = random;
        this.tickNs = 1_000_000_000L / hz;
        this.sliceNs = baseSlice(cpus.length);
    }

    /** EEVDF base slice: 0.70 ms x (1 + ilog2(min(ncpus, 8))) (perf-core-and-costs.md §6). */
    private static long baseSlice(int cpus) {
        int n = Math.min(cpus, 8);
        int ilog2 = 31 - Integer.numberOfLeadingZeros(n);
        return 700_000L * (1 + ilog2);
    }

    /** The scheduler tick's period, 1/HZ. */
    long tickNs() {
        return tickNs;
    }

    /**
     * Places every thread on its least loaded allowed CPU (a thread with no load starts asleep) and
     * starts each CPU's first thread at time 0.
     */
    void placeThreads() {
        int[] load = new int[cpus.length];
        for (SimThread t : threads) {
            int best = -1;
            for (int c : t.allowed) {
                if (best < 0 || load[c] < load[best]) {
                    best = c;
                }
            }
            t.cpu = best;
            load[best]++;
            if (t.load <= 0) {
                t.sleeping = true;
                if (t instanceof SimVcpu v && v.model.bootsWithoutTask()) {
                    // The guest kernel puts per-CPU events (perf -a, the watchdog) on every CPU,
                    // this one too: the vCPU boots, then idles.
                    v.kicked = true;
                    enqueue(cpus[best], t, 0);
                }
                continue;
            }
            enqueue(cpus[best], t, 0);
        }
        for (SimCpu c : cpus) {
            if (c.current == null && !c.runqueue.isEmpty()) {
                switchTo(c, c.runqueue.poll(), 0);
            }
        }
    }

    private void enqueue(SimCpu c, SimThread t, long now) {
        t.cpu = c.id;
        accounts.waiting(t, now);
        c.runqueue.add(t);
    }

    /**
     * The scheduler tick on {@code c} ({@link EventKind#SCHED_TICK}): perf's tick work
     * (perf_event_task_tick: frequency re-tune, rotation), then preemption once the slice is used.
     */
    void tick(SimCpu c, long t) {
        long now = c.at(t);
        SimVcpu inGuest = guest.leaveGuestForKernel(c, now);
        perf.perfEventTaskTick(c.id, now);
        if (sink.owed(c.id) > 0) {
            kvmPmu.resyncEl0(c.id, now); // the re-tune reprogrammed counters under a loaded vCPU
        }
        // The tick's perf work runs in the timer's hardirq; a switch after it is process context.
        now = kernel.spendInterrupt(c, now, inGuest);
        SimThread cur = c.current;
        if (cur != null && !c.runqueue.isEmpty() && now - c.sliceStart >= sliceNs) {
            c.runqueue.add(cur);
            accounts.waiting(cur, now);
            switchTo(c, c.runqueue.poll(), now);
        } else if (cur == null && !c.runqueue.isEmpty()) {
            switchTo(c, c.runqueue.poll(), now);
        } else {
            guest.returnFromKernel(c, now);
        }
        queue.schedule(t + tickNs, EventKind.SCHED_TICK, c.id, 0);
        timers.reschedule(c);
    }

    // ---------------------------------------------------------------------------------------------
    // Context switches: vcpu_put, perf sched out/in, vcpu_load (the kernel's order)

    private void switchTo(SimCpu c, SimThread next, long t) {
        long now = c.at(t);
        SimThread prev = c.current;
        if (prev != null) {
            if (prev instanceof SimVcpu pv) {
                guest.closeGuestUser(pv, c, now);
                now = vcpuPut(c, pv, now);
            }
            prev.running = false;
        }
        c.pe.switchContext(now, ExceptionLevel.EL2, c.hostKernelRates);
        c.current = null;
        perf.contextSwitch(c.id, next == null ? null : next.task, now);
        now = kernel.spendOwed(c, now);
        if (next == null) {
            c.pe.switchContext(now, ExceptionLevel.EL2, EventRates.NONE); // WFI: nothing counts
            timers.reschedule(c);
            return;
        }
        accounts.stopsWaiting(next, now);
        c.current = next;
        next.running = true;
        c.sliceStart = now;
        if (next instanceof SimVcpu v) {
            long after = enterVcpu(c, v, now);
            if (after < 0) {
                switchTo(c, c.runqueue.poll(), now); // it cannot run: the CPU moves on
                return;
            }
            if (v.kicked) {
                // Its guest kernel's work done, the guest idles again (WFI) and KVM blocks the vCPU.
                v.kicked = false;
                switchTo(c, c.runqueue.poll(), after);
                return;
            }
        } else {
            c.pe.switchContext(now, ExceptionLevel.EL0, next.userRates);
        }
        timers.reschedule(c);
    }

    /**
     * KVM_RUN on {@code c}: its entry check, vcpu_load, then the guest. Returns the time after the
     * guest kernel's work on entry; -1, with the thread off the CPU, when the vCPU cannot run: its
     * guest crashed, or the entry failed (the VMM re-places it after {@link #FAILED_ENTRY_RETRY_NS}).
     */
    private long enterVcpu(SimCpu c, SimVcpu v, long now) {
        if (v.crashed) {
            c.current = null;
            v.running = false;
            return -1;
        }
        accounts.vcpuEntered(c);
        if (v.pmu != null) {
            // KVM_RUN's entry check: a CPU outside the VM's supported CPUs fails entry (SET_PMU).
            int ret = v.vcpu.run(c.id);
            if (ret == 0 && v.vcpu.kvmRun().exitReason() == KvmUapi.KVM_EXIT_FAIL_ENTRY) {
                v.running = false;
                c.current = null;
                accounts.waiting(v, now);
                v.mustMove = true;
                queue.schedule(now + FAILED_ENTRY_RETRY_NS, EventKind.RETRY_ENTRY, v.id, 0);
                return -1;
            }
        }
        now = vcpuLoad(c, v, now);
        accounts.vcpuLoaded(c, v, now);
        return guest.enterGuest(c, v, now);
    }

    private long vcpuLoad(SimCpu c, SimVcpu v, long now) {
        long base = costs.charge(KernelCost.VCPU_LOAD_BASE, 0);
        if (v.pmu != null) {
            v.pmu.vcpuLoad(c.id, now);
        }
        long pmuWork = sink.take(c.id);
        if (v.measured || v.pmu != null) {
            accounts.vcpuLoadPmuWork(pmuWork);
        }
        return kernel.spend(c, now, base + pmuWork);
    }

    private long vcpuPut(SimCpu c, SimVcpu v, long now) {
        c.pe.switchContext(now, ExceptionLevel.EL2, c.hostKernelRates);
        accounts.vcpuPut(c, v, now);
        long base = costs.charge(KernelCost.VCPU_PUT_BASE, 0);
        if (v.pmu != null) {
            v.pmu.vcpuPut(now);
        }
        long pmuWork = sink.take(c.id);
        accounts.vcpuPutPmuWork(pmuWork);
        return kernel.spend(c, now, base + pmuWork);
    }

    /** A crashed guest stops running: its vCPU thread leaves {@code c} for good at {@code now}. */
    void exitCrashedGuest(SimCpu c, SimVcpu v, long now) {
        c.current = null;
        v.running = false;
        now = vcpuPut(c, v, now);
        perf.contextSwitch(c.id, null, now);
        now = kernel.spendOwed(c, now);
        switchTo(c, c.runqueue.poll(), now);
    }

    // ---------------------------------------------------------------------------------------------
    // The VMM re-placing a vCPU, migration, sleeping and waking

    /**
     * The VMM re-places {@code v}, whose entry failed, on a CPU its VM supports
     * ({@link EventKind#RETRY_ENTRY}); it learnt from the failed entry.
     *
     * @return false when no CPU the VM may run on is supported by its PMU
     */
    boolean retryEntry(SimVcpu v, long t) {
        if (!v.mustMove) {
            return true;
        }
        v.mustMove = false;
        List<Integer> supported = new ArrayList<>();
        for (int c : v.allowed) {
            if (v.vcpu.vm().pmu().supportsCpu(c)) {
                supported.add(c);
            }
        }
        if (supported.isEmpty()) {
            return false;
        }
        v.allowed = List.copyOf(supported);
        SimCpu target = leastLoaded(v.allowed);
        enqueue(target, v, t);
        accounts.waiting(v, t - FAILED_ENTRY_RETRY_NS); // it has waited since its entry failed
        if (target.current == null) {
            target.runqueue.remove(v);
            switchTo(target, v, t);
        }
        return true;
    }

    private SimCpu leastLoaded(List<Integer> allowed) {
        SimCpu best = null;
        for (int id : allowed) {
            SimCpu c = cpus[id];
            int load = c.runqueue.size() + (c.current != null ? 1 : 0);
            int bestLoad = best == null ? Integer.MAX_VALUE : best.runqueue.size() + (best.current != null ? 1 : 0);
            if (load < bestLoad) {
                best = c;
            }
        }
        return best;
    }

    /**
     * {@code v}'s periodic migration ({@link EventKind#MIGRATE}) to another allowed CPU, of another
     * core type if the scenario asks, chosen with the run's seeded stream.
     */
    void migrate(SimVcpu v, long t) {
        Placement.Migration m = v.spec.placement().migrate().orElseThrow();
        queue.schedule(t + m.everyNs(), EventKind.MIGRATE, v.id, 0);
        if (v.crashed || v.sleeping || v.allowed.size() < 2) {
            return;
        }
        SimCpu from = cpus[v.cpu];
        String fromType = perf.pmuOfCpu(from.id).name();
        List<Integer> candidates = new ArrayList<>();
        for (int id : v.allowed) {
            if (id != from.id
                    && (!m.acrossCoreTypes() || !perf.pmuOfCpu(id).name().equals(fromType))) {
                candidates.add(id);
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        SimCpu to = cpus[candidates.get(random.nextInt(candidates.size()))];
        if (v.running) {
            long now = from.at(t);
            from.current = v; // switchTo puts it
            switchTo(from, from.runqueue.poll(), now);
            enqueue(to, v, now);
            if (to.current == null) {
                to.runqueue.remove(v);
                switchTo(to, v, now);
            }
        } else if (from.runqueue.remove(v)) {
            enqueue(to, v, t);
            if (to.current == null) {
                to.runqueue.remove(v);
                switchTo(to, v, t);
            }
        }
    }

    /**
     * Wakes an idle vCPU for its guest kernel's work only ({@link SimVcpu#kicked}): an IPI or a
     * timer reaching a CPU in WFI. It runs that work at its entry and idles again.
     */
    void kick(SimVcpu v, long t) {
        if (v.running || v.crashed || !v.sleeping || v.kicked) {
            return;
        }
        v.kicked = true;
        SimCpu c = cpus[v.cpu];
        if (c.current == null) {
            accounts.runsAtOnce(v);
            switchTo(c, v, t);
        } else {
            enqueue(c, v, t);
        }
    }

    /** A crashed guest's vCPU thread never runs again: its duty cycle ends (and its waiting with it). */
    private static boolean crashed(SimThread th) {
        return th instanceof SimVcpu v && v.crashed;
    }

    /** A partly loaded thread has run its share of the duty period and sleeps ({@link EventKind#SLEEP}). */
    void sleep(SimThread th, long t, long stamp) {
        if (stamp != th.sleepStamp || crashed(th)) {
            return;
        }
        th.sleepStamp++;
        queue.schedule(t + Math.round(DUTY_PERIOD_NS * (1 - th.load)), EventKind.WAKE, th.id, th.sleepStamp);
        th.sleeping = true;
        SimCpu c = cpus[th.cpu];
        if (th.running) {
            // A vCPU's workload sleeps inside its guest first: the guest switches to its idle task.
            long now = th instanceof SimVcpu v ? guest.taskSleeps(c, v, t) : t;
            switchTo(c, c.runqueue.poll(), now);
        } else {
            c.runqueue.remove(th);
            accounts.sleepsWhileWaiting(th, t);
        }
    }

    /** A partly loaded thread wakes ({@link EventKind#WAKE}): it runs at once on an idle CPU, else queues. */
    void wake(SimThread th, long t, long stamp) {
        if (stamp != th.sleepStamp || crashed(th)) {
            return;
        }
        th.sleepStamp++;
        queue.schedule(t + Math.round(DUTY_PERIOD_NS * th.load), EventKind.SLEEP, th.id, th.sleepStamp);
        th.sleeping = false;
        if (th instanceof SimVcpu v) {
            v.taskWoke = true; // the guest schedules its task in at the vCPU's next entry
            if (v.kicked) {
                v.kicked = false; // already queued for a kick: it now runs its task as well
                return;
            }
        }
        SimCpu c = cpus[th.cpu];
        if (c.current == null) {
            accounts.runsAtOnce(th);
            switchTo(c, th, t);
        } else {
            enqueue(c, th, t);
        }
    }
}
