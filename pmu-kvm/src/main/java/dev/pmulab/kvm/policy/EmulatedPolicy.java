package dev.pmulab.kvm.policy;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.AllocationControl;
import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.CpuView;
import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.VcpuView;
import jakarta.inject.Inject;

/**
 * Today's KVM (partitioning-and-policies.md §6.1): MDCR_EL2.TPM traps every guest PMU access, each
 * guest counter is a pinned, task-bound, exclude_host perf event, and the host keeps every counter:
 * HPMN stays N and no reservation is ever made. The only action is keeping a vCPU emulated should
 * something have made it direct. An administrator's knob does not exist.
 */
public final class EmulatedPolicy implements AllocationPolicy {
    private final String policyName;

    @Inject
    public EmulatedPolicy(PolicyContext context) {
        this.policyName = requireNonNull(context, "context is null").policyName();
    }

    @Override
    public void vcpuLoad(VcpuView vcpu, CpuView cpu, AllocationControl control) {
        requireNonNull(vcpu, "vcpu is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(control, "control is null");
        if (vcpu.accessMode() != GuestAccessMode.EMULATED) {
            control.setGuestAccess(vcpu, GuestAccessMode.EMULATED);
        }
    }

    @Override
    public void adminWrite(String knob, long value, HostView host, AllocationControl control) {
        throw new IllegalArgumentException(policyName + " has no knob '" + knob + "'; it has no knobs");
    }
}
