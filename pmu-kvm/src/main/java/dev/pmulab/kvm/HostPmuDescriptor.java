package dev.pmulab.kvm;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.PmuConfig;
import java.util.Arrays;

/**
 * One host perf PMU as Linux registers it for one core type: its name ({@code armv8_cortex_a76}),
 * its perf type number, the CPUs it covers and the PMU hardware of those CPUs.
 *
 * @param name the perf PMU name, as /sys/bus/event_source/devices shows it
 * @param type the perf PMU type number (what KVM_ARM_VCPU_PMU_V3_SET_PMU takes)
 * @param cpus the CPUs it covers, ascending (its cpumask)
 * @param hardware the PMU of each of those CPUs (N, version, features, events)
 */
public record HostPmuDescriptor(String name, int type, int[] cpus, PmuConfig hardware) {
    public HostPmuDescriptor {
        requireNonNull(name, "name is null");
        requireNonNull(cpus, "cpus is null");
        requireNonNull(hardware, "hardware is null");
        cpus = cpus.clone();
        Arrays.sort(cpus);
        if (cpus.length == 0) {
            throw new IllegalArgumentException("PMU " + name + " covers no CPU");
        }
    }

    @Override
    public int[] cpus() {
        return cpus.clone();
    }

    public boolean covers(int cpu) {
        return Arrays.binarySearch(cpus, cpu) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostPmuDescriptor d
                && name.equals(d.name)
                && type == d.type
                && Arrays.equals(cpus, d.cpus)
                && hardware.equals(d.hardware);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + type) + Arrays.hashCode(cpus);
    }

    @Override
    public String toString() {
        return "HostPmuDescriptor[" + name + ", type=" + type + ", cpus=" + Arrays.toString(cpus) + ", " + hardware
                + "]";
    }
}
