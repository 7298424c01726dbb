package dev.pmulab.policy.composite;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.Settings;

/**
 * {@code composite}: the proposed KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY (Akihiko Odaki, RFC v3..v9,
 * not merged): only the cycle counter, counting on every core type (kvm-vpmu-uapi.md §1.7, §4;
 * partitioning-and-policies.md §6.6). docs/policies/composite.md.
 */
@AutoService(PolicyDescriptor.class)
public final class CompositeDescriptor implements PolicyDescriptor {
    public static final String NAME = "composite";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PolicyKind kind() {
        return PolicyKind.SELECTION;
    }

    @Override
    public String description() {
        return "fixed counters only (proposed FIXED_COUNTERS_ONLY): PMCR.N = 0, PMCEID = 0, a cycle counter that "
                + "keeps counting on every core type; vCPUs run anywhere";
    }

    @Override
    public Module module(Settings settings) {
        return PolicyDescriptor.bindPolicy(SelectionPolicy.class, CompositePolicy.class);
    }
}
