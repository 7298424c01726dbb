package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.kvm.KernelCost;
import dev.pmulab.sim.scenario.FieldReader.Fields;
import dev.pmulab.sim.scenario.YamlTree.Entry;
import dev.pmulab.sim.scenario.YamlTree.MapNode;
import dev.pmulab.sim.scenario.YamlTree.Mark;
import dev.pmulab.sim.scenario.YamlTree.Node;
import dev.pmulab.sim.scenario.YamlTree.ScalarNode;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The {@code costs} section: the scenario's prices of kernel operations, keyed by a cost's id
 * ({@code C9}) or name ({@code PERF_EVENT_CREATE}, any case), each a number of ns, a duration, or
 * {@code {base, per_unit}}.
 */
final class CostReader {
    /** The keys of one cost written as a mapping. */
    static final List<String> COST_KEYS = List.of("base", "per_unit");
    /** The largest cost a scenario may set, base or per unit: 1 s. */
    static final long MAX_COST_NS = 1_000_000_000L;

    private final FieldReader in;

    CostReader(FieldReader in) {
        this.in = requireNonNull(in, "in is null");
    }

    Map<KernelCost, CostOverride> read(Node node, String path) {
        MapNode m = in.map(node, path);
        if (m == null) {
            return Map.of();
        }
        Map<KernelCost, CostOverride> out = new EnumMap<>(KernelCost.class);
        Map<KernelCost, Mark> where = new EnumMap<>(KernelCost.class);
        for (Entry e : m.entries().values()) {
            String p = path + "." + e.key();
            KernelCost cost = KernelCost.fromKey(e.key()).orElse(null);
            if (cost == null) {
                String msg = e.key().equalsIgnoreCase("C15")
                        ? "C15, the rotation interval, is not a cost here: set host.mux_interval"
                        : "unknown cost '" + e.key() + "'; write an id of perf-core-and-costs.md §8 ("
                                + Arrays.stream(KernelCost.values())
                                        .map(KernelCost::id)
                                        .collect(Collectors.joining(", "))
                                + ") or a name such as PERF_EVENT_CREATE";
                in.problem(e.keyMark(), p, msg);
                continue;
            }
            Mark first = where.putIfAbsent(cost, e.keyMark());
            if (first != null) {
                in.problem(
                        e.keyMark(),
                        p,
                        cost.id() + " (" + cost.name() + ") is already set at line " + first.line() + ", column "
                                + first.column());
                continue;
            }
            CostOverride c = value(e.value(), p, cost);
            if (c != null) {
                out.put(cost, c);
            }
        }
        return out;
    }

    /** A number of ns, a duration, or {@code {base: ..., per_unit: ...}}. */
    private CostOverride value(Node node, String path, KernelCost cost) {
        if (node instanceof MapNode m) {
            Fields o = in.fields(m, path, COST_KEYS);
            Long base = o.required("base") ? nanoseconds(o.get("base"), o.at("base")) : null;
            OptionalLong perUnit = OptionalLong.empty();
            if (o.has("per_unit")) {
                if (cost.defaultPerUnitNs() == 0) {
                    in.problem(
                            o.keyMark("per_unit"),
                            o.at("per_unit"),
                            cost.id() + " (" + cost.name()
                                    + ") has no per-unit part; only "
                                    + Arrays.stream(KernelCost.values())
                                            .filter(k -> k.defaultPerUnitNs() > 0)
                                            .map(KernelCost::id)
                                            .collect(Collectors.joining(" and "))
                                    + " do");
                    return null;
                }
                Long u = nanoseconds(o.get("per_unit"), o.at("per_unit"));
                if (u == null) {
                    return null;
                }
                perUnit = OptionalLong.of(u);
            }
            return base == null ? null : new CostOverride(base, perUnit);
        }
        Long base = nanoseconds(node, path);
        return base == null ? null : CostOverride.base(base);
    }

    /**
     * A cost: a whole number of ns, or a duration such as 2us; from 0 to {@link #MAX_COST_NS}. The
     * engine adds costs (a per-unit part times the events an operation moved) into its 64-bit ns
     * clock, and a kernel path that took longer than a second would be a lockup, not a cost.
     */
    private Long nanoseconds(Node node, String path) {
        ScalarNode s = in.scalar(node, path, "a cost in ns");
        if (s == null) {
            return null;
        }
        Long ns = s.isNumber() ? in.atLeast(node, path, 0) : in.duration(node, path);
        if (ns != null && ns > MAX_COST_NS) {
            in.problem(
                    node.mark(),
                    path,
                    "a kernel cost is at most " + Durations.format(MAX_COST_NS) + " (" + MAX_COST_NS
                            + " ns) in the simulator; was " + Durations.format(ns));
            return null;
        }
        return ns;
    }
}
