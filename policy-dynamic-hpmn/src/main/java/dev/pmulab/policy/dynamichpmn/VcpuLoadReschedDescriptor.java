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
 * {@code vcpu-load-resched}: the dynamic reservation of the partitioning series v7 to v9 (partitioning-and-policies.md §3.5–3.6 and §6.3). Documented in docs/policies/vcpu-load-resched.md.
 */
@AutoService(PolicyDescriptor.class)
public final class VcpuLoadReschedDescriptor implements PolicyDescriptor {
    public static final String NAME = "vcpu-load-resched";

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
        return "moves the HPMN split at every vcpu_load and vcpu_put; host perf is rescheduled only when host events sit on the counters the guest takes";
    }

    @Override
    public List<SettingSpec> settings() {
        return VcpuLoadReschedSettings.SPECS;
    }

    @Override
    public List<String> validate(Settings settings) {
        return VcpuLoadReschedSettings.validate(settings);
    }

    /** It partitions the PMU, so an nVHE host refuses it with the rule 'VHE only'. */
    @Override
    public Set<PolicyBehavior> behaviors() {
        return PolicyBehavior.defaultsAnd(PolicyBehavior.PARTITIONS_PMU);
    }

    @Override
    public Module module(Settings settings) {
        requireNonNull(settings, "settings is null");
        return PolicyDescriptor.bindPolicy(AllocationPolicy.class, VcpuLoadReschedPolicy.class);
    }
}
