package dev.pmulab.hw.regs;

/**
 * HDFGRTR_EL2 and HDFGWTR_EL2 (FEAT_FGT): the PMU's fine-grained read and write traps to EL2, at the
 * same bit positions in both registers; {@link #READ_PMU_MASK} and {@link #WRITE_PMU_MASK} say which
 * register has which (Arm ARM D24.3; pmuv3-architecture.md §3.1). Positive polarity: 1 traps. Linux
 * names them {@code HDFGRTR_EL2_<field>} and {@code HDFGWTR_EL2_<field>}.
 */
public final class HdfgxtrEl2 {
    /** PMEVCNTRn_EL0[12], also PMXEVCNTR_EL0. */
    public static final long PMEVCNTRN_EL0 = 1L << 12;
    /** PMEVTYPERn_EL0[13], also PMXEVTYPER_EL0. */
    public static final long PMEVTYPERN_EL0 = 1L << 13;

    public static final long PMCCFILTR_EL0 = 1L << 14;
    public static final long PMCCNTR_EL0 = 1L << 15;
    /** PMCNTEN[16]: PMCNTENSET_EL0 and PMCNTENCLR_EL0. */
    public static final long PMCNTEN = 1L << 16;
    /** PMINTEN[17]: PMINTENSET_EL1 and PMINTENCLR_EL1. */
    public static final long PMINTEN = 1L << 17;
    /** PMOVS[18]: PMOVSSET_EL0 and PMOVSCLR_EL0. */
    public static final long PMOVS = 1L << 18;

    public static final long PMSELR_EL0 = 1L << 19;
    /** PMSWINC_EL0[20]: HDFGWTR_EL2 only. */
    public static final long PMSWINC_EL0 = 1L << 20;
    /** PMCR_EL0[21]: HDFGWTR_EL2 only; PMCR_EL0 reads have no fine-grained trap. */
    public static final long PMCR_EL0 = 1L << 21;
    /** PMMIR_EL1[22]: HDFGRTR_EL2 only. */
    public static final long PMMIR_EL1 = 1L << 22;

    public static final long PMUSERENR_EL0 = 1L << 57;
    /** PMCEIDn_EL0[58]: HDFGRTR_EL2 only. */
    public static final long PMCEIDN_EL0 = 1L << 58;
    /** HDFGRTR_EL2's PMU bits. */
    public static final long READ_PMU_MASK = PMEVCNTRN_EL0
            | PMEVTYPERN_EL0
            | PMCCFILTR_EL0
            | PMCCNTR_EL0
            | PMCNTEN
            | PMINTEN
            | PMOVS
            | PMSELR_EL0
            | PMMIR_EL1
            | PMUSERENR_EL0
            | PMCEIDN_EL0;
    /** HDFGWTR_EL2's PMU bits. */
    public static final long WRITE_PMU_MASK = PMEVCNTRN_EL0
            | PMEVTYPERN_EL0
            | PMCCFILTR_EL0
            | PMCCNTR_EL0
            | PMCNTEN
            | PMINTEN
            | PMOVS
            | PMSELR_EL0
            | PMSWINC_EL0
            | PMCR_EL0
            | PMUSERENR_EL0;

    private HdfgxtrEl2() {}
}
