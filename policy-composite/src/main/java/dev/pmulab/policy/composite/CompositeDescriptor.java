package dev.pmulab.policy.composite;

import com.google.auto.service.AutoService;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.SelectionPolicyDescriptor;
import dev.pmulab.api.SettingsSchema;

/**
 * {@code composite}: the proposed KVM_ARM_VCPU_PMU_V3_FIXED_COUNTERS_ONLY (Akihiko Odaki, RFC v3..v9,
 * not merged): only the cycle counter, counting on every core type (kvm-vpmu-uapi.md §1.7, §4;
 * partitioning-and-policies.md §6.6). docs/policies/composite.md.
 */
@AutoService(PolicyDescriptor.class)
public final class CompositeDescriptor extends SelectionPolicyDescriptor<Void> {
    public static final String NAME = "composite";

    public CompositeDescriptor() {
        super(
                NAME,
                "fixed counters only (proposed FIXED_COUNTERS_ONLY): PMCR.N = 0, PMCEID = 0, a cycle counter that "
                        + "keeps counting on every core type; vCPUs run anywhere",
                SettingsSchema.none(),
                CompositePolicy.class);
    }
}
