package dev.pmulab.policy.statichpmn;

import com.google.auto.service.AutoService;
import dev.pmulab.api.AllocationPolicyDescriptor;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyDescriptor;
import java.util.Set;

/**
 * {@code static-hpmn}: the partitioning series' boot-time split (RFC v1 to v6,
 * partitioning-and-policies.md §3.2–3.4 and §6.2). Documented in docs/policies/static-hpmn.md.
 */
@AutoService(PolicyDescriptor.class)
public final class StaticHpmnDescriptor extends AllocationPolicyDescriptor<StaticHpmnSettings> {
    public static final String NAME = "static-hpmn";

    public StaticHpmnDescriptor() {
        super(
                NAME,
                "boot-time MDCR_EL2.HPMN split: the host keeps reserved_host_counters on every CPU for good,"
                        + " guests get the counters below HPMN and PMCCNTR with direct access",
                StaticHpmnSettings.SCHEMA,
                StaticHpmnPolicy.class);
    }

    /** It partitions the PMU, so an nVHE host refuses it with the rule 'VHE only'. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU);
    }
}
