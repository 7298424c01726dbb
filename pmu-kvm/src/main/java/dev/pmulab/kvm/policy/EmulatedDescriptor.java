package dev.pmulab.kvm.policy;

import static java.util.Objects.requireNonNull;

import com.google.auto.service.AutoService;
import com.google.inject.Module;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.Settings;

/**
 * {@code emulated}: upstream KVM's counter allocation, the baseline every other allocation policy
 * is compared with (partitioning-and-policies.md §6.1). No settings.
 */
@AutoService(PolicyDescriptor.class)
public final class EmulatedDescriptor implements PolicyDescriptor {
    public static final String NAME = "emulated";

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
        return "upstream KVM: every guest counter is a host perf event and every guest PMU access traps;"
                + " HPMN stays N, the host keeps every counter";
    }

    @Override
    public Module module(Settings settings) {
        requireNonNull(settings, "settings is null");
        return PolicyDescriptor.bindPolicy(AllocationPolicy.class, EmulatedPolicy.class);
    }
}
