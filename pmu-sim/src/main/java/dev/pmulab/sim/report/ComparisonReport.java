package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The result of {@code pmulab compare}: one run per policy of the compared kind, in column order,
 * with the other kinds fixed by the scenario. Renderers are pure functions of this value.
 *
 * @param description the scenario's description; may be empty
 * @param estimatesUsed every cost the runs charged that is an estimate or that the scenario
 *     overrode; kept sorted by id (C2 before C10), so renderers need not sort
 */
public record ComparisonReport(
        String scenario,
        String description,
        long seed,
        PolicyKind comparedKind,
        List<RunReport> runs,
        List<CostAssumption> estimatesUsed) {

    public ComparisonReport {
        requireNonNull(scenario, "scenario is null");
        requireNonNull(description, "description is null");
        requireNonNull(comparedKind, "comparedKind is null");
        requireNonNull(runs, "runs is null");
        requireNonNull(estimatesUsed, "estimatesUsed is null");
        if (scenario.isBlank()) {
            throw new IllegalArgumentException("scenario name is blank");
        }
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one run");
        }
        List<CostAssumption> sorted = new ArrayList<>(estimatesUsed);
        sorted.sort(CostAssumption.BY_ID);
        Set<String> ids = new HashSet<>();
        for (CostAssumption c : sorted) {
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("cost " + c.id() + " listed twice");
            }
        }
        estimatesUsed = List.copyOf(sorted);
    }

    /** The label shared by every run for {@code kind}, or empty when the runs differ in it. */
    public Optional<String> commonLabel(PolicyKind kind) {
        requireNonNull(kind, "kind is null");
        String first = runs.get(0).label(kind);
        for (RunReport r : runs) {
            if (!r.label(kind).equals(first)) {
                return Optional.empty();
            }
        }
        return Optional.of(first);
    }

    /** Estimates the scenario kept at their defaults, by id. */
    public List<CostAssumption> estimatesLeanedOn() {
        return estimatesUsed.stream().filter(CostAssumption::leanedOn).toList();
    }

    /** Defaults the scenario replaced, of any flag, by id. */
    public List<CostAssumption> overriddenDefaults() {
        return estimatesUsed.stream().filter(CostAssumption::overridden).toList();
    }

    /** The runs that failed, in column order. */
    public List<RunReport> failedRuns() {
        return runs.stream().filter(r -> !r.isOk()).toList();
    }
}
