package dev.pmulab.policy.composite;

import com.google.auto.service.AutoService;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.SelectionPolicyDescriptor;

/**
 * {@code default-pmu}: today's upstream default, KVM's PMU of the CPU the vCPU was initialised on
 * (kvm-vpmu-uapi.md §2.6, partitioning-and-policies.md §6.6). docs/policies/default-pmu.md.
 */
@AutoService(PolicyDescriptor.class)
public final class DefaultPmuDescriptor extends SelectionPolicyDescriptor<DefaultPmuSettings> {
    public static final String NAME = "default-pmu";

    public DefaultPmuDescriptor() {
        super(
                NAME,
                "KVM's default PMU (that of the CPU where the vCPU is initialised); vCPUs run anywhere and "
                        + "their counters stop on CPUs of another type",
                DefaultPmuSettings.SCHEMA,
                DefaultPmuPolicy.class);
    }
}
