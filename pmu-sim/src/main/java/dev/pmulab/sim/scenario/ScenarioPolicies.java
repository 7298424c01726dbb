package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.plugin.PluginException;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.plugin.SelectedPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario's policies, checked against the installed ones: names known, settings converted to
 * their declared types and accepted by each policy's own validation.
 *
 * @param allocation one run per entry, in the scenario's order
 * @param selection the PMU selection policy; empty for KVM's default PMU
 * @param filter the event filter policy; empty for none
 */
public record ScenarioPolicies(
        List<SelectedPolicy> allocation, Optional<SelectedPolicy> selection, Optional<SelectedPolicy> filter) {

    public ScenarioPolicies {
        allocation = List.copyOf(allocation);
        requireNonNull(selection, "selection is null");
        requireNonNull(filter, "filter is null");
    }

    /**
     * Selects the scenario's policies from {@code registry}. A scenario that names no allocation
     * policy compares every installed one at its default settings, in name order.
     *
     * @throws ScenarioException with one problem per policy entry the registry rejects, at the
     *     entry's line and column, carrying the registry's message (which lists what is known)
     */
    public static ScenarioPolicies select(Scenario scenario, PolicyRegistry registry) {
        requireNonNull(scenario, "scenario is null");
        requireNonNull(registry, "registry is null");
        List<ScenarioProblem> problems = new ArrayList<>();
        List<SelectedPolicy> allocation = new ArrayList<>();
        Policies p = scenario.policies();
        if (p.allocation().isEmpty()) {
            List<String> installed = registry.namesOf(PolicyKind.ALLOCATION);
            if (installed.isEmpty()) {
                problems.add(new ScenarioProblem(
                        scenario.source(),
                        0,
                        0,
                        "policies.allocation",
                        "names no allocation policy, and none is installed to compare"));
            }
            for (String name : installed) {
                PolicyChoice all = new PolicyChoice(
                        PolicyKind.ALLOCATION,
                        name,
                        Map.of(),
                        new SourcePosition(scenario.source(), 0, 0, "policies.allocation"));
                select(all, registry, problems).ifPresent(allocation::add);
            }
        }
        for (PolicyChoice c : p.allocation()) {
            select(c, registry, problems).ifPresent(allocation::add);
        }
        Optional<SelectedPolicy> selection = p.selection().flatMap(c -> select(c, registry, problems));
        Optional<SelectedPolicy> filter = p.filter().flatMap(c -> select(c, registry, problems));
        if (!problems.isEmpty()) {
            throw new ScenarioException(problems);
        }
        return new ScenarioPolicies(allocation, selection, filter);
    }

    private static Optional<SelectedPolicy> select(
            PolicyChoice c, PolicyRegistry registry, List<ScenarioProblem> problems) {
        try {
            return Optional.of(SelectedPolicy.select(registry, c.kind(), c.name(), c.rawSettings()));
        } catch (PluginException e) {
            problems.add(ScenarioProblem.at(c.declaredAt(), e.getMessage()));
            return Optional.empty();
        }
    }
}
