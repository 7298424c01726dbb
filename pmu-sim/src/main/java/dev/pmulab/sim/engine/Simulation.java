package dev.pmulab.sim.engine;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.KvmUapi;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.vpmu.KvmPmu;
import dev.pmulab.kvm.vpmu.VcpuPmuStats;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.guest.GuestPmuPort;
import dev.pmulab.sim.guest.GuestUndefinedException;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.plugin.PolicyFailure;
import dev.pmulab.sim.plugin.RunPolicies;
import dev.pmulab.sim.scenario.AdminWrite;
import dev.pmulab.sim.scenario.RunLength;
import dev.pmulab.sim.scenario.Scenario;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One run of a scenario under one set of policies: a discrete-event simulation of the host's CPUs
 * (each a {@link Pe}), the host perf core, KVM with its vPMU, the host scheduler, and the guests'
 * PMU drivers. Time is a long in ns; an event for a CPU runs when the CPU is free (its Pe's time),
 * so kernel work done on a CPU delays what comes after it there. Kernel work is priced by the cost
 * model through the cost sink and spent on the CPU at EL2 with kernel event rates, so counters see
 * it as the hardware would. A run is a pure function of (scenario, policies, seed).
 */
public final class Simulation {
    // Event kinds (the queue's kind field).
    private static final int EV_SCHED_TICK = 1;
    private static final int EV_GUEST_TICK = 2;
    private static final int EV_HW_OVERFLOW = 3;
    private static final int EV_PERF_MUX = 4;
    private static final int EV_MIGRATE = 5;
    private static final int EV_ADMIN_WRITE = 6;
    private static final int EV_WORK_DONE = 7;
    private static final int EV_END = 8;
    private static final int EV_WAKE = 9;
    private static final int EV_SLEEP = 10;
    private static final int EV_RETRY_ENTRY = 11;

    /** Duty cycle of a partly loaded thread: it runs load x this, then sleeps the rest. */
    private static final long DUTY_PERIOD_NS = 10_000_000L;
    /** Time a VMM takes to re-place a vCPU whose entry failed on an unsupported CPU. */
    private static final long FAILED_ENTRY_RETRY_NS = 1_000_000L;

    private final Scenario scenario;
    private final RunPolicies policies;
    private final String allocationName;
    private final long seed;
    private final CostModel costs;
    private final EngineCostSink sink;
    private final EventQueue queue = new EventQueue(4096);
    private final SplittableRandom random;

    private SimCpu[] cpus;
    private PerfCore perf;
    private Host host;
    private KvmPmu kvmPmu;
    private final List<SimThread> threads = new ArrayList<>();
    private final List<SimVcpu> vcpus = new ArrayList<>();
    private final CpuTimeAccounts accounts = new CpuTimeAccounts();
    private RunMetrics runMetrics;
    private long endNs;
    private long events;
    private boolean ended;
    private String failure;
    private long workDoneNs = -1;

    // Measurements.
    // One port serves every guest kernel run, so a tick or an interrupt allocates nothing.
    /**
     * Guest kernel ports, reused so an access allocates nothing, one per nesting level: a trapped
     * access on one CPU can make KVM charge another CPU, whose owed kernel time is spent at once and
     * may run that CPU's guest PMU interrupt handler before the first access returns.
     */
    private Port[] guestPorts = {new Port()};
    private int guestPortDepth;

    /**
     * @param scenario the validated scenario
     * @param policies the run's policies (the core builds them with {@link RunPolicies#create})
     * @param allocationName the allocation policy's name, for refusals
     * @param seed the run's seed (the scenario's, unless the command line overrides it)
     */
    public Simulation(Scenario scenario, RunPolicies policies, String allocationName, long seed) {
        this.scenario = requireNonNull(scenario, "scenario is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.allocationName = requireNonNull(allocationName, "allocationName is null");
        this.seed = seed;
        this.costs = new CostModel(toPrices(scenario));
        this.sink = new EngineCostSink(costs, scenario.host().cpuCount());
        this.random = new SplittableRandom(seed);
    }

    private static Map<KernelCost, CostModel.Price> toPrices(Scenario s) {
        java.util.EnumMap<KernelCost, CostModel.Price> m = new java.util.EnumMap<>(KernelCost.class);
        s.costs().forEach((cost, o) -> m.put(cost, new CostModel.Price(o.baseNs(), o.perUnitNsOrDefault(cost))));
        return m;
    }

    // =============================================================================================
    // Building the host

    /** Runs the scenario to its end and returns the metrics, or the failure that stopped it. */
    public RunResult run() {
        try {
            build();
            loop();
            if (failure != null) {
                return RunResult.failed(failure, costs.used(), events, endNs);
            }
            // One VcpuPmuStats per vCPU (null without a PMU), taken once: each copies the vCPU's accounts.
            List<VcpuPmuStats> stats = new ArrayList<>();
            for (SimVcpu v : vcpus) {
                stats.add(v.pmu == null ? null : v.pmu.stats());
            }
            MetricValues metrics = runMetrics.values(stats, endNs, workDoneNs);
            return new RunResult(metrics, costs.used(), java.util.Optional.empty(), events, endNs,
                    RunMetrics.guestTrapsByRegister(stats), RunMetrics.guestPmuAccesses(stats));
        } catch (PolicyFailure | ControlRefusedException e) {
            return RunResult.failed(e.getMessage(), costs.used(), events, endNs);
        } catch (RuntimeException e) {
            // A fault of the simulator itself, not of the scenario or a policy: this run fails with
            // what and where, and the other runs of the comparison still report.
            return RunResult.failed("internal error of the simulator after " + events + " events: " + e,
                    costs.used(), events, endNs);
        }
    }

    private void build() {
        // Timers are only scheduled within the run, so its end must be known before anything runs.
        endNs = scenario.run().limitNs();
        host = Host.boot(scenario, policies, allocationName, sink);
        cpus = host.cpus;
        perf = host.perf;
        kvmPmu = host.kvmPmu;
        spendOwedKernelTimeEverywhere(0);
        host.addHostTasks(scenario.hostTasks(), threads);
        Host.HostPerfEvents hostPerf = host.openPerfSessions(scenario, threads);
        spendOwedKernelTimeEverywhere(0);
        new VmmSetup(host, policies, costs).startVms(scenario.vms(), threads, vcpus);
        placeThreads();
        runMetrics = new RunMetrics(accounts, host, vcpus, hostPerf);
        schedulePeriodic();
    }

    // =============================================================================================
    // Threads and the scheduler

    private long slice() {
        // EEVDF base slice: 0.70 ms x (1 + ilog2(min(ncpus, 8))) (perf-core-and-costs.md §6).
        int n = Math.min(cpus.length, 8);
        int ilog2 = 31 - Integer.numberOfLeadingZeros(n);
        return 700_000L * (1 + ilog2);
    }

    private void placeThreads() {
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

    private void schedulePeriodic() {
        queue.schedule(endNs, EV_END, 0, 0);
        long tick = 1_000_000_000L / scenario.host().hz();
        for (SimCpu c : cpus) {
            // Stagger CPU ticks deterministically, as real CPUs' timers are not aligned.
            queue.schedule(tick + (c.id * 7919L) % tick, EV_SCHED_TICK, c.id, 0);
            rescheduleCpuTimers(c);
        }
        for (SimVcpu v : vcpus) {
            long period = 1_000_000_000L / v.model.hz();
            v.tickGen++;
            queue.schedule(period + (v.id * 104_729L) % period, EV_GUEST_TICK, v.id, v.tickGen);
            v.spec.placement().migrate().ifPresent(m -> queue.schedule(m.everyNs(), EV_MIGRATE, v.id, 0));
        }
        for (SimThread t : threads) {
            if (t.load > 0 && t.load < 1) {
                t.sleepStamp++;
                queue.schedule(Math.round(DUTY_PERIOD_NS * t.load), EV_SLEEP, t.id, t.sleepStamp);
            }
        }
        List<AdminWrite> writes = scenario.adminWrites();
        for (int i = 0; i < writes.size(); i++) {
            queue.schedule(writes.get(i).atNs(), EV_ADMIN_WRITE, i, 0);
        }
    }

    // =============================================================================================
    // The event loop

    private void loop() {
        while (!ended && queue.poll()) {
            events++;
            long t = queue.time();
            int arg = queue.arg();
            long stamp = queue.stamp();
            switch (queue.kind()) {
                case EV_END -> end(t);
                case EV_SCHED_TICK -> schedTick(cpus[arg], t);
                case EV_GUEST_TICK -> guestTick((SimVcpu) threads.get(arg), t, stamp);
                case EV_HW_OVERFLOW -> hwOverflow(cpus[arg], t, stamp);
                case EV_PERF_MUX -> perfMux(cpus[arg], t, stamp);
                case EV_MIGRATE -> migrate((SimVcpu) threads.get(arg), t);
                case EV_ADMIN_WRITE -> adminWrite(scenario.adminWrites().get(arg), t);
                case EV_WORK_DONE -> workDone((SimVcpu) threads.get(arg), t, stamp);
                case EV_WAKE -> wake(threads.get(arg), t, stamp);
                case EV_SLEEP -> sleep(threads.get(arg), t, stamp);
                case EV_RETRY_ENTRY -> retryEntry((SimVcpu) threads.get(arg), t);
                default -> throw new IllegalStateException("unknown event kind " + queue.kind());
            }
        }
    }

    private void end(long t) {
        ended = true;
        for (SimCpu c : cpus) {
            long now = c.at(t);
            if (c.current instanceof SimVcpu v) {
                closeGuestUser(v, c, now);
                if (v.pmu != null) {
                    v.pmu.settleAtEndOfWindow(now);
                }
                accounts.vcpuPut(c, v, now);
            }
            for (SimThread th : c.runqueue) {
                accounts.stopsWaiting(th, now);
            }
        }
        if (scenario.run() instanceof RunLength.UntilWorkDone u && workDoneNs < 0) {
            failure = "VM " + u.vm() + " did not retire " + u.instructions() + " instructions within the time limit "
                    + t + " ns";
        }
        endNs = workDoneNs >= 0 ? workDoneNs : t;
    }

    private void schedTick(SimCpu c, long t) {
        long now = c.at(t);
        leaveGuestForKernel(c, now);
        perf.perfEventTaskTick(c.id, now);
        if (sink.owed(c.id) > 0) {
            kvmPmu.resyncEl0(c.id, now); // the re-tune reprogrammed counters under a loaded vCPU
        }
        now = spendKernel(c, now);
        SimThread cur = c.current;
        if (cur != null && !c.runqueue.isEmpty() && now - c.sliceStart >= slice()) {
            c.runqueue.add(cur);
            accounts.waiting(cur, now);
            switchTo(c, c.runqueue.poll(), now);
        } else if (cur == null && !c.runqueue.isEmpty()) {
            switchTo(c, c.runqueue.poll(), now);
        } else {
            returnFromKernel(c, now);
        }
        queue.schedule(t + 1_000_000_000L / scenario.host().hz(), EV_SCHED_TICK, c.id, 0);
        rescheduleCpuTimers(c);
    }

    // ---------------------------------------------------------------------------------------------
    // Context switches: vcpu_put, perf sched out/in, vcpu_load (the kernel's order)

    private void switchTo(SimCpu c, SimThread next, long t) {
        long now = c.at(t);
        SimThread prev = c.current;
        if (prev != null) {
            if (prev instanceof SimVcpu pv) {
                closeGuestUser(pv, c, now);
                now = vcpuPut(c, pv, now);
            }
            prev.running = false;
        }
        c.pe.switchContext(now, ExceptionLevel.EL2, c.hostKernelRates);
        c.current = null;
        perf.contextSwitch(c.id, next == null ? null : next.task, now);
        now = spendKernel(c, now);
        if (next == null) {
            c.pe.switchContext(now, ExceptionLevel.EL2, EventRates.NONE); // WFI: nothing counts
            rescheduleCpuTimers(c);
            return;
        }
        accounts.stopsWaiting(next, now);
        c.current = next;
        next.running = true;
        c.sliceStart = now;
        if (next instanceof SimVcpu v) {
            if (!enterVcpu(c, v, now)) {
                return;
            }
        } else {
            c.pe.switchContext(now, ExceptionLevel.EL0, next.userRates);
        }
        rescheduleCpuTimers(c);
    }

    /** KVM_RUN entry and vcpu_load; false when the entry failed and the CPU moved on. */
    private boolean enterVcpu(SimCpu c, SimVcpu v, long now) {
        if (v.crashed) {
            c.current = null;
            v.running = false;
            switchTo(c, c.runqueue.poll(), now);
            return false;
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
                queue.schedule(now + FAILED_ENTRY_RETRY_NS, EV_RETRY_ENTRY, v.id, 0);
                switchTo(c, c.runqueue.poll(), now);
                return false;
            }
        }
        now = vcpuLoad(c, v, now);
        accounts.vcpuLoaded(c, v, now);
        if (!v.booted) {
            v.booted = true;
            now = runGuestKernel(c, v, now, GuestWork.BOOT);
        }
        if (v.pendingTick) {
            v.pendingTick = false;
            now = runGuestKernel(c, v, now, GuestWork.TICK);
        }
        now = deliverGuestIrq(c, v, now);
        enterGuestUser(c, v, now);
        scheduleWorkDone(v, now);
        return true;
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
        return spendKernelNs(c, now, base + pmuWork);
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
        return spendKernelNs(c, now, base + pmuWork);
    }

    private void retryEntry(SimVcpu v, long t) {
        if (!v.mustMove || ended) {
            return;
        }
        v.mustMove = false;
        // The VMM re-places the thread on a CPU the VM supports (it learnt from the failed entry).
        List<Integer> supported = new ArrayList<>();
        for (int c : v.allowed) {
            if (v.vcpu.vm().pmu().supportsCpu(c)) {
                supported.add(c);
            }
        }
        if (supported.isEmpty()) {
            failure = "VM " + v.spec.name() + ": no CPU the VM may run on is supported by its PMU";
            ended = true;
            return;
        }
        v.allowed = List.copyOf(supported);
        SimCpu target = leastLoaded(v.allowed);
        enqueue(target, v, t);
        accounts.waiting(v, t - FAILED_ENTRY_RETRY_NS); // it has waited since its entry failed
        if (target.current == null) {
            target.runqueue.remove(v);
            switchTo(target, v, t);
        }
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

    // ---------------------------------------------------------------------------------------------
    // Guest execution and the guest's PMU driver

    private enum GuestWork { BOOT, TICK, IRQ }

    private void enterGuestUser(SimCpu c, SimVcpu v, long now) {
        c.pe.switchContext(now, ExceptionLevel.EL0, v.userRates);
        v.guestUserSince = now;
    }

    /** Ends the guest's user-mode span at {@code now}: ground truth, work done, and the exit share. */
    private void closeGuestUser(SimVcpu v, SimCpu c, long now) {
        if (v.guestUserSince < 0) {
            return;
        }
        long span = now - v.guestUserSince;
        v.guestUserSince = -1;
        if (span <= 0) {
            return;
        }
        // Exit-heavy workloads spend a share of the span in host exit handling (aggregated, C2 per exit).
        long exits = Math.round(span * v.exitShare);
        long guestSpan = span - exits;
        accounts.guestUser(c, guestSpan);
        accounts.exitHandling(c, exits);
        v.model.accountExecution(ExceptionLevel.EL0, v.userRates, guestSpan);
        if (v.measured) {
            v.instructions += guestSpan * v.instructionsPerNs;
        }
    }

    /** Leaves guest user mode for a kernel entry (tick, interrupt) on {@code c} at {@code now}. */
    private void leaveGuestForKernel(SimCpu c, long now) {
        if (c.current instanceof SimVcpu v) {
            closeGuestUser(v, c, now);
        }
        c.pe.switchContext(now, ExceptionLevel.EL2, c.hostKernelRates);
    }

    /** Returns to whatever the CPU was running after kernel work. */
    private void returnFromKernel(SimCpu c, long now) {
        SimThread cur = c.current;
        if (cur instanceof SimVcpu v) {
            now = deliverGuestIrq(c, v, now);
            enterGuestUser(c, v, now);
            scheduleWorkDone(v, now);
        } else if (cur != null) {
            c.pe.switchContext(now, ExceptionLevel.EL0, cur.userRates);
        } else {
            c.pe.switchContext(now, ExceptionLevel.EL2, EventRates.NONE);
        }
        rescheduleCpuTimers(c);
    }

    /** Spends what {@code c} owes as host kernel time at EL2, from {@code now}; returns the new time. */
    private long spendKernel(SimCpu c, long now) {
        return spendKernelNs(c, now, sink.take(c.id));
    }

    private long spendKernelNs(SimCpu c, long now, long ns) {
        if (ns <= 0) {
            return now;
        }
        c.pe.switchContext(now, ExceptionLevel.EL2, c.hostKernelRates);
        long end = now + ns;
        c.pe.advanceTo(end);
        accounts.hostKernel(c, ns);
        return end;
    }

    /** Kernel time owed by CPUs that an operation elsewhere touched (a reschedule of every CPU). */
    private void spendOwedKernelTimeEverywhere(long t) {
        for (SimCpu c : cpus) {
            if (sink.owed(c.id) > 0) {
                long now = c.at(t);
                boolean inGuest = c.current instanceof SimVcpu v && v.guestUserSince >= 0;
                if (inGuest) {
                    leaveGuestForKernel(c, now);
                }
                now = spendKernel(c, now);
                if (inGuest || c.current != null) {
                    returnFromKernel(c, now);
                } else {
                    c.pe.switchContext(now, ExceptionLevel.EL2, EventRates.NONE);
                }
            }
        }
    }

    /** Runs the guest kernel's PMU driver for one boot, tick or interrupt; returns the time after it. */
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
        Port port = guestPorts[guestPortDepth++].enter(c, v, now);
        try {
            switch (work) {
                case BOOT -> v.model.boot(port);
                case TICK -> v.model.tick(port);
                case IRQ -> v.model.pmuInterrupt(port);
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
        now = spendKernel(c, now);
        now = runGuestKernel(c, v, now, GuestWork.IRQ);
        long eoi = costs.charge(KernelCost.GUEST_PMU_EOI, 0);
        c.pe.switchContext(now, ExceptionLevel.EL1, v.kernelRates);
        c.pe.advanceTo(now + eoi);
        accounts.guestPmuEoi(c, v, eoi);
        v.model.accountExecution(ExceptionLevel.EL1, v.kernelRates, eoi);
        return now + eoi;
    }

    /** A guest PMU register access: the vPMU decides and charges; the time passes at EL1 or EL2. */
    private final class Port implements GuestPmuPort {
        private SimCpu c;
        private SimVcpu v;
        long t;

        /** Points the port at {@code v} on {@code c} from {@code t}, for one guest kernel run. */
        Port enter(SimCpu c, SimVcpu v, long t) {
            this.c = c;
            this.v = v;
            this.t = t;
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
                accounts.trappedPmuAccess(c, v, ns);
                c.pe.switchContext(Math.max(t, c.pe.now()), ExceptionLevel.EL2, c.hostKernelRates);
                long end = Math.max(t, c.pe.now()) + ns;
                c.pe.advanceTo(end);
                t = end;
            } else {
                long start = Math.max(t, c.pe.now());
                c.pe.advanceTo(start + ns);
                accounts.guestPmuAccess(c, v, ns);
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

    /** An access on one CPU may make the policy reschedule another CPU: spend that CPU's debt there. */
    private void spendOwedKernelTimeElsewhere(SimCpu self, long t) {
        int n = sink.owingCount();
        if (n == 0 || (n == 1 && sink.owingCpu(0) == self.id)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            SimCpu o = cpus[sink.owingCpu(i)];
            if (o != self && sink.owed(o.id) > 0) {
                long now = o.at(t);
                boolean inGuest = o.current instanceof SimVcpu;
                if (inGuest) {
                    leaveGuestForKernel(o, now);
                }
                now = spendKernel(o, now);
                returnFromKernel(o, now);
            }
        }
        if (sink.owed(self.id) == 0) {
            sink.clearOwing();
        }
    }

    private void guestTick(SimVcpu v, long t, long stamp) {
        if (stamp != v.tickGen || ended) {
            return;
        }
        long period = 1_000_000_000L / v.model.hz();
        v.tickGen++;
        queue.schedule(t + period, EV_GUEST_TICK, v.id, v.tickGen);
        if (!v.running) {
            v.pendingTick = true; // the timer interrupt is taken at the next entry
            return;
        }
        SimCpu c = cpus[v.cpu];
        long now = c.at(t);
        closeGuestUser(v, c, now);
        now = runGuestKernel(c, v, now, GuestWork.TICK);
        now = deliverGuestIrq(c, v, now);
        if (v.crashed) {
            crash(c, v, now);
            return;
        }
        enterGuestUser(c, v, now);
        scheduleWorkDone(v, now);
        rescheduleCpuTimers(c);
    }

    private void crash(SimCpu c, SimVcpu v, long now) {
        // A crashed guest stops running; its vCPU thread leaves the CPU for good.
        c.current = null;
        v.running = false;
        now = vcpuPut(c, v, now);
        perf.contextSwitch(c.id, null, now);
        now = spendKernel(c, now);
        switchTo(c, c.runqueue.poll(), now);
    }

    private void hwOverflow(SimCpu c, long t, long stamp) {
        if (stamp != c.overflowGen) {
            return;
        }
        c.scheduledOverflow = Long.MAX_VALUE;
        long now = c.at(t);
        leaveGuestForKernel(c, now);
        if (c.pe.irqAsserted()) {
            kvmPmu.handlePmuIrq(c.id, now);
            now = spendKernel(c, now);
            spendOwedKernelTimeElsewhere(c, now);
        }
        returnFromKernel(c, now);
    }

    private void perfMux(SimCpu c, long t, long stamp) {
        if (stamp != c.muxGen) {
            return;
        }
        c.scheduledMux = Long.MAX_VALUE;
        long now = c.at(t);
        leaveGuestForKernel(c, now);
        if (perf.perfMuxHrtimerHandler(c.id, now)) {
            kvmPmu.resyncEl0(c.id, now); // the rotation reprogrammed counters under a loaded vCPU
        }
        now = spendKernel(c, now);
        returnFromKernel(c, now);
    }

    /** Keeps one pending overflow event and one rotation event per CPU, at their computed times. */
    private void rescheduleCpuTimers(SimCpu c) {
        long ov = perf.nextOverflowTime(c.id);
        if (ov != c.scheduledOverflow) {
            c.overflowGen++;
            c.scheduledOverflow = ov;
            if (ov != Long.MAX_VALUE && ov <= endNs) {
                queue.schedule(Math.max(ov, c.pe.now()), EV_HW_OVERFLOW, c.id, c.overflowGen);
            }
        }
        long mux = perf.nextRotationTime(c.id);
        if (mux != c.scheduledMux) {
            c.muxGen++;
            c.scheduledMux = mux;
            if (mux != Long.MAX_VALUE && mux <= endNs) {
                queue.schedule(Math.max(mux, c.pe.now()), EV_PERF_MUX, c.id, c.muxGen);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Migration, sleeping, admin writes, work

    private void migrate(SimVcpu v, long t) {
        var m = v.spec.placement().migrate().orElseThrow();
        queue.schedule(t + m.everyNs(), EV_MIGRATE, v.id, 0);
        if (v.crashed || v.sleeping || v.allowed.size() < 2) {
            return;
        }
        SimCpu from = cpus[v.cpu];
        String fromType = perf.pmuOfCpu(from.id).name();
        List<Integer> candidates = new ArrayList<>();
        for (int id : v.allowed) {
            if (id != from.id && (!m.acrossCoreTypes() || !perf.pmuOfCpu(id).name().equals(fromType))) {
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

    private void sleep(SimThread th, long t, long stamp) {
        if (stamp != th.sleepStamp || ended) {
            return;
        }
        th.sleepStamp++;
        queue.schedule(t + Math.round(DUTY_PERIOD_NS * (1 - th.load)), EV_WAKE, th.id, th.sleepStamp);
        th.sleeping = true;
        SimCpu c = cpus[th.cpu];
        if (th.running) {
            switchTo(c, c.runqueue.poll(), t);
        } else {
            c.runqueue.remove(th);
            accounts.sleepsWhileWaiting(th, t);
        }
    }

    private void wake(SimThread th, long t, long stamp) {
        if (stamp != th.sleepStamp || ended) {
            return;
        }
        th.sleepStamp++;
        queue.schedule(t + Math.round(DUTY_PERIOD_NS * th.load), EV_SLEEP, th.id, th.sleepStamp);
        th.sleeping = false;
        SimCpu c = cpus[th.cpu];
        if (c.current == null) {
            accounts.runsAtOnce(th);
            switchTo(c, th, t);
        } else {
            enqueue(c, th, t);
        }
    }

    private void adminWrite(AdminWrite w, long t) {
        // The knob is a sysfs file only a policy that declares it creates; under any other policy the
        // administrator's write fails (the file does not exist) and changes nothing.
        boolean hasKnob = policies.selected(dev.pmulab.api.PolicyKind.ALLOCATION)
                .map(p -> p.policy().descriptor().behaviors().contains(
                        dev.pmulab.api.PolicyBehavior.RESERVED_HOST_COUNTERS_KNOB))
                .orElse(false);
        if (!hasKnob) {
            return;
        }
        kvmPmu.adminWrite(w.knob(), w.value(), t);
        spendOwedKernelTimeEverywhere(t);
    }

    private void scheduleWorkDone(SimVcpu v, long now) {
        if (!(scenario.run() instanceof RunLength.UntilWorkDone u) || !v.measured || !v.spec.name().equals(u.vm())
                || v.instructionsPerNs <= 0) {
            return;
        }
        double remaining = u.instructions() / (double) measuredThreads(u.vm()) - v.instructions;
        if (remaining <= 0) {
            return;
        }
        long dt = (long) Math.ceil(remaining / (v.instructionsPerNs * (1 - v.exitShare)));
        v.workGen++;
        queue.schedule(now + Math.max(1, dt), EV_WORK_DONE, v.id, v.workGen);
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

    private void workDone(SimVcpu v, long t, long stamp) {
        if (stamp != v.workGen || !v.running) {
            return;
        }
        SimCpu c = cpus[v.cpu];
        long now = c.at(t);
        closeGuestUser(v, c, now);
        RunLength.UntilWorkDone u = (RunLength.UntilWorkDone) scenario.run();
        double per = u.instructions() / (double) measuredThreads(u.vm());
        if (v.instructions + 1 < per) {
            enterGuestUser(c, v, now);
            scheduleWorkDone(v, now);
            return;
        }
        v.measured = true;
        enterGuestUser(c, v, now);
        boolean all = true;
        for (SimVcpu o : vcpus) {
            if (o.measured && o.spec.name().equals(u.vm()) && o.instructions + 1 < per) {
                all = false;
            }
        }
        if (all) {
            workDoneNs = now;
            end(now);
        }
    }

    /** Events processed so far (for benchmarks). */
    public long events() {
        return events;
    }
}
