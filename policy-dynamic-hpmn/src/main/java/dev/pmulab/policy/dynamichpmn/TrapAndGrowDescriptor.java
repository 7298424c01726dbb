package dev.pmulab.policy.dynamichpmn;

import com.google.auto.service.AutoService;
import dev.pmulab.api.AllocationPolicyDescriptor;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyDescriptor;
import java.util.Set;

/**
 * {@code trap-and-grow}: James Clark's proposal of 2025-03-26 (partitioning-and-policies.md §6.5).
 * Documented in docs/policies/trap-and-grow.md.
 */
@AutoService(PolicyDescriptor.class)
public final class TrapAndGrowDescriptor extends AllocationPolicyDescriptor<TrapAndGrowSettings> {
    public static final String NAME = "trap-and-grow";

    public TrapAndGrowDescriptor() {
        super(
                NAME,
                "guests start with a small HPMN that grows when they touch a counter above it, if host"
                        + " counters can be taken, and shrinks at vcpu_put to the counters they still use",
                TrapAndGrowSettings.SCHEMA,
                TrapAndGrowPolicy.class);
    }

    /** It partitions the PMU, so an nVHE host refuses it with the rule 'VHE only'. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU);
    }
}
