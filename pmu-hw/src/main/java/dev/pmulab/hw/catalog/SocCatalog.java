package dev.pmulab.hw.catalog;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.catalog.SocModel.Cluster;
import dev.pmulab.hw.catalog.SocModel.Firmware;
import java.util.List;

/**
 * The SoCs the model knows (pmuv3-architecture.md §8) and a generic homogeneous one. CPU numbering
 * follows the upstream Linux DT where there is one; otherwise it is assumed smaller cores first, as
 * SoC DTs usually number them, and the entry says so.
 */
public final class SocCatalog {

    /** The name of the generic homogeneous SoC. */
    public static final String GENERIC = "generic";

    /**
     * The generic SoC's default core and count. The Neoverse N2's PMU is the pmuscript default that
     * the shared vectors use (N=6, PMUv3p5, no FGT, HPMN0 or BRBE) and every value of it is known, so
     * a default run leans on no assumption.
     */
    public static final String GENERIC_DEFAULT_CPU = "neoverse-n2";

    public static final int GENERIC_DEFAULT_COUNT = 8;

    private static final String REF = "pmuv3-architecture.md §8: ";

    private static final List<SocModel> ALL = List.of(
            new SocModel(
                    "rk3588",
                    "Rockchip RK3588",
                    Firmware.DEVICE_TREE,
                    List.of(cluster("cortex-a55", 4), cluster("cortex-a76", 4)),
                    List.of(
                            REF + "4x Cortex-A76 + 4x Cortex-A55; two PMUs with the same N (6) and version (p1)",
                            "Linux rk3588-base.dtsi: cpu0-3 (cpu_l0..3) are the A55s, cpu4-7 (cpu_b0..3) the A76s"),
                    List.of()),
            new SocModel(
                    "sm8550",
                    "Qualcomm Snapdragon 8 Gen 2 (SM8550)",
                    Firmware.DEVICE_TREE,
                    List.of(
                            cluster("cortex-a510", 3),
                            cluster("cortex-a715", 2),
                            cluster("cortex-a710", 2),
                            cluster("cortex-x3", 1)),
                    List.of(
                            REF + "1x X3 + 2x A715 + 2x A710 + 3x A510; four PMU nodes on PPI 7, ppi_cluster0..3",
                            "Linux sm8550.dtsi: cpu0-2 A510, cpu3-4 A715, cpu5-6 A710, cpu7 X3"),
                    List.of()),
            new SocModel(
                    "sm8650",
                    "Qualcomm Snapdragon 8 Gen 3 (SM8650)",
                    Firmware.DEVICE_TREE,
                    List.of(cluster("cortex-a520", 2), cluster("cortex-a720", 5), cluster("cortex-x4", 1)),
                    List.of(
                            REF + "1x X4 + 5x A720 + 2x A520; cpu0 and cpu1 are the A520s (ppi_cluster0)",
                            "Linux sm8650.dtsi: cpu2-6 A720, cpu7 X4",
                            REF + "PMU nodes pmu-a520/a720/x4 on PPI 7 with partitions (earlier DTs had one"
                                    + " arm,armv8-pmuv3 node)"),
                    List.of()),
            new SocModel(
                    "tensor-g3",
                    "Google Tensor G3",
                    Firmware.DEVICE_TREE,
                    List.of(cluster("cortex-a510", 4), cluster("cortex-a715", 4), cluster("cortex-x3", 1)),
                    List.of(REF + "1x X3 + 4x A715 + 4x A510 (public spec)"),
                    List.of("Google Tensor G3 topology from the public spec; DT unverified, CPU numbering assumed"
                            + " smaller cores first (cpu0-3 A510, cpu4-7 A715, cpu8 X3)")),
            new SocModel(
                    "dimensity-9300",
                    "MediaTek Dimensity 9300",
                    Firmware.DEVICE_TREE,
                    List.of(cluster("cortex-a720", 4), cluster("cortex-x4", 4)),
                    List.of(REF + "4x X4 + 4x A720, all big cores: still two PMU types"),
                    List.of("MediaTek Dimensity 9300 has no upstream DT; CPU numbering assumed smaller cores first"
                            + " (cpu0-3 A720, cpu4-7 X4)")),
            new SocModel(
                    "ampere-altra",
                    "Ampere Altra (80x Neoverse N1)",
                    Firmware.ACPI,
                    List.of(cluster("neoverse-n1", 80)),
                    List.of(
                            "80x Neoverse N1, one socket (Altra Q80)",
                            "Arm server: ACPI, so Linux names the PMU armv8_pmuv3_0 (arm_pmu_acpi.c)"),
                    List.of()),
            new SocModel(
                    "graviton3",
                    "AWS Graviton3 (64x Neoverse V1)",
                    Firmware.ACPI,
                    List.of(cluster("neoverse-v1", 64)),
                    List.of(
                            "64x Neoverse V1, one socket",
                            "Arm server: ACPI, so Linux names the PMU armv8_pmuv3_0 (arm_pmu_acpi.c)"),
                    List.of()),
            generic(GENERIC_DEFAULT_CPU, GENERIC_DEFAULT_COUNT));

    private static final ByName<SocModel> BY_NAME = new ByName<>("SoC", ALL, SocModel::name);

    private SocCatalog() {}

    /** Every SoC, the generic default last. */
    public static List<SocModel> all() {
        return ALL;
    }

    public static List<String> names() {
        return BY_NAME.names();
    }

    /**
     * The SoC named {@code name}, ignoring case; {@code generic} is {@value #GENERIC_DEFAULT_COUNT}
     * {@value #GENERIC_DEFAULT_CPU} cores.
     *
     * @throws IllegalArgumentException for an unknown name; the message lists every known one
     */
    public static SocModel byName(String name) {
        return BY_NAME.get(name);
    }

    /**
     * A homogeneous SoC of {@code count} cores of one catalog type, numbered cpu0..count-1 and
     * described by a DT (so its PMU takes the core's perf name).
     *
     * @throws IllegalArgumentException for an unknown core (listing the known ones) or count &lt; 1
     */
    public static SocModel generic(String cpuName, int count) {
        return generic(CpuCatalog.byName(cpuName), count);
    }

    /** As {@link #generic(String, int)}, for a core the caller may have overridden. */
    public static SocModel generic(CpuModel cpu, int count) {
        requireNonNull(cpu, "cpu is null");
        return new SocModel(
                GENERIC,
                "Generic homogeneous SoC (" + count + "x " + cpu.displayName() + ")",
                Firmware.DEVICE_TREE,
                List.of(new Cluster(cpu, count)),
                List.of("generic: " + count + "x " + cpu.displayName() + ", numbered cpu0-" + (count - 1)
                        + ", PMU described by a DT"),
                List.of());
    }

    private static Cluster cluster(String cpuName, int count) {
        return new Cluster(CpuCatalog.byName(cpuName), count);
    }
}
