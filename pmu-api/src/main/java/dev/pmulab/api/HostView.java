package dev.pmulab.api;

import java.util.List;

/** A read-only view of the host: its CPUs, its perf PMUs, VHE or nVHE, the current time. */
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
}
