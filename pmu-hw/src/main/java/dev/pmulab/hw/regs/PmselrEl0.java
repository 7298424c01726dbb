package dev.pmulab.hw.regs;

/**
 * PMSELR_EL0, the counter PMXEVCNTR_EL0 and PMXEVTYPER_EL0 reach (Arm ARM D24.5;
 * pmuv3-architecture.md §1.3). Linux: {@code ARMV8_PMU_COUNTER_MASK} for {@link #SEL_MASK}.
 */
public final class PmselrEl0 {
    /** SEL[4:0]: 0..30 an event counter, 31 the cycle counter (PMXEVTYPER then is PMCCFILTR). */
    public static final long SEL_MASK = 0x1fL;

    private PmselrEl0() {}

    /** PMSELR_EL0.SEL of {@code pmselr}. */
    public static int sel(long pmselr) {
        return (int) (pmselr & SEL_MASK);
    }
}
