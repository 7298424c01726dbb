package dev.pmulab.kvm.vpmu;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.CostSink;
import dev.pmulab.kvm.KernelCost;

/**
 * A {@link CostSink} that forwards every charge and, while a window is open on a CPU, adds up the
 * ns of what is charged to that CPU. KVM opens a window around each vcpu_load and vcpu_put to
 * sample the PMU work they do (the VCPU_LOAD_BASE/VCPU_PUT_BASE parts are the engine's and are not
 * charged here). Give the same meter to {@link dev.pmulab.kvm.perf.PerfCore} and {@link KvmPmu},
 * so that perf work KVM causes inside a load or put (a reschedule, an event re-created) is part of
 * the sample; a {@link KvmPmu} given any other sink wraps it in a meter of its own, which sees only
 * KVM's own charges.
 */
public final class PmuWorkMeter implements CostSink {
    /** The ns one charge costs; the engine passes its cost model's prices, overrides included. */
    @FunctionalInterface
    public interface Prices {
        /** The defaults of perf-core-and-costs.md §8 as {@link KernelCost} carries them. */
        Prices DEFAULTS = (cost, units) -> cost.defaultBaseNs() + cost.defaultPerUnitNs() * Math.max(0, units);

        long priceNs(KernelCost cost, int units);
    }

    private final CostSink delegate;
    private final Prices prices;
    private int windowCpu = -1;
    private long windowNs;

    public PmuWorkMeter(CostSink delegate, Prices prices) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.prices = requireNonNull(prices, "prices is null");
    }

    @Override
    public void charge(int cpu, KernelCost cost, int units) {
        delegate.charge(cpu, cost, units);
        if (cpu == windowCpu) {
            windowNs += prices.priceNs(cost, units);
        }
    }

    /** Starts adding up what is charged to {@code cpu}; one window at a time (the model is single-threaded). */
    void open(int cpu) {
        if (windowCpu >= 0) {
            throw new IllegalStateException("a work window is already open on CPU " + windowCpu);
        }
        windowCpu = cpu;
        windowNs = 0;
    }

    /** Ends the window and returns the ns charged to its CPU while it was open. */
    long close() {
        long ns = windowNs;
        windowCpu = -1;
        windowNs = 0;
        return ns;
    }

    /** Whether a window is open (a load or put in progress). */
    boolean windowOpen() {
        return windowCpu >= 0;
    }
}
