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
    /**
     * Per cost, by ordinal, four longs side by side: base price, price per unit, occurrences and
     * total ns ({@link #BASE}, {@link #PER_UNIT}, {@link #COUNT}, {@link #TOTAL}). Every charge looks
     * its price up and counts itself; an EnumMap would cost a lookup and a record hop, and four
     * separate arrays four cache lines where one row takes one.
     */
    private final long[] table = new long[KernelCost.values().length * STRIDE];

    private static final int STRIDE = 4;
    private static final int BASE = 0;
    private static final int PER_UNIT = 1;
    private static final int COUNT = 2;
    private static final int TOTAL = 3;

    public CostModel(Map<KernelCost, Price> overrides) {
        requireNonNull(overrides, "overrides is null");
        for (KernelCost c : KernelCost.values()) {
            Price p = overrides.get(c);
            Price price = p != null ? p : new Price(c.defaultBaseNs(), c.defaultPerUnitNs());
            prices.put(c, price);
            overridden.put(c, p != null);
            table[c.ordinal() * STRIDE + BASE] = price.baseNs();
            table[c.ordinal() * STRIDE + PER_UNIT] = price.perUnitNs();
        }
    }

    public static CostModel defaults() {
        return new CostModel(Map.of());
    }

    /** The price of one occurrence with {@code units} units, without charging it. */
    public long priceNs(KernelCost cost, int units) {
        int row = cost.ordinal() * STRIDE;
        return table[row + BASE] + table[row + PER_UNIT] * Math.max(0, units);
    }

    /** Charges one occurrence and returns its time in ns. */
    public long charge(KernelCost cost, int units) {
        int row = cost.ordinal() * STRIDE;
        long ns = table[row + BASE] + table[row + PER_UNIT] * Math.max(0, units);
        table[row + COUNT]++;
        table[row + TOTAL] += ns;
        return ns;
    }

    public Price price(KernelCost cost) {
        return prices.get(cost);
    }

    public long occurrences(KernelCost cost) {
        return table[cost.ordinal() * STRIDE + COUNT];
    }

    /** Every cost charged at least once, in table order. */
    public List<Use> used() {
        List<Use> out = new ArrayList<>();
        for (KernelCost c : KernelCost.values()) {
            int row = c.ordinal() * STRIDE;
            if (table[row + COUNT] > 0) {
                out.add(new Use(c, prices.get(c), overridden.get(c), table[row + COUNT], table[row + TOTAL]));
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
