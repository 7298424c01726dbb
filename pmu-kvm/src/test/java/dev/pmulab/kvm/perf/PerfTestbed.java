package dev.pmulab.kvm.perf;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.HostPmuDescriptor;
import dev.pmulab.kvm.RecordingCostSink;
import java.util.ArrayList;
import java.util.List;

/**
 * A small host for the perf-core tests: homogeneous or big.LITTLE, every PE running host user
 * space (EL0) with fixed event rates so counts can be computed by hand.
 */
final class PerfTestbed {
    static final int A76_TYPE = 11;
    static final int A55_TYPE = 10;
    static final long MS = 1_000_000L;

    /** Events every PMU here implements. */
    static final int[] EVENTS = {
        Events.SW_INCR,
        Events.L1D_CACHE_REFILL,
        Events.L1D_CACHE,
        Events.INST_RETIRED,
        Events.BR_MIS_PRED,
        Events.CPU_CYCLES,
        Events.BR_RETIRED,
        Events.STALL_FRONTEND,
        Events.STALL_BACKEND
    };

    /**
     * The rates every PE runs at: INST_RETIRED 2/ns, L1D_CACHE 1/ns, BR_RETIRED 1 per 4 ns,
     * CPU_CYCLES 3/ns, L1D_CACHE_REFILL 1 per 8 ns, BR_MIS_PRED 1 per 16 ns.
     */
    static final EventRates RATES = EventRates.builder()
            .rate(Events.INST_RETIRED, 2, 1)
            .rate(Events.L1D_CACHE, 1, 1)
            .rate(Events.BR_RETIRED, 1, 4)
            .rate(Events.CPU_CYCLES, 3, 1)
            .rate(Events.L1D_CACHE_REFILL, 1, 8)
            .rate(Events.BR_MIS_PRED, 1, 16)
            .build();

    final RecordingCostSink costs = new RecordingCostSink();
    final List<Pe> pes;
    final PerfCore perf;

    private PerfTestbed(PerfCoreConfig config, List<HostPmuDescriptor> pmus, List<Pe> pes) {
        this.pes = pes;
        for (Pe pe : pes) {
            pe.switchContext(0, ExceptionLevel.EL0, RATES);
        }
        this.perf = new PerfCore(config, pmus, pes, costs);
    }

    static PmuConfig hardware(int n, PmuVersion version) {
        return PmuConfig.builder().n(n).version(version).events(EVENTS).build();
    }

    /** {@code cpus} CPUs of one core type (armv8_cortex_a76) with N counters of {@code version}. */
    static PerfTestbed homogeneous(int cpus, int n, PmuVersion version) {
        return homogeneous(PerfCoreConfig.defaults(), cpus, n, version);
    }

    static PerfTestbed homogeneous(PerfCoreConfig config, int cpus, int n, PmuVersion version) {
        PmuConfig hw = hardware(n, version);
        int[] all = new int[cpus];
        List<Pe> pes = new ArrayList<>();
        for (int i = 0; i < cpus; i++) {
            all[i] = i;
            pes.add(new Pe(hw));
        }
        return new PerfTestbed(config, List.of(new HostPmuDescriptor("armv8_cortex_a76", A76_TYPE, all, hw)), pes);
    }

    /** CPU 0 is a Cortex-A55 (armv8_cortex_a55, N=6, p1); CPU 1 is a Cortex-A76 (armv8_cortex_a76, N=6, p5). */
    static PerfTestbed bigLittle() {
        PmuConfig little = hardware(6, PmuVersion.P1);
        PmuConfig big = hardware(6, PmuVersion.P5);
        return new PerfTestbed(
                PerfCoreConfig.defaults(),
                List.of(
                        new HostPmuDescriptor("armv8_cortex_a55", A55_TYPE, new int[] {0}, little),
                        new HostPmuDescriptor("armv8_cortex_a76", A76_TYPE, new int[] {1}, big)),
                List.of(new Pe(little), new Pe(big)));
    }

    /** A counting, flexible event of the A76 PMU. */
    static PerfEventAttr.Builder a76(int event) {
        return PerfEventAttr.builder(A76_TYPE, event);
    }

    PerfEvent cpuEvent(int cpu, PerfEventAttr attr, long now) {
        return perf.open(cpu, attr, null, cpu, null, now);
    }

    PerfEvent sibling(PerfEvent leader, PerfEventAttr attr, long now) {
        int caller = leader.cpu() >= 0 ? leader.cpu() : 0;
        return perf.open(caller, attr, leader.task(), leader.cpu(), leader, now);
    }

    PerfEvent taskEvent(PerfTask task, PerfEventAttr attr, long now) {
        return perf.open(0, attr, task, -1, null, now);
    }

    /** The PE's architectural state now (not advanced). */
    Pe.Snapshot hw(int cpu) {
        return pes.get(cpu).snapshot();
    }
}
