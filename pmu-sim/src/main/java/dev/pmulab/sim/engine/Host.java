package dev.pmulab.sim.engine;

import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.catalog.ArmPmu;
import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.kvm.HostPmuDescriptor;
import dev.pmulab.kvm.KvmHost;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.perf.PerfCoreConfig;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfEventAttr;
import dev.pmulab.kvm.perf.PerfEventOpenException;
import dev.pmulab.kvm.perf.PerfEventState;
import dev.pmulab.kvm.perf.PerfTask;
import dev.pmulab.kvm.vpmu.KvmPmu;
import dev.pmulab.sim.plugin.RunPolicies;
import dev.pmulab.sim.scenario.EventGroup;
import dev.pmulab.sim.scenario.EventRef;
import dev.pmulab.sim.scenario.HostSpec;
import dev.pmulab.sim.scenario.HostTask;
import dev.pmulab.sim.scenario.PerfScope;
import dev.pmulab.sim.scenario.PerfSession;
import dev.pmulab.sim.scenario.Sampling;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.WorkloadProfile;
import dev.pmulab.sim.scenario.WorkloadRates;
import java.util.ArrayList;
import java.util.List;

/**
 * The host as a scenario assembles it, before any VM: a {@link Pe} per CPU from the SoC catalog,
 * the perf core over them with one perf PMU per core type, KVM and its vPMU with the allocation
 * policy, booted ({@link #boot}); then the host's tasks ({@link #addHostTasks}) and its perf
 * sessions with the NMI watchdog ({@link #openPerfSessions}). What the boot and the opens charge
 * stays owed in the cost sink; the engine spends it on the CPUs.
 */
final class Host {
    /** Host tasks and vCPU threads get pids from here (perf's task-clock does not matter here). */
    static final int FIRST_PID = 1000;
    /**
     * The first dynamic perf PMU type: they start after the fixed ones (PERF_TYPE_MAX = 6), and
     * Linux hands them out in registration order.
     */
    private static final int FIRST_DYNAMIC_PMU_TYPE = 8;

    final SimCpu[] cpus;
    final PerfCore perf;
    final KvmHost kvm;
    final KvmPmu kvmPmu;

    private Host(SimCpu[] cpus, PerfCore perf, KvmHost kvm, KvmPmu kvmPmu) {
        this.cpus = cpus;
        this.perf = perf;
        this.kvm = kvm;
        this.kvmPmu = kvmPmu;
    }

    /**
     * Builds the host's CPUs, perf core, KVM and vPMU, and boots the vPMU (the allocation policy's
     * boot hook) at time 0, every CPU in the host kernel.
     */
    static Host boot(Scenario scenario, RunPolicies policies, String allocationName, EngineCostSink sink) {
        HostSpec config = scenario.host();
        SocModel soc = config.soc();
        int n = soc.cpuCount();
        SimCpu[] cpus = new SimCpu[n];
        List<Pe> pes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Pe pe = new Pe(soc.cpu(i).pmuConfig());
            pes.add(pe);
            cpus[i] = new SimCpu(i, pe);
        }
        List<HostPmuDescriptor> pmus = new ArrayList<>();
        List<ArmPmu> armPmus = soc.pmus();
        for (int i = 0; i < armPmus.size(); i++) {
            ArmPmu p = armPmus.get(i);
            pmus.add(new HostPmuDescriptor(
                    p.name(),
                    FIRST_DYNAMIC_PMU_TYPE + i,
                    p.supportedCpus(),
                    p.cpu().pmuConfig()));
        }
        boolean vhe = config.vhe();
        PerfCore perf = new PerfCore(
                new PerfCoreConfig(vhe, config.hz(), PerfCoreConfig.DEFAULT_MAX_SAMPLE_RATE), pmus, pes, sink);
        long muxMs = config.muxIntervalNs() / 1_000_000L; // whole ms, at least 1 (HostSpec)
        perf.pmus().forEach(p -> p.setPerfEventMuxIntervalMs(muxMs));
        KvmHost kvm = KvmHost.builder()
                .pmus(pmus)
                .nrCpus(n)
                .vhe(vhe)
                .fixedCountersOnlySupported(true)
                .build();
        AllocationPolicy allocation = policies.allocation().orElse(null);
        KvmPmu kvmPmu = new KvmPmu(kvm, perf, sink, allocation, allocationName, config.partitionFgt());
        // One table for every CPU (rates are immutable values): 64 copies of it cost cache, not accuracy.
        EventRates hostKernelRates = WorkloadRates.toRates(WorkloadRates.kernelPerSecond(WorkloadRates.DEFAULT_CPU_HZ));
        for (SimCpu c : cpus) {
            c.hostKernelRates = hostKernelRates;
            c.pe.switchContext(0, ExceptionLevel.EL2, EventRates.NONE);
        }
        kvmPmu.hostBoot(0);
        return new Host(cpus, perf, kvm, kvmPmu);
    }

    /**
     * Adds each host task's threads to {@code threads} (a thread's id is its index there): its
     * workload's {@code threads}, the i-th on the i-th of its CPUs, wrapping around (one per CPU
     * unless the scenario says otherwise).
     */
    void addHostTasks(List<HostTask> tasks, List<SimThread> threads) {
        for (HostTask t : tasks) {
            EventRates userRates = WorkloadRates.toRates(WorkloadRates.perSecond(t.workload()));
            for (int i = 0; i < t.workload().threads(); i++) {
                int cpu = t.cpus().get(i % t.cpus().size());
                SimThread th = new SimThread(
                        threads.size(),
                        t.name() + "/" + i,
                        new PerfTask(FIRST_PID + threads.size(), t.name()),
                        List.of(cpu));
                th.userRates = userRates;
                th.load = t.workload().profile() == WorkloadProfile.IDLE
                        ? 0
                        : t.workload().load();
                threads.add(th);
            }
        }
    }

    /**
     * Opens the NMI watchdog and the scenario's host perf sessions that start with the run, with
     * perf_event_open's semantics: a system-wide session per CPU, a task session on every thread of
     * its task. A session that starts later is opened by {@link #startSession}.
     */
    HostPerfEvents openPerfSessions(Scenario scenario, List<SimThread> threads) {
        List<PerfEvent> all = new ArrayList<>();
        List<PerfEvent> pinned = new ArrayList<>();
        List<List<PerfEvent>> bySession = new ArrayList<>();
        // hw_nmi_get_sample_period: the host's maximum CPU frequency (its cpufreq's; the default
        // clock here) times watchdog_thresh, whole seconds (HostSpec).
        long threshCycles = WorkloadRates.DEFAULT_CPU_HZ * (scenario.host().watchdogThreshNs() / 1_000_000_000L);
        if (scenario.host().nmiWatchdog()) {
            // The hard-lockup detector: one pinned CPU_CYCLES event per CPU (perf-core-and-costs.md §6).
            for (SimCpu c : cpus) {
                PerfEventAttr attr = PerfEventAttr.builder(perf.pmuOfCpu(c.id).type(), Events.CPU_CYCLES)
                        .pinned(true)
                        .samplePeriod(threshCycles)
                        .build();
                PerfEvent e = perf.open(c.id, attr, null, c.id, null, 0);
                all.add(e);
                pinned.add(e);
            }
        }
        HostPerfEvents events = new HostPerfEvents(all, pinned, bySession);
        for (PerfSession s : scenario.hostPerf()) {
            bySession.add(new ArrayList<>());
            if (s.startNs() == 0) {
                startSession(bySession.size() - 1, s, threads, events, t -> 0L);
            }
        }
        return events;
    }

    /** When an operation on a CPU happens: that CPU's time for a request made at the event's time. */
    @FunctionalInterface
    interface CpuClock {
        long at(int cpu);
    }

    /**
     * perf opens session {@code index} ({@code s}): per CPU for a system-wide session, on every
     * thread of its task otherwise; each open happens at {@code clock}'s time of the CPU it runs on
     * (a task's: the CPU the thread is on). What it charges stays owed.
     */
    void startSession(int index, PerfSession s, List<SimThread> threads, HostPerfEvents into, CpuClock clock) {
        List<PerfEvent> opened = into.bySession().get(index);
        if (s.scope() == PerfScope.SYSTEM) {
            List<Integer> on = s.cpus().isEmpty() ? allCpus() : s.cpus();
            for (int cpu : on) {
                openGroups(s, null, cpu, clock.at(cpu), opened);
            }
        } else {
            String task = s.task().orElseThrow();
            for (SimThread th : threads) {
                if (th.task.comm().equals(task)) {
                    openGroups(s, th.task, -1, clock.at(th.running ? th.cpu : 0), opened);
                }
            }
        }
        into.all().addAll(opened);
        if (s.pinned()) {
            into.pinned().addAll(opened);
        }
    }

    /**
     * perf closes session {@code index}'s events (its file descriptors), members before their
     * leaders, each at {@code clock}'s time of the CPU it is on. Their counts and times stay as they
     * were at the close, which is what perf reports.
     */
    void stopSession(int index, HostPerfEvents from, CpuClock clock) {
        List<PerfEvent> opened = from.bySession().get(index);
        for (int i = opened.size() - 1; i >= 0; i--) {
            PerfEvent e = opened.get(i);
            if (e.state() == PerfEventState.DEAD) {
                continue;
            }
            // The close runs where the event is counting (an IPI to that CPU), else on the caller's.
            int cpu = e.state() == PerfEventState.ACTIVE ? e.oncpu() : Math.max(0, e.cpu());
            perf.close(cpu, e, clock.at(cpu));
        }
    }

    private void openGroups(PerfSession s, PerfTask task, int cpu, long now, List<PerfEvent> opened) {
        int type = cpu >= 0 ? perf.pmuOfCpu(cpu).type() : perf.pmus().get(0).type();
        int caller = cpu >= 0 ? cpu : 0;
        for (EventGroup g : s.groups()) {
            PerfEvent leader = null;
            for (EventRef ref : g.events()) {
                PerfEventAttr.Builder b = PerfEventAttr.builder(type, ref.number())
                        .pinned(s.pinned() && leader == null)
                        .excludeGuest(s.excludeGuest())
                        .excludeHost(s.excludeHost());
                if (s.sampling().isPresent()) {
                    Sampling sm = s.sampling().get();
                    if (sm.mode() == Sampling.Mode.FREQUENCY) {
                        b.sampleFreq(sm.value());
                    } else {
                        b.samplePeriod(sm.value());
                    }
                }
                try {
                    PerfEvent e = perf.open(caller, b.build(), task, cpu, leader, now);
                    opened.add(e);
                    if (leader == null) {
                        leader = e;
                    }
                } catch (PerfEventOpenException e) {
                    throw new IllegalArgumentException(
                            "host perf session " + s.name() + ": cannot open " + ref.name() + " on "
                                    + (cpu >= 0 ? "CPU " + cpu : "task " + task) + ": " + e.getMessage(),
                            e);
                }
            }
        }
    }

    private List<Integer> allCpus() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < cpus.length; i++) {
            l.add(i);
        }
        return l;
    }

    /**
     * The host's perf events: every event the sessions and the watchdog opened (for the host
     * coverage metrics), the pinned ones among them (for host.pinned_errors), and each session's, in
     * the scenario's order (empty until it starts). The lists grow as sessions start.
     */
    record HostPerfEvents(List<PerfEvent> all, List<PerfEvent> pinned, List<List<PerfEvent>> bySession) {}
}
