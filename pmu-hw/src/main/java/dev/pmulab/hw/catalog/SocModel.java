package dev.pmulab.hw.catalog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A system on chip: its cores in Linux CPU-number order, how its firmware describes the PMUs, and
 * where the topology comes from (pmuv3-architecture.md §8).
 *
 * <p>CPUs are numbered from 0 through the clusters in order: the first cluster's CPUs come first.
 *
 * @param name stable lower-case name, {@code sm8550}
 * @param displayName the vendor's name, {@code Qualcomm Snapdragon 8 Gen 2 (SM8550)}
 * @param firmware how the PMUs are described, which decides their perf names
 * @param clusters runs of consecutively numbered CPUs of one core type, in CPU-number order
 * @param provenance where the core counts and numbering come from, one line each
 * @param topologyAssumptions what the entry assumes about the topology itself (unverified numbering, ...)
 */
public record SocModel(
        String name,
        String displayName,
        Firmware firmware,
        List<Cluster> clusters,
        List<String> provenance,
        List<String> topologyAssumptions) {

    /** How the firmware describes the PMUs to Linux. */
    public enum Firmware {
        /**
         * One DT node per core type ({@code arm,cortex-a76-pmu}, interrupts on a PPI partition):
         * each PMU takes the name of its compatible ({@link CpuModel#perfPmuName()}).
         */
        DEVICE_TREE,
        /**
         * ACPI (MADT GICC entries): Linux probes every core type with the generic PMUv3 init and names
         * the PMUs {@code armv8_pmuv3_0}, {@code armv8_pmuv3_1}, ... in order of their first CPU
         * (drivers/perf/arm_pmu_acpi.c, arm_pmu_acpi_probe).
         */
        ACPI
    }

    /**
     * A run of consecutively numbered CPUs of one core type: what one DT PPI partition of the PMU
     * interrupt covers.
     */
    public record Cluster(CpuModel cpu, int count) {
        public Cluster {
            requireNonNull(cpu, "cpu is null");
            if (count < 1) {
                throw new IllegalArgumentException("a cluster needs at least one CPU, was " + count);
            }
        }
    }

    public SocModel {
        requireNonNull(name, "name is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(firmware, "firmware is null");
        clusters = List.copyOf(clusters);
        provenance = List.copyOf(provenance);
        topologyAssumptions = List.copyOf(topologyAssumptions);
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("SoC name must be lower-case words joined by '-', was '" + name + "'");
        }
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("SoC " + name + " has no CPU");
        }
        // One PMU per core type: two clusters of one type must be the same core, or Linux would see
        // one compatible with two different PMUs.
        Map<String, CpuModel> types = new LinkedHashMap<>();
        for (Cluster c : clusters) {
            CpuModel seen = types.putIfAbsent(c.cpu().name(), c.cpu());
            if (seen != null && !seen.equals(c.cpu())) {
                throw new IllegalArgumentException("SoC " + name + " has two different "
                        + c.cpu().name() + " models; override a core type in every cluster of it or in none");
            }
        }
        if (firmware == Firmware.DEVICE_TREE) {
            Set<String> perfNames = new LinkedHashSet<>();
            for (CpuModel c : types.values()) {
                if (!perfNames.add(c.perfPmuName())) {
                    throw new IllegalArgumentException("SoC " + name + ": two core types would both register the"
                            + " perf PMU " + c.perfPmuName());
                }
            }
        }
    }

    public int cpuCount() {
        int count = 0;
        for (Cluster c : clusters) {
            count += c.count();
        }
        return count;
    }

    /** The core type of CPU {@code cpu} (Linux numbering). */
    public CpuModel cpu(int cpu) {
        if (cpu >= 0) {
            int first = 0;
            for (Cluster c : clusters) {
                if (cpu < first + c.count()) {
                    return c.cpu();
                }
                first += c.count();
            }
        }
        throw new IndexOutOfBoundsException(
                "CPU " + cpu + " out of range for " + name + " (0.." + (cpuCount() - 1) + ")");
    }

    /** The distinct core types, in order of their first CPU. */
    public List<CpuModel> coreTypes() {
        Map<String, CpuModel> types = new LinkedHashMap<>();
        for (Cluster c : clusters) {
            types.putIfAbsent(c.cpu().name(), c.cpu());
        }
        return List.copyOf(types.values());
    }

    /** The host perf PMUs Linux registers, one per core type, in order of their first CPU. */
    public List<ArmPmu> pmus() {
        List<CpuModel> types = coreTypes();
        List<ArmPmu> pmus = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            CpuModel type = types.get(i);
            String perfName = firmware == Firmware.ACPI ? "armv8_pmuv3_" + i : type.perfPmuName();
            pmus.add(new ArmPmu(perfName, type, cpusOf(type)));
        }
        return pmus;
    }

    /** The PMU covering CPU {@code cpu}: the one KVM gives a VM whose first vCPU is set up there. */
    public ArmPmu pmuFor(int cpu) {
        String type = cpu(cpu).name();
        for (ArmPmu p : pmus()) {
            if (p.cpu().name().equals(type)) {
                return p;
            }
        }
        throw new IllegalStateException("no PMU for CPU " + cpu + " of " + name);
    }

    /** More than one core type, hence more than one host PMU. */
    public boolean heterogeneous() {
        return coreTypes().size() > 1;
    }

    /** What a result on this SoC leans on: the topology assumptions, then each core type's. */
    public List<String> assumptions() {
        List<String> out = new ArrayList<>(topologyAssumptions);
        for (CpuModel c : coreTypes()) {
            out.addAll(c.assumptions());
        }
        return out;
    }

    private int[] cpusOf(CpuModel type) {
        List<Integer> cpus = new ArrayList<>();
        int first = 0;
        for (Cluster c : clusters) {
            if (c.cpu().name().equals(type.name())) {
                for (int i = 0; i < c.count(); i++) {
                    cpus.add(first + i);
                }
            }
            first += c.count();
        }
        return cpus.stream().mapToInt(Integer::intValue).toArray();
    }
}
