package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.YamlTree;

/**
 * One value of an axis: as YAML (a scalar keeps its token, so {@code 1000} is a number and
 * {@code 1s} a string, as the scenario reader expects), its marks naming where it is written.
 *
 * @param text how columns and labels show it: a scalar's text, or the flow YAML of a list or mapping
 * @param node the value, grafted into a point's scenario tree as it is
 */
public record AxisValue(String text, YamlTree.Node node) {
    public AxisValue {
        requireNonNull(text, "text is null");
        requireNonNull(node, "node is null");
    }
}
