package dev.pmulab.sim.engine;

import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.Vcpu;
import dev.pmulab.kvm.perf.PerfSampleLimits;
import dev.pmulab.sim.guest.BrbeGuest;
import dev.pmulab.sim.guest.GreedyGuest;
import dev.pmulab.sim.guest.GuestPmuModel;
import dev.pmulab.sim.guest.IdleGuest;
import dev.pmulab.sim.guest.LinuxGuestPerf;
import dev.pmulab.sim.guest.WindowsCycleTickGuest;
import dev.pmulab.sim.scenario.EventGroup;
import dev.pmulab.sim.scenario.EventRef;
import dev.pmulab.sim.scenario.PmuUsage;
import dev.pmulab.sim.scenario.Sampling;
import dev.pmulab.sim.scenario.VmSpec;
import java.util.List;

/**
 * Which guest PMU model ({@code dev.pmulab.sim.guest}) runs on a vCPU, from its VM's
 * {@code pmu_usage}: the first perf tool, Windows tick or greedy driver listed decides; a guest NMI
 * watchdog alone is Linux perf with no tool; nothing listed is an idle driver. A new guest model is
 * one more {@link PmuUsage} case here.
 */
final class GuestModels {
    /**
     * The samples per second the model takes for a guest perf record given a period instead of a
     * frequency: {@link LinuxGuestPerf} samples by frequency only.
     */
    private static final long PERF_RECORD_FREQ_FOR_A_PERIOD = 1000;
    /** The same for BRBE sampling. */
    private static final long BRBE_FREQ_FOR_A_PERIOD = 4000;

    private GuestModels() {}

    /**
     * The guest PMU model of one vCPU of {@code spec}.
     *
     * @param cpuHz the workload's cycles per second (the guest's cycle counter rate)
     * @param v the vCPU, whose VM's PMU version says whether event counters are 64-bit (PMUv3p5)
     * @param limits the guest kernel's perf sampling limits, shared by its vCPUs
     */
    static GuestPmuModel forVcpu(VmSpec spec, long cpuHz, Vcpu v, PerfSampleLimits limits) {
        int hz = spec.guestHz();
        boolean longCounters = spec.pmu() && v.vm().pmu().pmuVersion().atLeast(PmuVersion.P5);
        boolean watchdog = spec.pmuUsage().stream().anyMatch(u -> u instanceof PmuUsage.NmiWatchdog);
        for (PmuUsage u : spec.pmuUsage()) {
            if (u instanceof PmuUsage.PerfRecord r) {
                long freq = r.sampling().mode() == Sampling.Mode.FREQUENCY ? r.sampling().value()
                        : PERF_RECORD_FREQ_FOR_A_PERIOD;
                return new LinuxGuestPerf(LinuxGuestPerf.Mode.RECORD, eventsOf(r.groups()), freq, hz, longCounters,
                        watchdog, cpuHz, limits);
            }
            if (u instanceof PmuUsage.PerfStat st) {
                return new LinuxGuestPerf(LinuxGuestPerf.Mode.STAT, eventsOf(st.groups()), 0, hz, longCounters,
                        watchdog, cpuHz, limits);
            }
            if (u instanceof PmuUsage.WindowsCycleTick wt) {
                int windowsHz = (int) Math.max(1, 1_000_000_000L / wt.tickNs());
                return new WindowsCycleTickGuest(windowsHz, true);
            }
            if (u instanceof PmuUsage.Greedy) {
                return new GreedyGuest(hz);
            }
            if (u instanceof PmuUsage.Brbe b) {
                long freq = b.sampling().mode() == Sampling.Mode.FREQUENCY ? b.sampling().value() : BRBE_FREQ_FOR_A_PERIOD;
                return new BrbeGuest(new LinuxGuestPerf(LinuxGuestPerf.Mode.RECORD,
                        b.events().stream().mapToInt(EventRef::number).toArray(), freq, hz, longCounters, watchdog,
                        cpuHz, limits));
            }
        }
        if (watchdog) {
            return new LinuxGuestPerf(LinuxGuestPerf.Mode.NONE, new int[0], 0, hz, longCounters, true, cpuHz, limits);
        }
        return new IdleGuest(hz);
    }

    private static int[] eventsOf(List<EventGroup> groups) {
        return groups.stream().flatMap(g -> g.events().stream()).mapToInt(EventRef::number).toArray();
    }
}
