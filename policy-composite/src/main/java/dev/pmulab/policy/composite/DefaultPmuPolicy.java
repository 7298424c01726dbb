package dev.pmulab.policy.composite;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.VmView;
import dev.pmulab.api.VmmPmuControl;
import jakarta.inject.Inject;

/**
 * Sets no PMU and pins nothing, so KVM keeps the default PMU it chose at vCPU init and leaves
 * {@code supported_cpus} at every CPU: the vCPUs run anywhere, and the guest's counters silently
 * stop on CPUs of another type (kvm-vpmu-uapi.md §2.6). With {@code nr_counters} it only narrows
 * PMCR_EL0.N, which the code accepts without SET_PMU (§1.5, gap a). Any errno is fatal: the VM
 * would otherwise run with more counters than the scenario asked for.
 */
public final class DefaultPmuPolicy implements SelectionPolicy {
    private final String policyName;
    private final int nrCounters;

    @Inject
    public DefaultPmuPolicy(DefaultPmuSettings settings, PolicyContext context) {
        this.nrCounters = requireNonNull(settings, "settings is null").nrCounters();
        this.policyName = requireNonNull(context, "context is null").policyName();
    }

    @Override
    public void configureVm(VmView vm, HostView host, VmmPmuControl vmm) {
        requireNonNull(vm, "vm is null");
        requireNonNull(host, "host is null");
        requireNonNull(vmm, "vmm is null");
        if (nrCounters == NrCounters.UNSET) {
            return;
        }
        int ret = vmm.setNrCounters(nrCounters);
        if (ret != 0) {
            throw VmmPmuSetupException.refused(
                    policyName,
                    vm.vmName(),
                    KvmPmuAttribute.SET_NR_COUNTERS,
                    Integer.toString(nrCounters),
                    ret,
                    "the default PMU is that of CPU " + vm.initCpu() + " ("
                            + host.cpu(vm.initCpu()).pmuName() + ", "
                            + host.cpu(vm.initCpu()).counters()
                            + " counters)");
        }
    }
}
