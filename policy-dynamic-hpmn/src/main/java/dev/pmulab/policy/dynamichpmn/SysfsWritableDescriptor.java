package dev.pmulab.policy.dynamichpmn;

import com.google.auto.service.AutoService;
import dev.pmulab.api.AllocationPolicyDescriptor;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyDescriptor;
import java.util.Set;

/**
 * {@code sysfs-writable}: the boot-time split made writable through sysfs, floated at the 2026-04-14
 * meeting (partitioning-and-policies.md §6.4). Documented in docs/policies/sysfs-writable.md.
 */
@AutoService(PolicyDescriptor.class)
public final class SysfsWritableDescriptor extends AllocationPolicyDescriptor<SysfsWritableSettings> {
    public static final String NAME = "sysfs-writable";

    public SysfsWritableDescriptor() {
        super(
                NAME,
                "a static HPMN split that an administrator moves at run time through the"
                        + " reserved_host_counters knob; each write reschedules host perf once on every CPU",
                SysfsWritableSettings.SCHEMA,
                SysfsWritablePolicy.class);
    }

    /** It partitions the PMU (refused on nVHE with 'VHE only') and moves the split on knob writes. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU, PolicyBehavior.RESERVED_HOST_COUNTERS_KNOB);
    }
}
