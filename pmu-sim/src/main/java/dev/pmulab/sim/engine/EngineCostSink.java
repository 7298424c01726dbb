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

    EngineCostSink(CostModel costs, int cpus) {
        this.costs = costs;
        this.owedNs = new long[cpus];
    }

    @Override
    public void charge(int cpu, KernelCost cost, int units) {
        owedNs[cpu] += costs.charge(cost, units);
    }

    /** Returns and clears what {@code cpu} owes. */
    long take(int cpu) {
        long ns = owedNs[cpu];
        owedNs[cpu] = 0;
        return ns;
    }

    long owed(int cpu) {
        return owedNs[cpu];
    }

    CostModel costs() {
        return costs;
    }
}
