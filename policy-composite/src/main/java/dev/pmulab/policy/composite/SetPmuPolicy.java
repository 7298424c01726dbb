package dev.pmulab.policy.composite;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.Errno;
import dev.pmulab.api.HostView;
import dev.pmulab.api.PolicyContext;
import dev.pmulab.api.SelectionPolicy;
import dev.pmulab.api.VmView;
import dev.pmulab.api.VmmPmuControl;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SET_PMU, then SET_NR_COUNTERS if asked (it must come after: SET_PMU resets the counter count,
 * kvm-vpmu-uapi.md §1.4), then pinning the vCPUs to the chosen PMU's CPUs that the VM may use.
 *
 * <p>Errors: for a named PMU every errno is fatal, since the VM would otherwise silently keep
 * the default PMU. For {@code largest}, -ENXIO on a candidate (KVM did not register that PMU) is
 * a fallback to the next candidate, as QEMU's backend choice tries SET_PMU before settling
 * (§4.5); any other errno is fatal.
 */
public final class SetPmuPolicy implements SelectionPolicy {
    private final String policyName;
    private final String pmu;
    private final boolean pinVcpus;
    private final int nrCounters;

    @Inject
    public SetPmuPolicy(SetPmuSettings settings, PolicyContext context) {
        requireNonNull(settings, "settings is null");
        this.policyName = requireNonNull(context, "context is null").policyName();
        this.pmu = settings.pmu();
        this.pinVcpus = settings.pinVcpus();
        this.nrCounters = settings.nrCounters();
    }

    @Override
    public void configureVm(VmView vm, HostView host, VmmPmuControl vmm) {
        requireNonNull(vm, "vm is null");
        requireNonNull(host, "host is null");
        requireNonNull(vmm, "vmm is null");
        String chosen = setPmu(vm, host, vmm);
        if (nrCounters != NrCounters.UNSET) {
            int ret = vmm.setNrCounters(nrCounters);
            if (ret != 0) {
                throw VmmPmuSetupException.refused(
                        policyName,
                        vm.vmName(),
                        KvmPmuAttribute.SET_NR_COUNTERS,
                        Integer.toString(nrCounters),
                        ret,
                        "after SET_PMU(" + chosen + ")");
            }
        }
        if (pinVcpus) {
            int[] cpus = HostPmus.cpusForVm(host, chosen, vm.allowedCpus());
            if (cpus.length == 0) {
                throw VmmPmuSetupException.unsatisfiable(
                        policyName,
                        vm.vmName(),
                        "cannot pin the vCPUs: PMU "
                                + chosen + " covers CPUs " + Arrays.toString(host.pmuCpus(chosen))
                                + ", none of which the VM may use " + Arrays.toString(vm.allowedCpus()));
            }
            vmm.pinVcpus(cpus);
        }
    }

    private String setPmu(VmView vm, HostView host, VmmPmuControl vmm) {
        if (!pmu.equals(SetPmuSettings.LARGEST)) {
            if (!host.pmuNames().contains(pmu)) {
                // A VMM reads the perf type from sysfs; with no such PMU there is nothing to pass KVM.
                throw VmmPmuSetupException.unsatisfiable(
                        policyName,
                        vm.vmName(),
                        "the host has no PMU named '" + pmu + "'; host PMUs: " + String.join(", ", host.pmuNames()));
            }
            int ret = vmm.setPmu(pmu);
            if (ret != 0) {
                throw VmmPmuSetupException.refused(policyName, vm.vmName(), KvmPmuAttribute.SET_PMU, pmu, ret, "");
            }
            return pmu;
        }
        List<HostPmus.Candidate> candidates = HostPmus.largestFirst(host, vm.allowedCpus());
        if (candidates.isEmpty()) {
            throw VmmPmuSetupException.unsatisfiable(
                    policyName,
                    vm.vmName(),
                    "no host PMU covers any CPU the VM "
                            + "may use " + Arrays.toString(vm.allowedCpus()) + "; host PMUs: "
                            + String.join(", ", host.pmuNames()));
        }
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            String candidate = candidates.get(i).pmu();
            int ret = vmm.setPmu(candidate);
            if (ret == 0) {
                return candidate;
            }
            boolean last = i == candidates.size() - 1;
            if (ret != -Errno.ENXIO || last) {
                refused.add(candidate + " " + Errno.name(ret));
                throw VmmPmuSetupException.refused(
                        policyName,
                        vm.vmName(),
                        KvmPmuAttribute.SET_PMU,
                        candidate,
                        ret,
                        "pmu=" + SetPmuSettings.LARGEST + " tried " + String.join(", ", refused));
            }
            refused.add(candidate + " " + Errno.name(ret));
        }
        throw new IllegalStateException("unreachable: the last candidate either succeeds or throws");
    }
}
