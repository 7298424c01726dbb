package dev.pmulab.hw.regs;

/** BRBFCR_EL1, the BRBE function control register (Arm ARM D24.8; pmuv3-architecture.md §4). */
public final class BrbfcrEl1 {
    /** LASTFAILED[6]. */
    public static final long LASTFAILED = 1L << 6;
    /** PAUSED[7]: branch recording is paused, by a freeze on PMU overflow or by software. */
    public static final long PAUSED = 1L << 7;
    /** BANK[29:28]: which bank of branch records the record registers reach. */
    public static final long BANK_MASK = 0x3L << 28;

    private BrbfcrEl1() {}
}
