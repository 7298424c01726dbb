package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.KernelCost;
import java.util.OptionalLong;

/**
 * A scenario's price for one kernel cost (perf-core-and-costs.md §8): the fixed part of one
 * occurrence and, for the costs that have one, the part per unit (per event on the PMU, per event
 * moved); an absent per-unit part keeps the default.
 */
public record CostOverride(long baseNs, OptionalLong perUnitNs) {
    public CostOverride {
        requireNonNull(perUnitNs, "perUnitNs is null");
        if (baseNs < 0 || perUnitNs.orElse(0) < 0) {
            throw new IllegalArgumentException("costs are not negative: " + baseNs + ", " + perUnitNs);
        }
    }

    public static CostOverride base(long baseNs) {
        return new CostOverride(baseNs, OptionalLong.empty());
    }

    /** The per-unit part: the override's, or {@code cost}'s default. */
    public long perUnitNsOrDefault(KernelCost cost) {
        return perUnitNs.orElse(cost.defaultPerUnitNs());
    }
}
