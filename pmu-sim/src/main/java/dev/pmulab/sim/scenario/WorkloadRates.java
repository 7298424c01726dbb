package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The event rates of what a CPU runs, per workload profile: a clock rate and instructions per
 * cycle, and per-instruction ratios for the other common events. These are model parameters, not
 * measurements (the references give no per-event rates for these workloads); a scenario overrides
 * any of them with {@code rates:}. Guest and host kernel code get a plain profile of their own.
 */
public final class WorkloadRates {
    /** The clock every profile assumes unless the scenario sets {@code cycles}: 3 GHz (Altra-class). */
    public static final long DEFAULT_CPU_HZ = 3_000_000_000L;

    /** Instructions per cycle and per-1000-instruction ratios of the common events. */
    private record Profile(
            double ipc,
            Map<Integer, Double> perKiloInstructions,
            double frontendStallShare,
            double backendStallShare) {}

    private static final Profile CPU_BOUND = profile(2.0, 0.10, 0.20, 400, 5, 200, 2, 0.5, 250, 1);
    private static final Profile COMPRESSION = profile(1.0, 0.15, 0.45, 450, 40, 150, 6, 3, 200, 8);
    private static final Profile SPEC_INT = profile(1.5, 0.15, 0.35, 420, 20, 180, 5, 2, 220, 5);
    private static final Profile STRESS_NG = profile(1.8, 0.10, 0.25, 380, 8, 190, 3, 1, 240, 2);
    private static final Profile EXIT_HEAVY = profile(0.8, 0.25, 0.40, 400, 30, 180, 8, 4, 200, 10);
    /** Kernel code (the guest's PMU driver, the host's exit handling): short, branchy, cold. */
    private static final Profile KERNEL = profile(0.7, 0.30, 0.40, 350, 25, 220, 10, 6, 180, 12);

    /**
     * VM exits per second per vCPU of an {@code exit-heavy} workload that gives no rate: hackbench
     * in a 64-vCPU guest, about 1 M exits/s VM-wide (perf-core-and-costs.md §6).
     */
    public static final long EXIT_HEAVY_EXITS_PER_SECOND = 16_000;
    /**
     * The largest share of a vCPU's time the engine books as exit handling (each exit at C2); the
     * rest is guest time, so a workload always makes progress. The scenario reader refuses more.
     */
    public static final double MAX_EXIT_SHARE = 0.9;
    /**
     * The largest share of a vCPU's time exits and the refill after them (C23) take together; the
     * rest is the workload's. The scenario reader refuses more.
     */
    public static final double MAX_EXIT_AND_REFILL_SHARE = 0.95;

    /** The events a profile derives from the clock (the rest follow the instruction rate). */
    static final Set<Integer> PER_CYCLE_EVENTS =
            Set.of(Events.CPU_CYCLES, Events.BUS_CYCLES, Events.STALL_FRONTEND, Events.STALL_BACKEND, Events.STALL);

    private WorkloadRates() {}

    /**
     * @param frontend share of cycles stalled in the front end (STALL_FRONTEND)
     * @param backend share of cycles stalled in the back end (STALL_BACKEND)
     * @param l1dAccess L1D accesses per 1000 instructions, and so on for the rest
     */
    private static Profile profile(
            double ipc,
            double frontend,
            double backend,
            double l1dAccess,
            double l1dRefill,
            double branches,
            double branchMisses,
            double l2dRefill,
            double l1iAccess,
            double tlbRefill) {
        Map<Integer, Double> m = new TreeMap<>();
        m.put(Events.L1D_CACHE, l1dAccess);
        m.put(Events.L1D_CACHE_REFILL, l1dRefill);
        m.put(Events.MEM_ACCESS, l1dAccess);
        m.put(Events.LD_RETIRED, l1dAccess * 0.65);
        m.put(Events.ST_RETIRED, l1dAccess * 0.35);
        m.put(Events.BR_RETIRED, branches);
        m.put(Events.BR_PRED, branches);
        m.put(Events.BR_MIS_PRED, branchMisses);
        m.put(Events.BR_MIS_PRED_RETIRED, branchMisses);
        m.put(Events.L1I_CACHE, l1iAccess);
        m.put(Events.L1I_CACHE_REFILL, l1iAccess * 0.01);
        m.put(Events.L2D_CACHE, l1dRefill + l1iAccess * 0.01);
        m.put(Events.L2D_CACHE_REFILL, l2dRefill);
        m.put(Events.L1D_TLB, l1dAccess);
        m.put(Events.L1D_TLB_REFILL, tlbRefill);
        m.put(Events.L1I_TLB_REFILL, tlbRefill * 0.2);
        m.put(Events.L2D_TLB, tlbRefill);
        m.put(Events.L2D_TLB_REFILL, tlbRefill * 0.1);
        m.put(Events.BUS_ACCESS, l2dRefill * 2);
        m.put(Events.LL_CACHE_RD, l2dRefill);
        m.put(Events.LL_CACHE_MISS_RD, l2dRefill * 0.3);
        m.put(Events.INST_SPEC, 1150.0);
        m.put(Events.EXC_TAKEN, 0.05);
        m.put(Events.EXC_RETURN, 0.05);
        return new Profile(ipc, m, frontend, backend);
    }

    private static Profile of(WorkloadProfile p) {
        return switch (p) {
            case CPU_BOUND -> CPU_BOUND;
            case COMPRESSION -> COMPRESSION;
            case SPEC_INT -> SPEC_INT;
            case STRESS_NG_CPU -> STRESS_NG;
            case EXIT_HEAVY -> EXIT_HEAVY;
            case IDLE -> CPU_BOUND; // never runs; rates only matter while running
        };
    }

    /** Events per second of {@code workload}, with the scenario's {@code rates:} applied over the profile. */
    public static Map<Integer, Long> perSecond(Workload workload) {
        requireNonNull(workload, "workload is null");
        return perSecond(of(workload.profile()), workload.ratesPerSecond());
    }

    private static Map<Integer, Long> perSecond(Profile p, Map<Integer, Long> overrides) {
        long cycles = overrides.getOrDefault(Events.CPU_CYCLES, DEFAULT_CPU_HZ);
        long instructions = overrides.getOrDefault(Events.INST_RETIRED, Math.round(cycles * p.ipc()));
        Map<Integer, Long> out = new TreeMap<>();
        out.put(Events.CPU_CYCLES, cycles);
        out.put(Events.INST_RETIRED, instructions);
        out.put(Events.BUS_CYCLES, cycles);
        out.put(Events.STALL_FRONTEND, Math.round(cycles * p.frontendStallShare()));
        out.put(Events.STALL_BACKEND, Math.round(cycles * p.backendStallShare()));
        out.put(Events.STALL, Math.round(cycles * (p.frontendStallShare() + p.backendStallShare())));
        for (Map.Entry<Integer, Double> e : p.perKiloInstructions().entrySet()) {
            out.put(e.getKey(), Math.round(instructions * e.getValue() / 1000.0));
        }
        out.putAll(overrides);
        return out;
    }

    /** VM exits per second per vCPU of {@code workload}: its own rate, or its profile's. */
    public static long exitsPerSecond(Workload workload) {
        if (workload.exitsPerSecond().isPresent()) {
            return workload.exitsPerSecond().getAsLong();
        }
        return workload.profile() == WorkloadProfile.EXIT_HEAVY ? EXIT_HEAVY_EXITS_PER_SECOND : 0;
    }

    /** The kernel profile (guest EL1 PMU code, host exit handling) at {@code cpuHz}. */
    public static Map<Integer, Long> kernelPerSecond(long cpuHz) {
        return perSecond(KERNEL, Map.of(Events.CPU_CYCLES, cpuHz));
    }

    /**
     * While a guest refills its caches after an exit (C23): cycles pass and nothing retires, so
     * only the cycle counts run, at {@code cpuHz}.
     */
    public static Map<Integer, Long> refillPerSecond(long cpuHz) {
        Map<Integer, Long> out = new TreeMap<>();
        out.put(Events.CPU_CYCLES, cpuHz);
        out.put(Events.BUS_CYCLES, cpuHz);
        return out;
    }

    /** Events per second to {@link EventRates} (Q32.32 per ns). */
    public static EventRates toRates(Map<Integer, Long> perSecond) {
        EventRates.Builder b = EventRates.builder();
        for (Map.Entry<Integer, Long> e : perSecond.entrySet()) {
            if (e.getValue() > 0) {
                b.perSecond(e.getKey(), e.getValue());
            }
        }
        return b.build();
    }
}
