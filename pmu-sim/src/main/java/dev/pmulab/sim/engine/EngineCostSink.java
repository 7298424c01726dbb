package dev.pmulab.sim.engine;

import dev.pmulab.kvm.CostSink;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.cost.CostModel;

/**
 * The engine's cost sink: every charge is priced by the run's {@link CostModel} and owed by the
 * CPU it was charged to, until the engine turns the debt into simulated kernel time on that CPU
 * ({@link #take}). Counting C12 charges separately lets the engine report perf reschedules.
 */
final class EngineCostSink implements CostSink {
    private final CostModel costs;
    private final long[] owedNs;
    /** CPUs that may owe time, so the engine need not scan every CPU after every operation. */
    private final int[] owing;

    private final boolean[] listed;
    private int owingCount;

    EngineCostSink(CostModel costs, int cpus) {
        this.costs = costs;
        this.owedNs = new long[cpus];
        this.owing = new int[cpus];
        this.listed = new boolean[cpus];
    }

    @Override
    public void charge(int cpu, KernelCost cost, int units) {
        owedNs[cpu] += costs.charge(cost, units);
        if (!listed[cpu]) {
            listed[cpu] = true;
            owing[owingCount++] = cpu;
        }
    }

    /** Returns and clears what {@code cpu} owes. */
    long take(int cpu) {
        long ns = owedNs[cpu];
        owedNs[cpu] = 0;
        return ns;
    }

    /** How many CPUs are listed as possibly owing (see {@link #owingCpu}). */
    int owingCount() {
        return owingCount;
    }

    /** The i-th possibly owing CPU. */
    int owingCpu(int i) {
        return owing[i];
    }

    /** Forgets the list once every listed CPU's debt was taken. */
    void clearOwing() {
        for (int i = 0; i < owingCount; i++) {
            listed[owing[i]] = false;
        }
        owingCount = 0;
    }

    long owed(int cpu) {
        return owedNs[cpu];
    }

    CostModel costs() {
        return costs;
    }
}
