package dev.pmulab.policy.filter;

import com.google.auto.service.AutoService;
import dev.pmulab.api.FilterPolicyDescriptor;
import dev.pmulab.api.PolicyDescriptor;

/**
 * {@code event-filter}: the VMM sets KVM_ARM_VCPU_PMU_V3_FILTER ranges, an optional preset's
 * first and then the scenario's own, in order (partitioning-and-policies.md §6.7,
 * kvm-vpmu-uapi.md §1.3). docs/policies/event-filter.md.
 */
@AutoService(PolicyDescriptor.class)
public final class EventFilterDescriptor extends FilterPolicyDescriptor<EventFilterSettings> {
    public static final String NAME = "event-filter";

    public EventFilterDescriptor() {
        super(
                NAME,
                "KVM's guest event filter: ordered allow/deny ranges, optionally after the neighbour-safe preset",
                EventFilterSettings.SCHEMA,
                EventFilterPolicy.class);
    }
}
