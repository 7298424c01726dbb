package dev.pmulab.kvm;

/**
 * Where the perf core and KVM report kernel work they do, so the simulator can charge its time to
 * the CPU that did it. {@code units} is the count for the per-unit part of the cost (events on the
 * PMU for a resched, events moved for a rotation); 0 when the cost has no per-unit part.
 */
@FunctionalInterface
public interface CostSink {
    /** A sink that charges nothing, for callers that do not account time. */
    CostSink NONE = (cpu, cost, units) -> {};

    void charge(int cpu, KernelCost cost, int units);
}
