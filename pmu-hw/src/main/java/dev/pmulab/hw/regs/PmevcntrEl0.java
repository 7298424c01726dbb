package dev.pmulab.hw.regs;

/**
 * PMEVCNTR&lt;n&gt;_EL0 and PMCCNTR_EL0 values: how wide a counter is and where it overflows (Arm ARM
 * D13.3; pmuv3-architecture.md §1.3, §2.6). An event counter is 32 bits before PMUv3p5 and 64 bits
 * from it; PMCCNTR is always 64 bits. Either overflows at bit 31 or at bit 63 as PMCR_EL0.LC (the
 * cycle counter), PMCR_EL0.LP (first range) or MDCR_EL2.HLP (second range) say. Linux's
 * {@code lower_32_bits} is {@link #LOW32}.
 */
public final class PmevcntrEl0 {
    /** Bits [31:0]: a 32-bit event counter, and the part whose carry out is an overflow at bit 31. */
    public static final long LOW32 = 0xffff_ffffL;

    private PmevcntrEl0() {}

    /**
     * How many times adding {@code events} (at least 0) to a counter holding {@code old} overflows:
     * carries out of bit 63 when {@code at64}, else out of bit 31 (then possibly many, which a CHAIN
     * neighbour counts; an {@code events} beyond 2^63 - 2^32 is taken as that much).
     */
    public static long overflows(long old, long events, boolean at64) {
        if (at64) {
            return Long.compareUnsigned(old + events, old) < 0 ? 1 : 0;
        }
        return ((old & LOW32) + Math.min(events, Long.MAX_VALUE - LOW32)) >>> 32;
    }

    /**
     * Increments until a counter holding {@code value} next overflows, unsigned: 2^32 minus its low
     * 32 bits for an overflow at bit 31 (1..2^32), 2^64 minus the value at bit 63 (where 0 stands
     * for 2^64).
     */
    public static long incrementsToOverflow(long value, boolean at64) {
        if (at64) {
            return -value;
        }
        return (1L << 32) - (value & LOW32);
    }
}
