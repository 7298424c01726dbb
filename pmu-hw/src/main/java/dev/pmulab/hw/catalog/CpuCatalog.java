package dev.pmulab.hw.catalog;

import static dev.pmulab.hw.catalog.Sourced.archImplied;
import static dev.pmulab.hw.catalog.Sourced.assumed;
import static dev.pmulab.hw.catalog.Sourced.known;

import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.catalog.CpuModel.PmcrId;
import java.util.List;

/**
 * The CPU cores the model knows (pmuv3-architecture.md §7, "Catalogue of real CPU PMUs"). Every
 * value carries its provenance; where the reference says "unknown" the value is an
 * {@link Provenance#ASSUMED} default chosen so that no entry is architecturally impossible.
 *
 * <p>Linux names ({@code armv8_cortex_a76}, {@code armv9_cortex_a510}) are those of
 * drivers/perf/arm_pmuv3.c; the A520/A715/A720/X3/X4 and V2/V3/V3AE ones were added to it later
 * than the 6.8-era tree (Rob Herring's and Andre Przywara's patches).
 */
public final class CpuCatalog {

    private static final String REF = "pmuv3-architecture.md §7: ";

    // Values shared by many rows; each says why it holds.
    private static final Sourced<Boolean> NO_FGT_BEFORE_V85 =
            archImplied(false, REF + "FEAT_FGT is optional only from v8.5");
    private static final Sourced<Boolean> NO_HPMN0_BEFORE_V85 =
            archImplied(false, REF + "FEAT_HPMN0 is optional only from v8.5");
    private static final Sourced<Boolean> NO_BRBE_BEFORE_V91 =
            archImplied(false, REF + "FEAT_BRBE is optional only from v9.1");
    private static final Sourced<Boolean> FGT_MANDATORY =
            archImplied(true, REF + "FEAT_FGT is mandatory from v8.6 (v9.1) with EL2");
    private static final Sourced<Integer> N_UNKNOWN =
            assumed(6, REF + "N unknown; assumed 6, the N of every known Arm core but the A710");
    private static final Sourced<Boolean> FGT_UNKNOWN_V90 =
            assumed(false, REF + "FGT unknown; assumed absent, as on the A710 and N2 (ID_AA64MMFR0.FGT=0)");
    private static final Sourced<Boolean> HPMN0_UNKNOWN_NO_FGT =
            assumed(false, REF + "HPMN0 unknown; assumed absent (it requires FEAT_FGT, assumed absent)");
    private static final Sourced<Boolean> HPMN0_UNKNOWN =
            assumed(false, REF + "HPMN0 unknown (optional until v8.8); assumed absent");
    private static final Sourced<Boolean> BRBE_UNKNOWN_V92 =
            assumed(false, REF + "BRBE unknown (not in LLVM's feature list for the core); assumed absent");
    private static final Sourced<Boolean> BRBE_LLVM = known(true, REF + "LLVM AArch64Processors.td lists FeatureBRBE");
    private static final Sourced<PmuVersion> P1_V82 =
            archImplied(PmuVersion.P1, REF + "v8.2 core: PMUv3p1 (mandatory from v8.1)");
    private static final Sourced<PmuVersion> P5_V90 =
            archImplied(PmuVersion.P5, REF + "v9.0 (includes v8.5) makes PMUv3p5 mandatory");
    private static final Sourced<PmuVersion> P7_V92 =
            archImplied(PmuVersion.P7, REF + "v9.2 (includes v8.7) makes PMUv3p7 mandatory");
    private static final Sourced<PmcrId> PMCR_UNKNOWN_ARM_V8 =
            assumed(new PmcrId(0x41, 0x00), "PMCR_EL0 not in the reference; assumed IMP 0x41 (Arm), IDCODE 0");
    private static final Sourced<PmcrId> PMCR_UNKNOWN_V9 = assumed(
            new PmcrId(0x00, 0x00),
            "PMCR_EL0 not in the reference; assumed IMP/IDCODE 0, as the A710's 0xa000 and N2's 0x3000");

    private static final List<CpuModel> ALL = List.of(
            // Armv8.0
            new CpuModel(
                    "cortex-a35",
                    "Cortex-A35",
                    "arm,cortex-a35-pmu",
                    "armv8_cortex_a35",
                    ArchLevel.V8_0,
                    known(6, REF + "TRM 100236 C10.6, six counters"),
                    known(PmuVersion.V3, "QEMU cortex-a35 ID_AA64DFR0 0x10305106: PMUVer 1"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x41, 0x0a), "QEMU cortex-a35 PMCR_EL0 reset 0x410a3000")),
            new CpuModel(
                    "cortex-a53",
                    "Cortex-A53",
                    "arm,cortex-a53-pmu",
                    "armv8_cortex_a53",
                    ArchLevel.V8_0,
                    known(6, REF + "QEMU PMCR_EL0 0x41033000; boot logs '7 counters'"),
                    known(PmuVersion.V3, REF + "ID_AA64DFR0 PMUVer 1"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x41, 0x03), REF + "QEMU PMCR_EL0 0x41033000")),
            new CpuModel(
                    "cortex-a57",
                    "Cortex-A57",
                    "arm,cortex-a57-pmu",
                    "armv8_cortex_a57",
                    ArchLevel.V8_0,
                    known(6, REF + "QEMU PMCR_EL0 0x41013000"),
                    archImplied(PmuVersion.V3, REF + "v8.0 core: PMUv3"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x41, 0x01), REF + "QEMU PMCR_EL0 0x41013000")),
            new CpuModel(
                    "cortex-a72",
                    "Cortex-A72",
                    "arm,cortex-a72-pmu",
                    "armv8_cortex_a72",
                    ArchLevel.V8_0,
                    known(6, REF + "QEMU PMCR_EL0 0x41023000; boot logs"),
                    known(PmuVersion.V3, "QEMU cortex-a72 ID_AA64DFR0 0x10305106: PMUVer 1"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x41, 0x02), REF + "QEMU PMCR_EL0 0x41023000")),
            // Armv8.2
            new CpuModel(
                    "cortex-a55",
                    "Cortex-A55",
                    "arm,cortex-a55-pmu",
                    "armv8_cortex_a55",
                    ArchLevel.V8_2,
                    known(6, REF + "QEMU A55 PMCR N=6; boot log '7 (0,8000003f)'"),
                    known(PmuVersion.P1, REF + "ID_AA64DFR0 PMUVer 4"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x41, 0x0b), "QEMU cortex-a55 PMCR_EL0 reset 0x410b3000 (from TRM D5.4)")),
            new CpuModel(
                    "cortex-a76",
                    "Cortex-A76",
                    "arm,cortex-a76-pmu",
                    "armv8_cortex_a76",
                    ArchLevel.V8_2,
                    known(6, REF + "TRM 100798 D5.4, six counters; QEMU PMCR_EL0 0x410b3000"),
                    known(PmuVersion.P1, REF + "ID_AA64DFR0 PMUVer 4"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x41, 0x0b), REF + "QEMU PMCR_EL0 0x410b3000")),
            new CpuModel(
                    "cortex-a77",
                    "Cortex-A77",
                    "arm,cortex-a77-pmu",
                    "armv8_cortex_a77",
                    ArchLevel.V8_2,
                    known(6, REF + "TRM 101111, the PMU provides six counters"),
                    P1_V82,
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    PMCR_UNKNOWN_ARM_V8),
            new CpuModel(
                    "cortex-a78",
                    "Cortex-A78",
                    "arm,cortex-a78-pmu",
                    "armv8_cortex_a78",
                    ArchLevel.V8_2,
                    known(6, REF + "boot log a78 '7 counters'"),
                    known(PmuVersion.P1, REF + "ID_AA64DFR0 PMUVer 4 (A78/A78AE row)"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    PMCR_UNKNOWN_ARM_V8),
            // Linux has no A78AE-specific compatible: a DT uses the generic one (or the A78's).
            new CpuModel(
                    "cortex-a78ae",
                    "Cortex-A78AE",
                    "arm,armv8-pmuv3",
                    "armv8_pmuv3",
                    ArchLevel.V8_2,
                    known(6, REF + "QEMU A78AE PMCR_EL0 0x41223000"),
                    known(PmuVersion.P1, REF + "ID_AA64DFR0 PMUVer 4 (QEMU A78AE)"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x41, 0x22), REF + "QEMU A78AE PMCR_EL0 0x41223000")),
            new CpuModel(
                    "cortex-x1",
                    "Cortex-X1",
                    "arm,cortex-x1-pmu",
                    "armv8_cortex_x1",
                    ArchLevel.V8_2,
                    assumed(6, REF + "N unknown (likely 6); assumed 6"),
                    P1_V82,
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    PMCR_UNKNOWN_ARM_V8),
            new CpuModel(
                    "neoverse-n1",
                    "Neoverse N1",
                    "arm,neoverse-n1-pmu",
                    "armv8_neoverse_n1",
                    ArchLevel.V8_2,
                    known(6, REF + "QEMU PMCR_EL0 0x410c3000; libpfm4 6"),
                    known(PmuVersion.P1, REF + "ID_AA64DFR0 PMUVer 4"),
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x41, 0x0c), REF + "QEMU PMCR_EL0 0x410c3000")),
            // Fujitsu's own core; Linux has no compatible for it, and A64FX machines boot with ACPI.
            new CpuModel(
                    "a64fx",
                    "Fujitsu A64FX",
                    "arm,armv8-pmuv3",
                    "armv8_pmuv3",
                    ArchLevel.V8_2,
                    known(8, REF + "QEMU PMCR_EL0 0x46014040"),
                    P1_V82,
                    NO_FGT_BEFORE_V85,
                    NO_HPMN0_BEFORE_V85,
                    NO_BRBE_BEFORE_V91,
                    known(new PmcrId(0x46, 0x01), REF + "QEMU PMCR_EL0 0x46014040")),
            // Armv8.4
            new CpuModel(
                    "neoverse-v1",
                    "Neoverse V1",
                    "arm,neoverse-v1-pmu",
                    "armv8_neoverse_v1",
                    ArchLevel.V8_4,
                    known(6, REF + "QEMU PMCR_EL0 0x41213000; libpfm4 6"),
                    known(PmuVersion.P4, REF + "ID_AA64DFR0 PMUVer 5"),
                    NO_FGT_BEFORE_V85,
                    known(false, REF + "TRM ID_AA64DFR0 (copied by QEMU): HPMN0=0"),
                    known(false, REF + "TRM ID_AA64DFR0 (copied by QEMU): BRBE=0"),
                    known(new PmcrId(0x41, 0x21), REF + "QEMU PMCR_EL0 0x41213000")),
            // Armv8.6. Linux has no AmpereOne compatible; AmpereOne servers boot with ACPI.
            new CpuModel(
                    "ampereone",
                    "AmpereOne",
                    "arm,armv8-pmuv3",
                    "armv8_pmuv3",
                    ArchLevel.V8_6,
                    N_UNKNOWN,
                    archImplied(PmuVersion.P5, REF + "v8.6 makes PMUv3p5 mandatory (AmpereOne-B, v8.7, would be p7)"),
                    FGT_MANDATORY,
                    HPMN0_UNKNOWN,
                    NO_BRBE_BEFORE_V91,
                    PMCR_UNKNOWN_V9),
            // Armv9.0
            new CpuModel(
                    "cortex-a510",
                    "Cortex-A510",
                    "arm,cortex-a510-pmu",
                    "armv9_cortex_a510",
                    ArchLevel.V9_0,
                    N_UNKNOWN,
                    P5_V90,
                    FGT_UNKNOWN_V90,
                    HPMN0_UNKNOWN_NO_FGT,
                    NO_BRBE_BEFORE_V91,
                    PMCR_UNKNOWN_V9),
            new CpuModel(
                    "cortex-a710",
                    "Cortex-A710",
                    "arm,cortex-a710-pmu",
                    "armv9_cortex_a710",
                    ArchLevel.V9_0,
                    known(20, REF + "QEMU a710 PMCR_EL0 0xa000, 20 counters (TRM B.5.2)"),
                    known(PmuVersion.P5, REF + "ID_AA64DFR0 0x..10305619: PMUVer 6"),
                    known(false, REF + "ID_AA64MMFR0.FGT=0"),
                    known(false, REF + "TRM ID_AA64DFR0 (copied by QEMU): HPMN0=0"),
                    known(false, REF + "TRM ID_AA64DFR0 (copied by QEMU): BRBE=0"),
                    known(new PmcrId(0x00, 0x00), REF + "QEMU a710 PMCR_EL0 0xa000")),
            new CpuModel(
                    "cortex-a715",
                    "Cortex-A715",
                    "arm,cortex-a715-pmu",
                    "armv9_cortex_a715",
                    ArchLevel.V9_0,
                    N_UNKNOWN,
                    P5_V90,
                    FGT_UNKNOWN_V90,
                    HPMN0_UNKNOWN_NO_FGT,
                    NO_BRBE_BEFORE_V91,
                    PMCR_UNKNOWN_V9),
            new CpuModel(
                    "cortex-x3",
                    "Cortex-X3",
                    "arm,cortex-x3-pmu",
                    "armv9_cortex_x3",
                    ArchLevel.V9_0,
                    N_UNKNOWN,
                    P5_V90,
                    FGT_UNKNOWN_V90,
                    HPMN0_UNKNOWN_NO_FGT,
                    NO_BRBE_BEFORE_V91,
                    PMCR_UNKNOWN_V9),
            new CpuModel(
                    "neoverse-n2",
                    "Neoverse N2",
                    "arm,neoverse-n2-pmu",
                    "armv9_neoverse_n2",
                    ArchLevel.V9_0,
                    known(6, REF + "QEMU PMCR_EL0 0x3000, 6 counters; libpfm4 6"),
                    known(PmuVersion.P5, REF + "ID_AA64DFR0 PMUVer 6"),
                    known(false, REF + "ID_AA64MMFR0.FGT=0"),
                    known(false, REF + "TRM ID_AA64DFR0 (copied by QEMU): HPMN0=0"),
                    known(false, REF + "TRM ID_AA64DFR0 (copied by QEMU): BRBE=0"),
                    known(new PmcrId(0x00, 0x00), REF + "QEMU PMCR_EL0 0x3000")),
            new CpuModel(
                    "neoverse-v2",
                    "Neoverse V2",
                    "arm,neoverse-v2-pmu",
                    "armv8_neoverse_v2",
                    ArchLevel.V9_0,
                    known(6, REF + "libpfm4 arm_v2 6"),
                    P5_V90,
                    FGT_UNKNOWN_V90,
                    HPMN0_UNKNOWN_NO_FGT,
                    NO_BRBE_BEFORE_V91,
                    PMCR_UNKNOWN_V9),
            // Armv9.2
            new CpuModel(
                    "cortex-a520",
                    "Cortex-A520",
                    "arm,cortex-a520-pmu",
                    "armv9_cortex_a520",
                    ArchLevel.V9_2,
                    N_UNKNOWN,
                    P7_V92,
                    FGT_MANDATORY,
                    HPMN0_UNKNOWN,
                    BRBE_UNKNOWN_V92,
                    PMCR_UNKNOWN_V9),
            new CpuModel(
                    "cortex-a720",
                    "Cortex-A720",
                    "arm,cortex-a720-pmu",
                    "armv9_cortex_a720",
                    ArchLevel.V9_2,
                    N_UNKNOWN,
                    P7_V92,
                    FGT_MANDATORY,
                    HPMN0_UNKNOWN,
                    BRBE_UNKNOWN_V92,
                    PMCR_UNKNOWN_V9),
            new CpuModel(
                    "cortex-x4",
                    "Cortex-X4",
                    "arm,cortex-x4-pmu",
                    "armv9_cortex_x4",
                    ArchLevel.V9_2,
                    N_UNKNOWN,
                    P7_V92,
                    FGT_MANDATORY,
                    HPMN0_UNKNOWN,
                    BRBE_UNKNOWN_V92,
                    PMCR_UNKNOWN_V9),
            new CpuModel(
                    "neoverse-v3",
                    "Neoverse V3",
                    "arm,neoverse-v3-pmu",
                    "armv8_neoverse_v3",
                    ArchLevel.V9_2,
                    N_UNKNOWN,
                    P7_V92,
                    FGT_MANDATORY,
                    HPMN0_UNKNOWN,
                    BRBE_LLVM,
                    PMCR_UNKNOWN_V9),
            new CpuModel(
                    "neoverse-v3ae",
                    "Neoverse V3AE",
                    "arm,neoverse-v3ae-pmu",
                    "armv8_neoverse_v3ae",
                    ArchLevel.V9_2,
                    N_UNKNOWN,
                    P7_V92,
                    FGT_MANDATORY,
                    HPMN0_UNKNOWN,
                    BRBE_LLVM,
                    PMCR_UNKNOWN_V9));

    private static final ByName<CpuModel> BY_NAME = new ByName<>("CPU", ALL, CpuModel::name);

    private CpuCatalog() {}

    /** Every core, in catalog order (by architecture level, then family). */
    public static List<CpuModel> all() {
        return ALL;
    }

    /** Every core's name, in catalog order. */
    public static List<String> names() {
        return BY_NAME.names();
    }

    /**
     * The core named {@code name}, ignoring case.
     *
     * @throws IllegalArgumentException for an unknown name; the message lists every known one
     */
    public static CpuModel byName(String name) {
        return BY_NAME.get(name);
    }
}
