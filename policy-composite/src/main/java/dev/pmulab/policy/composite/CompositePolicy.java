package dev.pmulab.policy.composite;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.VmView;
import dev.pmulab.api.VmmPmuControl;
import jakarta.inject.Inject;

/**
 * Sets FIXED_COUNTERS_ONLY and pins nothing: the vCPUs run on every CPU, and KVM recreates the
 * cycle counter's host event on the local PMU when a vCPU moves to another core type
 * (kvm-vpmu-uapi.md §4.4). Every errno is fatal, -EBUSY included (a filter or SET_PMU came first;
 * the attribute excludes both): falling back to the default PMU would let the run report the
 * default PMU's stalls and crashes under this policy's name.
 */
public final class CompositePolicy implements SelectionPolicy {
    private final String policyName;

    @Inject
    public CompositePolicy(PolicyContext context) {
        this.policyName = requireNonNull(context, "context is null").policyName();
    }

    @Override
    public void configureVm(VmView vm, HostView host, VmmPmuControl vmm) {
        requireNonNull(vm, "vm is null");
        requireNonNull(host, "host is null");
        requireNonNull(vmm, "vmm is null");
        int ret = vmm.setFixedCountersOnly();
        if (ret != 0) {
            throw VmmPmuSetupException.refused(
                    policyName, vm.vmName(), KvmPmuAttribute.FIXED_COUNTERS_ONLY, "", ret, "");
        }
    }
}
