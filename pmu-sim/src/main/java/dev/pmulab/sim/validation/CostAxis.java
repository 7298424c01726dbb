package dev.pmulab.sim.validation;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.KernelCost;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One axis of the cost fit's grid: a kernel cost's fixed part ({@code C12}) or per-unit part
 * ({@code C12.per_unit}), and the values in ns it takes. Written {@code KEY=V1,V2,...} where KEY is
 * a cost's id or name in any case ({@code C9}, {@code perf_event_create}), optionally followed by
 * {@code .per_unit} for the two costs that have one (C12, C14); values are whole numbers of ns.
 *
 * @param cost the cost
 * @param perUnit the per-unit part, else the fixed part
 * @param valuesNs the values, in the order given, without repeats
 */
public record CostAxis(KernelCost cost, boolean perUnit, List<Long> valuesNs) {
    private static final String PER_UNIT = ".per_unit";

    public CostAxis {
        requireNonNull(cost, "cost is null");
        valuesNs = List.copyOf(valuesNs);
        if (valuesNs.isEmpty()) {
            throw new IllegalArgumentException(label(cost, perUnit) + ": no values");
        }
        if (perUnit && cost.defaultPerUnitNs() == 0) {
            throw new IllegalArgumentException(
                    cost.id() + " (" + cost.name() + ") has no per-unit part; only " + perUnitCosts() + " do");
        }
        for (long v : valuesNs) {
            if (v < 0) {
                throw new IllegalArgumentException(label(cost, perUnit) + ": a cost is not negative, was " + v);
            }
        }
        if (valuesNs.stream().distinct().count() != valuesNs.size()) {
            throw new IllegalArgumentException(label(cost, perUnit) + ": a value is repeated in " + valuesNs);
        }
    }

    /**
     * Reads {@code KEY=V1,V2,...}.
     *
     * @throws IllegalArgumentException naming what is wrong and what is accepted
     */
    public static CostAxis parse(String spec) {
        requireNonNull(spec, "spec is null");
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--fit '" + spec + "': write KEY=V1,V2,... (ns), e.g. C12=500,1000"
                    + " or C12.per_unit=100,200,400");
        }
        String key = spec.substring(0, eq).trim();
        boolean perUnit = key.toLowerCase(Locale.ROOT).endsWith(PER_UNIT);
        String costKey = perUnit ? key.substring(0, key.length() - PER_UNIT.length()) : key;
        KernelCost cost = KernelCost.fromKey(costKey)
                .orElseThrow(() -> new IllegalArgumentException("--fit '" + spec
                        + "': unknown cost '" + costKey + "'; write an id ("
                        + Arrays.stream(KernelCost.values()).map(KernelCost::id).collect(Collectors.joining(", "))
                        + ") or a name such as PERF_EVENT_CREATE, with .per_unit for the per-unit part of "
                        + perUnitCosts()));
        List<Long> values = new ArrayList<>();
        for (String v : spec.substring(eq + 1).split(",", -1)) {
            try {
                values.add(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--fit '" + spec + "': '" + v.trim() + "' is not a whole number of ns", e);
            }
        }
        try {
            return new CostAxis(cost, perUnit, values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--fit '" + spec + "': " + e.getMessage(), e);
        }
    }

    /** {@code C12} or {@code C12.per_unit}. */
    public String label() {
        return label(cost, perUnit);
    }

    /** The default of the part this axis sweeps. */
    public long defaultNs() {
        return perUnit ? cost.defaultPerUnitNs() : cost.defaultBaseNs();
    }

    /** The range a count of the kernel path gives for the part this axis sweeps; empty if none. */
    public Optional<KernelCost.Range> sourced() {
        return perUnit ? cost.sourcedPerUnit() : cost.sourcedBase();
    }

    private static String label(KernelCost cost, boolean perUnit) {
        return cost.id() + (perUnit ? PER_UNIT : "");
    }

    private static String perUnitCosts() {
        return Arrays.stream(KernelCost.values())
                .filter(k -> k.defaultPerUnitNs() > 0)
                .map(KernelCost::id)
                .collect(Collectors.joining(" and "));
    }
}
