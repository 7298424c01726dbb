package dev.pmulab.hw.catalog;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuConfig;
import dev.pmulab.hw.PmuVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One CPU core type's PMU as the catalog knows it (pmuv3-architecture.md §7): the names Linux uses
 * for it, its architecture level, and for each PMU parameter the value and where it comes from.
 * Unknown values are {@link Provenance#ASSUMED} defaults, listed by {@link #assumptions()}; the
 * {@code with...} methods override one value and mark it {@link Provenance#OVERRIDDEN}.
 *
 * @param name stable lower-case name, {@code cortex-a76}, {@code neoverse-n1}, {@code ampereone}
 * @param displayName the vendor's name, {@code Cortex-A76}
 * @param dtCompatible the PMU node's device-tree compatible Linux matches, {@code arm,cortex-a76-pmu};
 *     {@code arm,armv8-pmuv3} where Linux has no core-specific one
 * @param perfPmuName the perf PMU name Linux registers from that compatible, {@code armv8_cortex_a76}.
 *     On an ACPI host Linux ignores it and names PMUs {@code armv8_pmuv3_<index>} ({@link SocModel})
 * @param arch the architecture level
 * @param n PMCR_EL0.N as read at EL2: the number of event counters
 * @param version the PMU architecture version (ID_AA64DFR0_EL1.PMUVer)
 * @param fgt FEAT_FGT
 * @param hpmn0 FEAT_HPMN0
 * @param brbe FEAT_BRBE
 * @param pmcrId PMCR_EL0.IMP and IDCODE as read
 */
public record CpuModel(
        String name,
        String displayName,
        String dtCompatible,
        String perfPmuName,
        ArchLevel arch,
        Sourced<Integer> n,
        Sourced<PmuVersion> version,
        Sourced<Boolean> fgt,
        Sourced<Boolean> hpmn0,
        Sourced<Boolean> brbe,
        Sourced<PmcrId> pmcrId) {

    /** PMCR_EL0.IMP [31:24] and IDCODE [23:16]; deprecated from PMUv3p5, both read 0 from p7. */
    public record PmcrId(int imp, int idcode) {
        public PmcrId {
            if (imp < 0 || imp > 0xff || idcode < 0 || idcode > 0xff) {
                throw new IllegalArgumentException(
                        String.format("IMP and IDCODE are 8-bit fields, were 0x%x/0x%x", imp, idcode));
            }
        }

        @Override
        public String toString() {
            return String.format("0x%02x/0x%02x", imp, idcode);
        }
    }

    /**
     * Common events every PMUv3 core in the catalog is modelled with. The reference has no per-core
     * event lists, so this is a model choice, not a TRM fact: the events the brief requires, the
     * ones Linux's generic perf map and {@code perf stat -d} open (cycles, instructions, L1D and L1I
     * refills, TLB refills, branch mispredicts, bus cycles, front/back-end stalls), and the
     * exception and memory-access events. CHAIN is listed so PMCEID0 advertises it, as real cores do.
     */
    private static final int[] PMUV3_EVENTS = {
        Events.SW_INCR,
        Events.L1I_CACHE_REFILL,
        Events.L1I_TLB_REFILL,
        Events.L1D_CACHE_REFILL,
        Events.L1D_CACHE,
        Events.L1D_TLB_REFILL,
        Events.INST_RETIRED,
        Events.EXC_TAKEN,
        Events.EXC_RETURN,
        Events.BR_MIS_PRED,
        Events.CPU_CYCLES,
        Events.BR_PRED,
        Events.MEM_ACCESS,
        Events.L1I_CACHE,
        Events.L2D_CACHE,
        Events.L2D_CACHE_REFILL,
        Events.BUS_ACCESS,
        Events.BUS_CYCLES,
        Events.CHAIN,
        Events.STALL_FRONTEND,
        Events.STALL_BACKEND,
    };

    /** Added from PMUv3p1 (v8.1 and later cores): speculation, retired branches and TLB accesses. */
    private static final int[] PMUV3P1_EVENTS = {
        Events.INST_SPEC,
        Events.BR_RETIRED,
        Events.BR_MIS_PRED_RETIRED,
        Events.L1D_TLB,
        Events.L2D_TLB_REFILL,
        Events.L2D_TLB,
    };

    /** Added from PMUv3p5: STALL, which pmuscript's default (p5) configuration also implements. */
    private static final int[] PMUV3P5_EVENTS = {Events.STALL};

    public CpuModel {
        requireNonNull(name, "name is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(dtCompatible, "dtCompatible is null");
        requireNonNull(perfPmuName, "perfPmuName is null");
        requireNonNull(arch, "arch is null");
        requireNonNull(n, "n is null");
        requireNonNull(version, "version is null");
        requireNonNull(fgt, "fgt is null");
        requireNonNull(hpmn0, "hpmn0 is null");
        requireNonNull(brbe, "brbe is null");
        requireNonNull(pmcrId, "pmcrId is null");
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("CPU name must be lower-case words joined by '-', was '" + name + "'");
        }
        if (n.value() < 0 || n.value() > 31) {
            throw new IllegalArgumentException("N must be 0..31 (PMCR_EL0.N), was " + n.value() + " for " + name);
        }
    }

    /** The PMU this core's PEs run in the model; events follow the PMU version (see {@link #eventsFor}). */
    public PmuConfig pmuConfig() {
        return PmuConfig.builder()
                .n(n.value())
                .version(version.value())
                .fgt(fgt.value())
                .hpmn0(hpmn0.value())
                .brbe(brbe.value())
                .imp(pmcrId.value().imp())
                .idcode(pmcrId.value().idcode())
                .events(events())
                .build();
    }

    /** The implemented common events, ascending. */
    public int[] events() {
        return eventsFor(version.value());
    }

    /** The catalog's common event set for a PMU version (a model choice; see docs/hardware-catalog.md). */
    public static int[] eventsFor(PmuVersion version) {
        IntStream events = Arrays.stream(PMUV3_EVENTS);
        if (version.atLeast(PmuVersion.P1)) {
            events = IntStream.concat(events, Arrays.stream(PMUV3P1_EVENTS));
        }
        if (version.atLeast(PmuVersion.P5)) {
            events = IntStream.concat(events, Arrays.stream(PMUV3P5_EVENTS));
        }
        return events.sorted().toArray();
    }

    public CpuModel withN(int newN) {
        return new CpuModel(
                name,
                displayName,
                dtCompatible,
                perfPmuName,
                arch,
                n.overriddenBy(newN, String.valueOf(n.value())),
                version,
                fgt,
                hpmn0,
                brbe,
                pmcrId);
    }

    public CpuModel withVersion(PmuVersion newVersion) {
        return new CpuModel(
                name,
                displayName,
                dtCompatible,
                perfPmuName,
                arch,
                n,
                version.overriddenBy(newVersion, pmuVersionName(version.value())),
                fgt,
                hpmn0,
                brbe,
                pmcrId);
    }

    public CpuModel withFgt(boolean newFgt) {
        return new CpuModel(
                name,
                displayName,
                dtCompatible,
                perfPmuName,
                arch,
                n,
                version,
                fgt.overriddenBy(newFgt, flag(fgt.value())),
                hpmn0,
                brbe,
                pmcrId);
    }

    public CpuModel withHpmn0(boolean newHpmn0) {
        return new CpuModel(
                name,
                displayName,
                dtCompatible,
                perfPmuName,
                arch,
                n,
                version,
                fgt,
                hpmn0.overriddenBy(newHpmn0, flag(hpmn0.value())),
                brbe,
                pmcrId);
    }

    public CpuModel withBrbe(boolean newBrbe) {
        return new CpuModel(
                name,
                displayName,
                dtCompatible,
                perfPmuName,
                arch,
                n,
                version,
                fgt,
                hpmn0,
                brbe.overriddenBy(newBrbe, flag(brbe.value())),
                pmcrId);
    }

    /**
     * Every value this model uses that is not a fact of the hardware: assumed defaults and the
     * user's overrides, one line each, e.g. {@code Cortex-X4 N=6 (assumed: unknown in the reference ...)}.
     * Empty when every value is known or architecture-implied.
     */
    public List<String> assumptions() {
        List<String> out = new ArrayList<>();
        addAssumption(out, "N=" + n.value(), n);
        addAssumption(out, pmuVersionName(version.value()), version);
        addAssumption(out, "FEAT_FGT=" + flag(fgt.value()), fgt);
        addAssumption(out, "FEAT_HPMN0=" + flag(hpmn0.value()), hpmn0);
        addAssumption(out, "FEAT_BRBE=" + flag(brbe.value()), brbe);
        addAssumption(out, "PMCR_EL0.IMP/IDCODE=" + pmcrId.value(), pmcrId);
        return out;
    }

    private void addAssumption(List<String> out, String shown, Sourced<?> value) {
        if (!value.provenance().isFact()) {
            out.add(displayName + " " + shown + " (" + value.provenance().label() + ": " + value.source() + ")");
        }
    }

    /**
     * What makes this combination impossible on real hardware: the PMU rules of
     * {@link PmuConfig#architecturalViolations()} and the rules of the core's architecture level.
     * Empty for every catalog entry; overrides may break them, deliberately, to study a what-if.
     */
    public List<String> architecturalViolations() {
        List<String> v = new ArrayList<>();
        for (String s : pmuConfig().architecturalViolations()) {
            v.add(displayName + ": " + s);
        }
        for (String s : arch.violations(version.value(), fgt.value(), hpmn0.value(), brbe.value())) {
            v.add(displayName + ": " + s);
        }
        return v;
    }

    /** {@code PMUv3}, {@code PMUv3p1}, ... as the Arm ARM names versions. */
    static String pmuVersionName(PmuVersion v) {
        return v == PmuVersion.V3 ? "PMUv3" : "PMUv3" + v.shortName();
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }
}
