package dev.pmulab.hw.regs;

/**
 * PMEVTYPER&lt;n&gt;_EL0, an event counter's event and filter (Arm ARM D24.5; pmuv3-architecture.md
 * §1.5, §1.6). PMCCFILTR_EL0 has the same filter bits and no event; PMXEVTYPER_EL0 is either,
 * through PMSELR_EL0.SEL.
 *
 * <p>Linux's arm_pmuv3.h names the filter bits after what they do to perf's exclude flags:
 * {@code ARMV8_PMU_EXCLUDE_EL1} is {@link #P}, {@code ARMV8_PMU_EXCLUDE_EL0} {@link #U},
 * {@code ARMV8_PMU_EXCLUDE_NS_EL1} {@link #NSK}, {@code ARMV8_PMU_EXCLUDE_NS_EL0} {@link #NSU},
 * {@code ARMV8_PMU_INCLUDE_EL2} {@link #NSH}, {@code ARMV8_PMU_EXCLUDE_EL3} {@link #M}, and
 * {@code ARMV8_PMU_EVTYPE_EVENT} {@link #EVTCOUNT_MASK}.
 */
public final class PmevtyperEl0 {
    /** P[31]: do not count at EL1 (Non-secure EL1 when it differs from NSK). */
    public static final long P = 1L << 31;
    /** U[30]: do not count at EL0 (Non-secure EL0 when it differs from NSU). */
    public static final long U = 1L << 30;
    /** NSK[29] (EL3): Non-secure EL1 counts when P and NSK are equal. */
    public static final long NSK = 1L << 29;
    /** NSU[28] (EL3): Non-secure EL0 counts when U and NSU are equal. */
    public static final long NSU = 1L << 28;
    /** NSH[27] (EL2): count at Non-secure EL2. */
    public static final long NSH = 1L << 27;
    /** M[26] (EL3): EL3 counts when M and P are equal. */
    public static final long M = 1L << 26;
    /** MT[25] (FEAT_MTPMU): count the event on any PE of the multithreaded core. */
    public static final long MT = 1L << 25;
    /** SH[24] (Secure EL2): Secure EL2 counts when NSH and SH differ. */
    public static final long SH = 1L << 24;
    /** evtCount[15:0]: the event number (PMUv3p1; before it, bits [9:0]). */
    public static final long EVTCOUNT_MASK = 0xffffL;
    /** evtCount[9:0]: the event number's width before PMUv3p1. */
    public static final long EVTCOUNT_V3_MASK = 0x3ffL;

    private PmevtyperEl0() {}
}
