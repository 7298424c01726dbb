package dev.pmulab.policy.composite;

import dev.pmulab.api.HostView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** What a VMM learns about the host PMUs (sysfs {@code event_source/devices/<pmu>/cpus}) to choose one. */
final class HostPmus {
    /** One host PMU as a candidate for a VM: its CPUs that the VM may use and its counters. */
    record Candidate(String pmu, int[] cpusForVm, int counters, int hostOrder) {}

    private HostPmus() {}

    /** The CPUs of {@code pmu} that are also in {@code allowed}, ascending. */
    static int[] cpusForVm(HostView host, String pmu, int[] allowed) {
        int[] sortedAllowed = allowed.clone();
        Arrays.sort(sortedAllowed);
        return Arrays.stream(host.pmuCpus(pmu))
                .filter(c -> Arrays.binarySearch(sortedAllowed, c) >= 0)
                .sorted()
                .toArray();
    }

    /**
     * The host PMUs that cover at least one of the VM's allowed CPUs, best first for {@code largest}:
     * most of the VM's CPUs (SET_PMU confines the VM to them), then most event counters (the
     * guest's PMCR.N), then the host's own order of PMUs (KVM's registration order, as QEMU breaks
     * ties deterministically, kvm-vpmu-uapi.md §4.5).
     */
    static List<Candidate> largestFirst(HostView host, int[] allowed) {
        List<Candidate> out = new ArrayList<>();
        List<String> names = host.pmuNames();
        for (int i = 0; i < names.size(); i++) {
            String pmu = names.get(i);
            int[] cpus = cpusForVm(host, pmu, allowed);
            if (cpus.length == 0) {
                continue;
            }
            out.add(new Candidate(pmu, cpus, host.cpu(cpus[0]).counters(), i));
        }
        out.sort(Comparator.comparingInt((Candidate c) -> -c.cpusForVm().length)
                .thenComparingInt(c -> -c.counters())
                .thenComparingInt(Candidate::hostOrder));
        return out;
    }
}
