package dev.pmulab.kvm.policy;

import com.google.auto.service.AutoService;
import dev.pmulab.api.AllocationPolicyDescriptor;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.SettingsSchema;

/**
 * {@code emulated}: upstream KVM's counter allocation, the baseline every other allocation policy
 * is compared with (partitioning-and-policies.md §6.1). No settings.
 */
@AutoService(PolicyDescriptor.class)
public final class EmulatedDescriptor extends AllocationPolicyDescriptor<Void> {
    public static final String NAME = "emulated";

    public EmulatedDescriptor() {
        super(
                NAME,
                "upstream KVM: every guest counter is a host perf event and every guest PMU access traps;"
                        + " HPMN stays N, the host keeps every counter",
                SettingsSchema.none(),
                EmulatedPolicy.class);
    }
}
