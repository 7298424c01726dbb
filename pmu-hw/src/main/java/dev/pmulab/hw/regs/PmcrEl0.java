package dev.pmulab.hw.regs;

/**
 * PMCR_EL0, the PMU control register (Arm ARM D24.5; pmuv3-architecture.md §1.1). Linux's
 * arm_pmuv3.h names a field {@code ARMV8_PMU_PMCR_<field>}: {@link #E} is {@code ARMV8_PMU_PMCR_E},
 * {@link #N_MASK} {@code ARMV8_PMU_PMCR_N}, {@link #MASK} {@code ARMV8_PMU_PMCR_MASK}.
 */
public final class PmcrEl0 {
    /** E[0]: enables the first-range event counters and PMCCNTR. */
    public static final long E = 1L;
    /** P[1]: write-only; resets the event counters accessible at the writer's level. */
    public static final long P = 1L << 1;
    /** C[2]: write-only; resets PMCCNTR. */
    public static final long C = 1L << 2;
    /** D[3]: PMCCNTR counts once every 64 cycles (ignored when LC is 1). */
    public static final long D = 1L << 3;
    /** X[4]: export enable. */
    public static final long X = 1L << 4;
    /** DP[5]: PMCCNTR stops where event counting is prohibited or frozen. */
    public static final long DP = 1L << 5;
    /** LC[6]: PMCCNTR overflows at bit 63 rather than 31. */
    public static final long LC = 1L << 6;
    /** LP[7] (PMUv3p5): first-range event counters overflow at bit 63 rather than 31. */
    public static final long LP = 1L << 7;
    /** FZO[9] (PMUv3p7): freeze the first range while one of its event counters has overflowed. */
    public static final long FZO = 1L << 9;
    /** N[15:11], read-only: the number of event counters (at EL0/EL1 with EL2 enabled, the effective HPMN). */
    public static final int N_SHIFT = 11;

    public static final long N_MASK = 0x1fL << N_SHIFT;
    /** IDCODE[23:16], read-only. */
    public static final int IDCODE_SHIFT = 16;
    /** IMP[31:24], read-only; RAZ from PMUv3p7. */
    public static final int IMP_SHIFT = 24;
    /**
     * E, P, C, D, X, DP, LC and LP: bits [7:0], the fields Linux's driver writes and the only ones
     * KVM lets a guest or userspace write.
     */
    public static final long MASK = E | P | C | D | X | DP | LC | LP;

    private PmcrEl0() {}

    /** PMCR_EL0.N of {@code pmcr}. */
    public static int n(long pmcr) {
        return (int) ((pmcr & N_MASK) >>> N_SHIFT);
    }

    /** {@code pmcr} with its N field replaced by {@code n} (0..31). */
    public static long withN(long pmcr, int n) {
        return (pmcr & ~N_MASK) | (((long) n << N_SHIFT) & N_MASK);
    }
}
