package dev.pmulab.hw.regs;

/**
 * MDCR_EL2, the PMU fields of the EL2 monitor debug configuration register (Arm ARM D24.3;
 * pmuv3-architecture.md §2). Linux names a field {@code MDCR_EL2_<field>} (asm/kvm_arm.h), with
 * {@code MDCR_EL2_HPMN_MASK} for {@link #HPMN_MASK}.
 */
public final class MdcrEl2 {
    /** HPMN[4:0]: event counters below it are the first range, the rest the second (EL2's). */
    public static final long HPMN_MASK = 0x1fL;
    /** TPMCR[5]: traps EL0/EL1 accesses to PMCR_EL0 to EL2. */
    public static final long TPMCR = 1L << 5;
    /** TPM[6]: traps EL0/EL1 accesses to every PMU register to EL2. */
    public static final long TPM = 1L << 6;
    /** HPME[7]: enables the second-range event counters. */
    public static final long HPME = 1L << 7;
    /** TDE[8], TDA[9], TDOSA[10], TDRA[11]: debug trap controls; no PMU effect. */
    public static final long TDE = 1L << 8;

    public static final long TDA = 1L << 9;
    public static final long TDOSA = 1L << 10;
    public static final long TDRA = 1L << 11;
    /** HPMD[17] (PMUv3p1): prohibits first-range counting at EL2. */
    public static final long HPMD = 1L << 17;
    /** HCCD[23] (PMUv3p5): PMCCNTR does not count at EL2. */
    public static final long HCCD = 1L << 23;
    /** HLP[26] (PMUv3p5): second-range event counters overflow at bit 63 rather than 31. */
    public static final long HLP = 1L << 26;
    /** HPMFZO[29] (PMUv3p7): freeze the second range while one of its counters has overflowed. */
    public static final long HPMFZO = 1L << 29;

    private MdcrEl2() {}

    /** MDCR_EL2.HPMN of {@code mdcr}, the raw value (EffectiveHPMN() is the PE's, with its reserved values). */
    public static int hpmn(long mdcr) {
        return (int) (mdcr & HPMN_MASK);
    }

    /** {@code mdcr} with its HPMN field replaced by {@code hpmn} (0..31). */
    public static long withHpmn(long mdcr, int hpmn) {
        return (mdcr & ~HPMN_MASK) | (hpmn & HPMN_MASK);
    }
}
