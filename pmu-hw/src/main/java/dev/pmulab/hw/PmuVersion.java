package dev.pmulab.hw;

import dev.pmulab.hw.regs.PmevtyperEl0;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * PMU architecture versions, with ID_AA64DFR0_EL1.PMUVer encodings (Arm ARM D24.2.80). Each later
 * version includes what the earlier ones add.
 */
public enum PmuVersion {
    /** PMUv3 (Armv8.0): 32-bit event counters, 10-bit event numbers. */
    V3("v3", 0b0001),
    /** PMUv3p1 (Armv8.1): 16-bit event numbers, PMCEID upper halves, MDCR_EL2.HPMD. */
    P1("p1", 0b0100),
    /** PMUv3p4 (Armv8.4): PMMIR_EL1. */
    P4("p4", 0b0101),
    /** PMUv3p5 (Armv8.5): 64-bit event counters, PMCR_EL0.LP, MDCR_EL2.HLP and HCCD. */
    P5("p5", 0b0110),
    /** PMUv3p7 (Armv8.7): freeze on overflow (PMCR_EL0.FZO, MDCR_EL2.HPMFZO); PMCR_EL0.IMP and IDCODE RAZ. */
    P7("p7", 0b0111),
    /** PMUv3p8 (Armv8.8): unsupported event numbers count nothing and read back as written. */
    P8("p8", 0b1000),
    /** PMUv3p9 (Armv8.9): PMUSERENR_EL0.UEN and TID. */
    P9("p9", 0b1001);

    private final String shortName;
    private final int pmuVer;

    PmuVersion(String shortName, int pmuVer) {
        this.shortName = shortName;
        this.pmuVer = pmuVer;
    }

    /** The name pmuscript and scenario files use: {@code v3}, {@code p1}, ... {@code p9}. */
    public String shortName() {
        return shortName;
    }

    /** ID_AA64DFR0_EL1.PMUVer for this version. */
    public int idAa64dfr0PmuVer() {
        return pmuVer;
    }

    public boolean atLeast(PmuVersion other) {
        return compareTo(other) >= 0;
    }

    /** p1: PMEVTYPER.evtCount is 16 bits rather than 10. */
    public int eventNumberMask() {
        return (int) (atLeast(P1) ? PmevtyperEl0.EVTCOUNT_MASK : PmevtyperEl0.EVTCOUNT_V3_MASK);
    }

    public static PmuVersion fromShortName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (PmuVersion v : values()) {
            if (v.shortName.equals(n) || v.name().toLowerCase(Locale.ROOT).equals(n)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown PMU version '" + name + "'; known: "
                + Arrays.stream(values()).map(PmuVersion::shortName).collect(Collectors.joining(", ")));
    }
}
