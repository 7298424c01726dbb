package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import dev.pmulab.sim.scenario.SourcePosition;
import java.util.List;
import java.util.Optional;

/**
 * A sweep as written (docs/sweeps.md): its axes and how they combine, not yet resolved against
 * the scenarios and the installed policies ({@link SweepPlan} does that).
 *
 * @param name the study's name, which names its output
 * @param description one line saying what it asks
 * @param file the sweep file as messages name it ({@code --vary} for the command line)
 * @param policies the allocation policies compared at every point; empty: each scenario's own
 * @param policiesAt where {@code policies} is written
 * @param axes every axis, outermost first; exactly one is {@link AxisKind#SCENARIO}, at most one {@link AxisKind#SEED}
 * @param listed listed points (each a value per axis of {@link #listedAxes()}, in that order);
 *     empty: the cross product of {@code axes}
 * @param tradeoff the trade-off chart the report draws, if any
 */
public record SweepSpec(
        String name,
        String description,
        String file,
        List<String> policies,
        SourcePosition policiesAt,
        List<Axis> axes,
        List<List<AxisValue>> listed,
        Optional<Tradeoff> tradeoff) {
    public SweepSpec {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(file, "file is null");
        policies = List.copyOf(policies);
        requireNonNull(policiesAt, "policiesAt is null");
        axes = List.copyOf(axes);
        listed = listed.stream().map(List::copyOf).toList();
        requireNonNull(tradeoff, "tradeoff is null");
        if (axes.stream().filter(a -> a.kind() == AxisKind.SCENARIO).count() != 1) {
            throw new IllegalArgumentException("a sweep has exactly one scenario axis");
        }
        if (axes.stream().filter(a -> a.kind() == AxisKind.SEED).count() > 1) {
            throw new IllegalArgumentException("a sweep has at most one seed axis");
        }
        long columns = axes.stream().filter(Axis::isColumn).count();
        for (List<AxisValue> p : listed) {
            if (p.size() != columns) {
                throw new IllegalArgumentException("a listed point gives a value per listed axis");
            }
        }
    }

    /** The axes the listed points give values for (every axis but scenario and seed), or none for a cross product. */
    public List<Axis> listedAxes() {
        return listed.isEmpty()
                ? List.of()
                : axes.stream().filter(Axis::isColumn).toList();
    }

    /** The axes that are columns of the output, in order. */
    public List<Axis> columns() {
        return axes.stream().filter(Axis::isColumn).toList();
    }
}
