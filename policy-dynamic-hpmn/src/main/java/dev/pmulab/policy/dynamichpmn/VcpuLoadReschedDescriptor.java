package dev.pmulab.policy.dynamichpmn;

import com.google.auto.service.AutoService;
import dev.pmulab.api.AllocationPolicyDescriptor;
import dev.pmulab.api.PolicyBehavior;
import dev.pmulab.api.PolicyDescriptor;
import java.util.Set;

/**
 * {@code vcpu-load-resched}: the dynamic reservation of the partitioning series v7 to v9
 * (partitioning-and-policies.md §3.5–3.6 and §6.3). Documented in docs/policies/vcpu-load-resched.md.
 */
@AutoService(PolicyDescriptor.class)
public final class VcpuLoadReschedDescriptor extends AllocationPolicyDescriptor<VcpuLoadReschedSettings> {
    public static final String NAME = "vcpu-load-resched";

    public VcpuLoadReschedDescriptor() {
        super(
                NAME,
                "moves the HPMN split at every vcpu_load and vcpu_put; host perf is rescheduled only when"
                        + " host events sit on the counters the guest takes",
                VcpuLoadReschedSettings.SCHEMA,
                VcpuLoadReschedPolicy.class);
    }

    /** It partitions the PMU, so an nVHE host refuses it with the rule 'VHE only'. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU);
    }
}
