package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import java.util.List;
import java.util.Optional;

/**
 * The policies a scenario runs with. Only allocation may name several: each is one run, side by
 * side on the same workload.
 *
 * @param allocation the allocation policies to compare, in report order; empty for every one installed
 * @param selection the PMU selection policy; empty for KVM's default PMU, with no VMM choice
 * @param filter the event filter policy; empty for no filter
 */
public record Policies(List<PolicyChoice> allocation, Optional<PolicyChoice> selection, Optional<PolicyChoice> filter) {
    public Policies {
        allocation = List.copyOf(allocation);
        requireNonNull(selection, "selection is null");
        requireNonNull(filter, "filter is null");
        for (PolicyChoice c : allocation) {
            kindIs(c, PolicyKind.ALLOCATION);
        }
        selection.ifPresent(c -> kindIs(c, PolicyKind.SELECTION));
        filter.ifPresent(c -> kindIs(c, PolicyKind.FILTER));
    }

    /** None named: every installed allocation policy, KVM's default PMU, no filter. */
    public static Policies defaults() {
        return new Policies(List.of(), Optional.empty(), Optional.empty());
    }

    private static void kindIs(PolicyChoice c, PolicyKind kind) {
        if (c.kind() != kind) {
            throw new IllegalArgumentException(
                    c.name() + " is a " + c.kind().configName() + " choice, not " + kind.configName());
        }
    }
}
