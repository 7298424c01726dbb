package dev.pmulab.policy.composite;

import com.google.auto.service.AutoService;
import dev.pmulab.api.PolicyDescriptor;
import dev.pmulab.api.SelectionPolicyDescriptor;

/**
 * {@code set-pmu}: the VMM chooses the VM's PMU with KVM_ARM_VCPU_PMU_V3_SET_PMU, which confines
 * the VM to that PMU's CPUs (kvm-vpmu-uapi.md §1.4, partitioning-and-policies.md §6.6).
 * docs/policies/set-pmu.md.
 */
@AutoService(PolicyDescriptor.class)
public final class SetPmuDescriptor extends SelectionPolicyDescriptor<SetPmuSettings> {
    public static final String NAME = "set-pmu";

    public SetPmuDescriptor() {
        super(
                NAME,
                "the VMM sets the VM's PMU (SET_PMU) and pins its vCPUs to that PMU's CPUs; a vCPU elsewhere "
                        + "fails entry",
                SetPmuSettings.SCHEMA,
                SetPmuPolicy.class);
    }
}
