package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonToken;
import dev.pmulab.sim.scenario.SourcePosition;
import dev.pmulab.sim.scenario.YamlTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One axis of a sweep: a path and its values, or a range whose end is relative to the host's
 * counter count ({@code 0..N-1}), which each scenario resolves for itself.
 *
 * @param path as written: {@code static-hpmn.reserved_host_counters}, {@code vms[0].vcpus}, {@code seed}
 * @param kind what the path addresses
 * @param values the values, in order (empty when {@code toN} is given)
 * @param toN a range that ends at N minus something
 * @param declaredAt where the axis is written
 */
public record Axis(
        String path, AxisKind kind, List<AxisValue> values, Optional<CounterRange> toN, SourcePosition declaredAt) {
    public Axis {
        requireNonNull(path, "path is null");
        requireNonNull(kind, "kind is null");
        values = List.copyOf(values);
        requireNonNull(toN, "toN is null");
        requireNonNull(declaredAt, "declaredAt is null");
        if (values.isEmpty() == toN.isEmpty()) {
            throw new IllegalArgumentException("an axis has values or a range to N, one of them");
        }
    }

    /**
     * {@code from..N-belowN}: whole numbers from {@code from} to the host's event counter count
     * less {@code belowN}, inclusive.
     */
    public record CounterRange(long from, long belowN, YamlTree.Mark at) {
        public CounterRange {
            requireNonNull(at, "at is null");
        }

        /** The range's values on a host with {@code n} event counters (empty when it ends below its start). */
        List<AxisValue> values(int n) {
            List<AxisValue> out = new ArrayList<>();
            for (long v = from; v <= n - belowN; v++) {
                String t = Long.toString(v);
                out.add(new AxisValue(t, new YamlTree.ScalarNode(at, t, JsonToken.VALUE_NUMBER_INT)));
            }
            return out;
        }

        @Override
        public String toString() {
            return from + "..N" + (belowN == 0 ? "" : "-" + belowN);
        }
    }

    /** The values on a host with {@code n} event counters (the smallest count of its CPU types). */
    public List<AxisValue> valuesFor(int n) {
        return toN.map(r -> r.values(n)).orElse(values);
    }

    /** Whether this axis is a column of the tidy output (scenario and seed have fixed columns). */
    public boolean isColumn() {
        return kind == AxisKind.SCENARIO_VALUE || kind == AxisKind.POLICY_SETTING;
    }
}
