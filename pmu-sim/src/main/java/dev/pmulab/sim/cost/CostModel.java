package dev.pmulab.sim.cost;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.KernelCost;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel-time prices of one run: the defaults of perf-core-and-costs.md §8, with the
 * scenario's overrides. It counts how often each cost was charged, so a report can list the
 * estimates a result leans on (an estimate charged zero times does not matter to it).
 * One instance per run; not thread-safe.
 */
public final class CostModel {
    /** A price: a fixed part per occurrence and a part per unit (events on the PMU, events moved). */
    public record Price(long baseNs, long perUnitNs) {
        public Price {
            if (baseNs < 0 || perUnitNs < 0) {
                throw new IllegalArgumentException("costs are not negative: " + baseNs + ", " + perUnitNs);
            }
        }
    }

    /** What the report says about one cost the result used. */
    public record Use(KernelCost cost, Price price, boolean overridden, long occurrences, long totalNs) {}

    private final EnumMap<KernelCost, Price> prices = new EnumMap<>(KernelCost.class);
    private final EnumMap<KernelCost, Boolean> overridden = new EnumMap<>(KernelCost.class);
    /** The prices by ordinal: every charge looks its price up, and an EnumMap costs a lookup and a record hop. */
    private final long[] baseNs = new long[KernelCost.values().length];

    private final long[] perUnitNs = new long[KernelCost.values().length];
    private final long[] occurrences = new long[KernelCost.values().length];
    private final long[] totalNs = new long[KernelCost.values().length];

    public CostModel(Map<KernelCost, Price> overrides) {
        requireNonNull(overrides, "overrides is null");
        for (KernelCost c : KernelCost.values()) {
            Price p = overrides.get(c);
            Price price = p != null ? p : new Price(c.defaultBaseNs(), c.defaultPerUnitNs());
            prices.put(c, price);
            overridden.put(c, p != null);
            baseNs[c.ordinal()] = price.baseNs();
            perUnitNs[c.ordinal()] = price.perUnitNs();
        }
    }

    public static CostModel defaults() {
        return new CostModel(Map.of());
    }

    /** The price of one occurrence with {@code units} units, without charging it. */
    public long priceNs(KernelCost cost, int units) {
        int i = cost.ordinal();
        return baseNs[i] + perUnitNs[i] * Math.max(0, units);
    }

    /** Charges one occurrence and returns its time in ns. */
    public long charge(KernelCost cost, int units) {
        long ns = priceNs(cost, units);
        occurrences[cost.ordinal()]++;
        totalNs[cost.ordinal()] += ns;
        return ns;
    }

    public Price price(KernelCost cost) {
        return prices.get(cost);
    }

    public long occurrences(KernelCost cost) {
        return occurrences[cost.ordinal()];
    }

    /** Every cost charged at least once, in table order. */
    public List<Use> used() {
        List<Use> out = new ArrayList<>();
        for (KernelCost c : KernelCost.values()) {
            if (occurrences[c.ordinal()] > 0) {
                out.add(new Use(c, prices.get(c), overridden.get(c), occurrences[c.ordinal()], totalNs[c.ordinal()]));
            }
        }
        return out;
    }

    /**
     * The charged costs whose value is still the default of an {@code estimate}, or one the cost fit
     * chose ({@code fitted}): what the result leans on, nobody having measured it.
     */
    public List<Use> estimatesLeanedOn() {
        return used().stream()
                .filter(u -> !u.overridden()
                        && (u.cost().flag() == KernelCost.Flag.ESTIMATE
                                || u.cost().flag() == KernelCost.Flag.FITTED))
                .toList();
    }
}
