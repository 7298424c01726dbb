package dev.pmulab.sim.guest;

import dev.pmulab.kvm.perf.PerfSampleLimits;
import dev.pmulab.sim.scenario.EventGroup;
import dev.pmulab.sim.scenario.EventRef;
import dev.pmulab.sim.scenario.PerfScope;
import dev.pmulab.sim.scenario.PmuUsage;
import dev.pmulab.sim.scenario.Sampling;
import dev.pmulab.sim.scenario.VmSpec;
import dev.pmulab.sim.scenario.Workload;
import dev.pmulab.sim.scenario.WorkloadProfile;
import java.util.List;

/**
 * The guest PMU model of one vCPU, from its VM's {@code pmu_usage}. Every Linux perf user listed
 * (perf stat, perf record, BRBE sampling, the NMI watchdog) is one {@link LinuxGuestPerf}: the
 * guest kernel's perf core, which schedules them all on the vCPU's counters; BRBE wraps it. A
 * usage that drives the PMU itself (greedy, Windows' tick) stands alone (the scenario reader
 * refuses it in a list). Nothing listed but {@code idle} is an idle driver.
 */
public final class GuestPmuModels {
    private GuestPmuModels() {}

    /**
     * The model of vCPU {@code index} of {@code spec}.
     *
     * @param longCounters the VM's PMU has 64-bit event counters (PMUv3p5)
     * @param limits the guest kernel's sampling limits, one for all its vCPUs
     */
    public static GuestPmuModel forVcpu(VmSpec spec, int index, boolean longCounters, PerfSampleLimits limits) {
        int hz = spec.guestHz();
        LinuxGuestPerf.Builder perf = null;
        PmuUsage.Brbe brbe = null;
        for (PmuUsage u : spec.pmuUsage()) {
            if (u instanceof PmuUsage.WindowsCycleTick wt) {
                return new WindowsCycleTickGuest(wt.tickNs(), true);
            }
            if (u instanceof PmuUsage.Greedy g) {
                return new GreedyGuest(hz, g.reprogramEveryNs(), g.asksForMore());
            }
            if (!u.usesGuestPerf()) {
                continue;
            }
            if (perf == null) {
                perf = LinuxGuestPerf.builder(hz, limits)
                        .longCounters(longCounters)
                        .runsTask(runsTask(spec.workload(), index));
            }
            if (u instanceof PmuUsage.NmiWatchdog w) {
                perf.watchdog(LinuxGuestPerf.watchdogPeriod(w.threshNs() / 1_000_000_000L));
            } else if (u instanceof PmuUsage.PerfStat st) {
                perf.session(GuestPerfSession.stat(
                        groups(st.groups()), scope(st.scope()), st.intervalNs().orElse(0)));
            } else if (u instanceof PmuUsage.PerfRecord r) {
                perf.session(record(groups(r.groups()), scope(r.scope()), r.sampling()));
            } else if (u instanceof PmuUsage.Brbe b) {
                // perf record -j any -e EVENT -- cmd: the workload task's events.
                brbe = b;
                perf.session(record(
                        b.events().stream().map(e -> List.of(e.number())).toList(),
                        GuestPerfSession.Scope.TASK,
                        b.sampling()));
            } else {
                throw new IllegalStateException("a guest perf usage without a model: " + u.kind());
            }
        }
        if (perf == null) {
            return new IdleGuest(hz);
        }
        LinuxGuestPerf built = perf.build();
        return brbe != null ? new BrbeGuest(built, brbe.freezeOnOverflow()) : built;
    }

    /** Whether vCPU {@code index} runs a thread of {@code w}: one thread per vCPU, from the first. */
    public static boolean runsTask(Workload w, int index) {
        return w.profile() != WorkloadProfile.IDLE && w.load() > 0 && index < w.threads();
    }

    private static GuestPerfSession record(List<List<Integer>> groups, GuestPerfSession.Scope scope, Sampling s) {
        return s.mode() == Sampling.Mode.FREQUENCY
                ? GuestPerfSession.recordFrequency(groups, scope, s.value())
                : GuestPerfSession.recordPeriod(groups, scope, s.value());
    }

    private static List<List<Integer>> groups(List<EventGroup> groups) {
        return groups.stream()
                .map(g -> g.events().stream().map(EventRef::number).toList())
                .toList();
    }

    private static GuestPerfSession.Scope scope(PerfScope s) {
        return s == PerfScope.SYSTEM ? GuestPerfSession.Scope.SYSTEM : GuestPerfSession.Scope.TASK;
    }
}
