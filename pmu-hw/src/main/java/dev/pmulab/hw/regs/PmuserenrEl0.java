package dev.pmulab.hw.regs;

/**
 * PMUSERENR_EL0, what EL0 may access (Arm ARM D24.5; pmuv3-architecture.md §1.4). Linux's
 * arm_pmuv3.h names a field {@code ARMV8_PMU_USERENR_<field>} and defines only EN, SW, CR and ER
 * ({@code ARMV8_PMU_USERENR_MASK}, {@link #MASK}).
 */
public final class PmuserenrEl0 {
    /** EN[0]: EL0 may access every PMU register it can name. */
    public static final long EN = 1L;
    /** SW[1]: EL0 may write PMSWINC_EL0. */
    public static final long SW = 1L << 1;
    /** CR[2]: EL0 may read PMCCNTR_EL0. */
    public static final long CR = 1L << 2;
    /** ER[3]: EL0 may read the event counters and read and write PMSELR_EL0. */
    public static final long ER = 1L << 3;
    /** UEN[4] (PMUv3p9): turns on PMUACR_EL1. */
    public static final long UEN = 1L << 4;
    /** IR[5] (FEAT_PMUv3_ICNTR). */
    public static final long IR = 1L << 5;
    /** TID[6] (PMUv3p9). */
    public static final long TID = 1L << 6;
    /** EN, SW, CR and ER: the fields before PMUv3p9, all that Linux and KVM keep. */
    public static final long MASK = EN | SW | CR | ER;

    private PmuserenrEl0() {}
}
