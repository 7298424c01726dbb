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
 * {@code sysfs-writable}: the boot-time split made writable through sysfs, floated at the 2026-04-14 meeting (partitioning-and-policies.md §6.4). Documented in docs/policies/sysfs-writable.md.
 */
@AutoService(PolicyDescriptor.class)
public final class SysfsWritableDescriptor implements PolicyDescriptor {
    public static final String NAME = "sysfs-writable";

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
        return "a static HPMN split that an administrator moves at run time through the reserved_host_counters knob; each write reschedules host perf once on every CPU";
    }

    @Override
    public List<SettingSpec> settings() {
        return SysfsWritableSettings.SPECS;
    }

    @Override
    public List<String> validate(Settings settings) {
        return SysfsWritableSettings.validate(settings);
    }

    /** It partitions the PMU (refused on nVHE with 'VHE only') and moves the split on knob writes. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU, PolicyBehavior.RESERVED_HOST_COUNTERS_KNOB);
    }

    @Override
    public Module module(Settings settings) {
        requireNonNull(settings, "settings is null");
        return PolicyDescriptor.bindPolicy(AllocationPolicy.class, SysfsWritablePolicy.class);
    }
}
