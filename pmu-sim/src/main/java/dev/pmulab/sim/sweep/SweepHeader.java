package dev.pmulab.sim.sweep;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * What the output of a sweep needs to know about its plan, written as the first line of its
 * {@code points.jsonl} so that {@code pmulab merge} and a resumed run work from the parts alone.
 *
 * @param name the study's name
 * @param description what it asks
 * @param specHash the plan's hash ({@link SweepPlan#specHash()}): parts with the same hash belong together
 * @param points how many points the whole plan has
 * @param columns the axis columns of the tidy output (every axis but scenario and seed), in order
 * @param tradeoff the report's trade-off chart; null for none ({@link #tradeoffChart()})
 */
public record SweepHeader(
        String name, String description, String specHash, int points, List<String> columns, Tradeoff tradeoff)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public SweepHeader {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(specHash, "specHash is null");
        columns = List.copyOf(columns);
    }

    public Optional<Tradeoff> tradeoffChart() {
        return Optional.ofNullable(tradeoff);
    }
}
