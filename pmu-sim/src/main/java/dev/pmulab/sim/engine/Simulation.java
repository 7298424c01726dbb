package dev.pmulab.sim.engine;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.ControlRefusedException;
import dev.pmulab.hw.Pe;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.vpmu.VcpuPmuStats;
import dev.pmulab.sim.cost.CostModel;
import dev.pmulab.sim.guest.GuestPmuModel;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.plugin.PolicyFailure;
import dev.pmulab.sim.plugin.RunPolicies;
import dev.pmulab.sim.report.RunFailure;
import dev.pmulab.sim.scenario.AdminWrite;
import dev.pmulab.sim.scenario.PerfSession;
import dev.pmulab.sim.scenario.RunLength;
import dev.pmulab.sim.scenario.Scenario;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One run of a scenario under one set of policies: a discrete-event simulation of the host's CPUs
 * (each a {@link Pe}), the host perf core, KVM with its vPMU, the host scheduler, and the guests'
 * PMU drivers. Time is a long in ns; an event for a CPU runs when the CPU is free (its Pe's time),
 * so kernel work done on a CPU delays what comes after it there. Kernel work is priced by the cost
 * model through the cost sink and spent on the CPU at EL2 with kernel event rates, so counters see
 * it as the hardware would. A run is a pure function of (scenario, policies, seed).
 *
 * <p>This class sets the run up and owns the event loop: the queue, the dispatch of each
 * {@link EventKind} to the type whose job it is, and the end of the run. The jobs:
 * {@link Host} (the host's CPUs, perf and KVM, its tasks and perf sessions), {@link VmmSetup} (each
 * VM through KVM's uAPI, with its guest models from {@code GuestPmuModels}), {@link Scheduler},
 * {@link GuestExecution},
 * {@link HostKernelEvents} (PMU interrupt, perf's hrtimer, sysfs writes), {@link HostKernelWork}
 * and {@link CpuTimers}, {@link CpuTimeAccounts}, {@link RunMetrics}. Nothing is allocated per event.
 */
public final class Simulation {
    private final Scenario scenario;
    private final RunPolicies policies;
    private final String allocationName;
    private final CostModel costs;
    private final EngineCostSink sink;
    private final EventQueue queue = new EventQueue(4096);
    private final SplittableRandom random;
    private final List<SimThread> threads = new ArrayList<>();
    private final List<SimVcpu> vcpus = new ArrayList<>();
    private final CpuTimeAccounts accounts;

    // Set up by build().
    private SimCpu[] cpus;
    private CpuTimers timers;
    private GuestExecution guest;
    private Scheduler scheduler;
    private HostKernelEvents hostEvents;
    private RunMetrics runMetrics;

    private long endNs;
    private long events;
    private boolean ended;
    private String failure;
    private long workDoneNs = -1;
    private Host.HostPerfEvents hostPerf;

    /**
     * @param scenario the validated scenario
     * @param policies the run's policies (the core builds them with {@link RunPolicies#create})
     * @param allocationName the allocation policy's name, for refusals
     * @param seed the run's seed (the scenario's, unless the command line overrides it)
     */
    public Simulation(Scenario scenario, RunPolicies policies, String allocationName, long seed) {
        this.scenario = requireNonNull(scenario, "scenario is null");
        this.accounts = new CpuTimeAccounts(scenario.host().cputimeAccounting());
        this.policies = requireNonNull(policies, "policies is null");
        this.allocationName = requireNonNull(allocationName, "allocationName is null");
        this.costs = new CostModel(toPrices(scenario));
        this.sink = new EngineCostSink(costs, scenario.host().cpuCount());
        this.random = new SplittableRandom(seed);
    }

    private static Map<KernelCost, CostModel.Price> toPrices(Scenario s) {
        EnumMap<KernelCost, CostModel.Price> m = new EnumMap<>(KernelCost.class);
        s.costs().forEach((cost, o) -> m.put(cost, new CostModel.Price(o.baseNs(), o.perUnitNsOrDefault(cost))));
        return m;
    }

    /** Runs the scenario to its end and returns the metrics, or the failure that stopped it. */
    public RunResult run() {
        return run(SimulatedProgress.NONE);
    }

    /** {@link #run()}, telling {@code progress} how far the simulated time has got as it goes. */
    public RunResult run(SimulatedProgress progress) {
        requireNonNull(progress, "progress is null");
        try {
            build();
            loop(progress);
            progress.reached(endNs);
            if (failure != null) {
                return RunResult.failed(RunFailure.unblamed(failure), costs.used(), events, endNs);
            }
            // One VcpuPmuStats per vCPU (null without a PMU), taken once: each copies the vCPU's accounts.
            List<VcpuPmuStats> stats = new ArrayList<>();
            for (SimVcpu v : vcpus) {
                stats.add(v.pmu == null ? null : v.pmu.stats());
            }
            MetricValues metrics = runMetrics.values(stats, endNs, workDoneNs);
            return new RunResult(
                    metrics,
                    costs.used(),
                    Optional.empty(),
                    events,
                    endNs,
                    RunMetrics.guestTrapsByRegister(stats),
                    RunMetrics.guestPmuAccesses(stats),
                    runMetrics.breakdown(stats, endNs, workDoneNs));
        } catch (PolicyFailure e) {
            return RunResult.failed(e.failure(), costs.used(), events, endNs);
        } catch (ControlRefusedException e) {
            return RunResult.failed(RunResult.refused(e), costs.used(), events, endNs);
        } catch (RuntimeException e) {
            // A fault of the simulator itself, not of the scenario or a policy: this run fails with
            // what and where, and the other runs of the comparison still report.
            return RunResult.failed(
                    RunFailure.unblamed("internal error of the simulator after " + events + " events: " + e),
                    costs.used(),
                    events,
                    endNs);
        }
    }

    // =============================================================================================
    // Setting the run up

    /**
     * The host boots, its tasks and perf sessions start, the VMMs set their VMs up, the threads are
     * placed; the kernel work of each step is spent on its CPUs before the next.
     */
    private void build() {
        // Timers are only scheduled within the run, so its end must be known before anything runs.
        endNs = scenario.run().limitNs();
        Host host = Host.boot(scenario, policies, allocationName, sink);
        cpus = host.cpus;
        timers = new CpuTimers(host.perf, queue, cpus.length, endNs);
        HostKernelWork kernel = new HostKernelWork(sink, accounts);
        guest = new GuestExecution(cpus, vcpus, sink, accounts, kernel, timers, queue, scenario.run());
        scheduler = new Scheduler(
                host,
                threads,
                sink,
                accounts,
                kernel,
                guest,
                timers,
                queue,
                scenario.host().hz(),
                random);
        hostEvents = new HostKernelEvents(host, policies, kernel, guest, timers);
        guest.spendOwedKernelTimeEverywhere(0);
        host.addHostTasks(scenario.hostTasks(), threads);
        hostPerf = host.openPerfSessions(scenario, threads);
        guest.spendOwedKernelTimeEverywhere(0);
        new VmmSetup(host, policies, costs).startVms(scenario.vms(), threads, vcpus);
        scheduler.placeThreads();
        runMetrics = new RunMetrics(accounts, host, vcpus, hostPerf, scenario.hostPerf());
        schedulePeriodic();
    }

    /** The first of every periodic event, and the administrator's writes. */
    private void schedulePeriodic() {
        queue.schedule(endNs, EventKind.END, 0, 0);
        long tick = scheduler.tickNs();
        for (SimCpu c : cpus) {
            // Stagger CPU ticks deterministically, as real CPUs' timers are not aligned.
            queue.schedule(tick + (c.id * 7919L) % tick, EventKind.SCHED_TICK, c.id, 0);
            timers.reschedule(c);
        }
        for (SimVcpu v : vcpus) {
            long period = v.model.tickNs();
            v.tickGen++;
            queue.schedule(period + (v.id * 104_729L) % period, EventKind.GUEST_TICK, v.id, v.tickGen);
            long timer = v.model.timerPeriodNs();
            if (timer > 0) {
                // The guest's own timer runs from its start, on every vCPU at the same instants.
                v.timerGen++;
                queue.schedule(timer, EventKind.GUEST_TIMER, v.id, v.timerGen);
            }
            v.spec.placement().migrate().ifPresent(m -> queue.schedule(m.everyNs(), EventKind.MIGRATE, v.id, 0));
        }
        for (SimThread t : threads) {
            if (t.load > 0 && t.load < 1) {
                t.sleepStamp++;
                queue.schedule(Math.round(Scheduler.DUTY_PERIOD_NS * t.load), EventKind.SLEEP, t.id, t.sleepStamp);
            }
        }
        List<PerfSession> sessions = scenario.hostPerf();
        for (int i = 0; i < sessions.size(); i++) {
            PerfSession s = sessions.get(i);
            if (s.startNs() > 0) {
                queue.schedule(s.startNs(), EventKind.HOST_PERF_START, i, 0);
            }
            // A stop at the end of the run changes nothing the run reports.
            if (s.stopNs().isPresent() && s.stopNs().getAsLong() < endNs) {
                queue.schedule(s.stopNs().getAsLong(), EventKind.HOST_PERF_STOP, i, 0);
            }
        }
        List<AdminWrite> writes = scenario.adminWrites();
        for (int i = 0; i < writes.size(); i++) {
            queue.schedule(writes.get(i).atNs(), EventKind.ADMIN_WRITE, i, 0);
        }
    }

    // =============================================================================================
    // The event loop

    private void loop(SimulatedProgress progress) {
        while (!ended && queue.poll()) {
            events++;
            long t = queue.time();
            if (events % SimulatedProgress.EVERY_EVENTS == 0) {
                progress.reached(t);
            }
            int arg = queue.arg();
            long stamp = queue.stamp();
            switch (queue.kind()) {
                case EventKind.END -> end(t);
                case EventKind.SCHED_TICK -> scheduler.tick(cpus[arg], t);
                case EventKind.GUEST_TICK -> guestTick((SimVcpu) threads.get(arg), t, stamp);
                case EventKind.HW_OVERFLOW -> hostEvents.pmuOverflow(cpus[arg], t, stamp);
                case EventKind.PERF_MUX -> hostEvents.perfMuxTimer(cpus[arg], t, stamp);
                case EventKind.MIGRATE -> scheduler.migrate((SimVcpu) threads.get(arg), t);
                case EventKind.ADMIN_WRITE ->
                    hostEvents.adminWrite(scenario.adminWrites().get(arg), t);
                case EventKind.WORK_DONE -> workDone((SimVcpu) threads.get(arg), t, stamp);
                case EventKind.WAKE -> scheduler.wake(threads.get(arg), t, stamp);
                case EventKind.SLEEP -> scheduler.sleep(threads.get(arg), t, stamp);
                case EventKind.RETRY_ENTRY -> retryEntry((SimVcpu) threads.get(arg), t);
                case EventKind.GUEST_TIMER -> guestTimer((SimVcpu) threads.get(arg), t, stamp);
                case EventKind.HOST_PERF_START ->
                    hostEvents.perfSession(arg, true, t, scenario.hostPerf(), threads, hostPerf);
                case EventKind.HOST_PERF_STOP ->
                    hostEvents.perfSession(arg, false, t, scenario.hostPerf(), threads, hostPerf);
                default -> throw new IllegalStateException("unknown event kind " + queue.kind());
            }
        }
    }

    private void guestTick(SimVcpu v, long t, long stamp) {
        long crashedAt = guest.guestTick(v, t, stamp);
        if (crashedAt >= 0) {
            scheduler.exitCrashedGuest(cpus[v.cpu], v, crashedAt);
        }
    }

    private void guestTimer(SimVcpu v, long t, long stamp) {
        long crashedAt = guest.guestTimer(v, t, stamp);
        if (crashedAt >= 0) {
            scheduler.exitCrashedGuest(cpus[v.cpu], v, crashedAt);
        } else if (v.pendingTimer && v.sleeping && v.booted && v.model.timerWakesIdleVcpu()) {
            scheduler.kick(v, t); // its work is on an idle CPU's counters: an IPI wakes it
        }
    }

    private void workDone(SimVcpu v, long t, long stamp) {
        long doneAt = guest.workDone(v, t, stamp);
        if (doneAt >= 0) {
            workDoneNs = doneAt;
            end(doneAt);
        }
    }

    private void retryEntry(SimVcpu v, long t) {
        if (!scheduler.retryEntry(v, t)) {
            failure = "VM " + v.spec.name() + ": no CPU the VM may run on is supported by its PMU";
            ended = true;
        }
    }

    /** The run ends at {@code t} (its limit, or when the work was done): the accounts are closed there. */
    private void end(long t) {
        ended = true;
        for (SimCpu c : cpus) {
            long now = c.at(t);
            if (c.current instanceof SimVcpu v) {
                guest.endOfRun(c, v, now);
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

    /** Each vCPU's guest PMU model, in the order the VMMs set the vCPUs up (for engine tests). */
    List<GuestPmuModel> guestModels() {
        List<GuestPmuModel> models = new ArrayList<>();
        for (SimVcpu v : vcpus) {
            models.add(v.model);
        }
        return models;
    }

    /** Events processed so far (for benchmarks). */
    public long events() {
        return events;
    }
}
