package dev.pmulab.api;

import java.util.List;

/**
 * A read-only view of the host: its CPUs, its perf PMUs, VHE or nVHE, its PMU version and common
 * events, the current time.
 */
@Stable(since = "0.1")
public interface HostView {
    /** Simulated time now, in ns. */
    long now();

    int cpuCount();

    CpuView cpu(int cpu);

    /** VHE host (the kernel at EL2): the only kind on which a counter partition is possible. */
    boolean vhe();

    /** The host perf PMUs, one per core type: {@code armv8_cortex_a76}, ... */
    List<String> pmuNames();

    /** The CPUs the named PMU covers, ascending. */
    int[] pmuCpus(String pmuName);

    /**
     * The host's PMU version, as the kernel's sanitised ID_AA64DFR0_EL1 reports it: the lowest of its
     * CPUs'. KVM sizes every VM's event filter from it ({@link PmuVer#eventSpace()},
     * kvm-vpmu-uapi.md §1.3).
     */
    default PmuVer pmuVersion() {
        PmuVer lowest = cpu(0).pmuVersion();
        for (int i = 1; i < cpuCount(); i++) {
            PmuVer v = cpu(i).pmuVersion();
            if (v.compareTo(lowest) < 0) {
                lowest = v;
            }
        }
        return lowest;
    }

    /** The common events every CPU implements: what a guest can count wherever its vCPUs run. */
    default CommonEvents commonEvents() {
        CommonEvents all = cpu(0).commonEvents();
        for (int i = 1; i < cpuCount(); i++) {
            all = all.and(cpu(i).commonEvents());
        }
        return all;
    }
}
