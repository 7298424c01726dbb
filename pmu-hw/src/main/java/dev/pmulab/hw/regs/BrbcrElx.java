package dev.pmulab.hw.regs;

/**
 * BRBCR_EL1 and BRBCR_EL2, the BRBE controls, which share one layout (Arm ARM D24.8;
 * pmuv3-architecture.md §4). Linux's sysreg names the shared layout {@code BRBCR_ELx}, as here.
 */
public final class BrbcrElx {
    /** E0BRE[0] (BRBCR_EL2: E0HBRE): record branches at EL0. */
    public static final long E0BRE = 1L;
    /** ExBRE[1]: BRBCR_EL1.E1BRE records branches at EL1, BRBCR_EL2.E2BRE at EL2. */
    public static final long EXBRE = 1L << 1;
    /** CC[3]: record cycle counts. */
    public static final long CC = 1L << 3;
    /** MPRED[4]: record mispredicts. */
    public static final long MPRED = 1L << 4;
    /** TS[6:5]: timestamp control. */
    public static final long TS_MASK = 0x3L << 5;
    /** FZP[8]: freeze BRBE on a PMU overflow of the register's range (EL1: the first, EL2: the second). */
    public static final long FZP = 1L << 8;
    /** ERTN[22]: record exception returns. */
    public static final long ERTN = 1L << 22;
    /** EXCEPTION[23]: record exception entries. */
    public static final long EXCEPTION = 1L << 23;

    private BrbcrElx() {}
}
