package dev.pmulab.hw.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * One host perf PMU of a SoC, as Linux's arm_pmu driver registers it: one per core type, covering
 * the CPUs of that type (perf-core-and-costs.md §4). pmu-kvm adds the perf type number.
 *
 * @param name the perf PMU name, as /sys/bus/event_source/devices shows it
 * @param cpu the core type whose PMU it is
 * @param supportedCpus the CPUs it covers, ascending (its {@code cpus} sysfs file, {@code supported_cpus})
 */
public record ArmPmu(String name, CpuModel cpu, int[] supportedCpus) {

    public ArmPmu {
        requireNonNull(name, "name is null");
        requireNonNull(cpu, "cpu is null");
        requireNonNull(supportedCpus, "supportedCpus is null");
        supportedCpus = supportedCpus.clone();
        Arrays.sort(supportedCpus);
        if (supportedCpus.length == 0) {
            throw new IllegalArgumentException("PMU " + name + " covers no CPU");
        }
    }

    @Override
    public int[] supportedCpus() {
        return supportedCpus.clone();
    }

    public boolean covers(int cpuNumber) {
        return Arrays.binarySearch(supportedCpus, cpuNumber) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArmPmu p
                && name.equals(p.name)
                && cpu.equals(p.cpu)
                && Arrays.equals(supportedCpus, p.supportedCpus);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + cpu.hashCode()) + Arrays.hashCode(supportedCpus);
    }

    @Override
    public String toString() {
        return "ArmPmu[" + name + ", " + cpu.name() + ", cpus=" + Arrays.toString(supportedCpus) + "]";
    }
}
