package dev.pmulab.policy.dynamichpmn;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.List;
import java.util.Set;

/**
 * {@code trap-and-grow}: James Clark's proposal of 2025-03-26 (partitioning-and-policies.md §6.5). Documented in docs/policies/trap-and-grow.md.
 */
@AutoService(PolicyDescriptor.class)
public final class TrapAndGrowDescriptor implements PolicyDescriptor {
    public static final String NAME = "trap-and-grow";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PolicyKind kind() {
        return PolicyKind.ALLOCATION;
    }

    @Override
    public String description() {
        return "guests start with a small HPMN that grows when they touch a counter above it, if host counters can be taken, and shrinks at vcpu_put to the counters they still use";
    }

    @Override
    public List<SettingSpec> settings() {
        return TrapAndGrowSettings.SPECS;
    }

    @Override
    public List<String> validate(Settings settings) {
        return TrapAndGrowSettings.validate(settings);
    }

    /** It partitions the PMU, so an nVHE host refuses it with the rule 'VHE only'. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU);
    }

    @Override
    public Module module(Settings settings) {
        requireNonNull(settings, "settings is null");
        return PolicyDescriptor.bindPolicy(AllocationPolicy.class, TrapAndGrowPolicy.class);
    }
}
