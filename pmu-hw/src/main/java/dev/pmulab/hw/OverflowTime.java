package dev.pmulab.hw;

/**
 * When a counter that counts at a constant rate next overflows, in exact 128-bit arithmetic. A
 * counter fed {@code rateQ32} events per ns (Q32.32) with fractional remainder {@code fracQ32} has
 * counted floor((frac + dt * rate) / 2^32) events after dt ns ({@link Pe}'s lazy counting); each
 * method here returns the smallest dt at which that reaches the events its overflow needs, or
 * {@code Long.MAX_VALUE} when that is beyond 2^62 ns (146 years of simulated time). {@link Pe}
 * decides which counters count, how fast and how far each is from its overflow
 * ({@link dev.pmulab.hw.regs.PmevcntrEl0#incrementsToOverflow}); this is only the arithmetic.
 * Allocates nothing.
 */
final class OverflowTime {
    private OverflowTime() {}

    /** ns until {@code increments} more events (unsigned, 0 standing for 2^64). */
    static long afterIncrements(long increments, long fracQ32, long rateQ32) {
        return afterEvents(increments == 0 ? 1 : 0, increments, fracQ32, rateQ32);
    }

    /**
     * ns until {@code increments} more increments (unsigned, 0 standing for 2^64) of a cycle counter
     * that PMCR_EL0.D divides by 64, with {@code prescale} cycles already counted toward the next.
     */
    static long afterPrescaledIncrements(long increments, int prescale, long fracQ32, long rateQ32) {
        long hi = increments == 0 ? 1 : 0;
        long lo = increments;
        // 64 cycles per increment, less the cycles already accumulated toward the next one.
        hi = (hi << 6) | (lo >>> 58);
        lo = lo << 6;
        long before = lo;
        lo -= prescale;
        if (Long.compareUnsigned(before, prescale) < 0) {
            hi--;
        }
        return afterEvents(hi, lo, fracQ32, rateQ32);
    }

    /**
     * ns until the odd half of a chained pair overflows: at the {@code carries}-th carry (unsigned,
     * 0 standing for 2^64) of its even neighbour, whose first carry is {@code firstCarry} of its
     * events away (0 standing for 2^64) and which counts at {@code fracQ32}/{@code rateQ32}.
     */
    static long afterChainedCarries(
            long carries, long firstCarry, boolean evenOverflowsAt64, long fracQ32, long rateQ32) {
        if (evenOverflowsAt64 || firstCarry == 0 || carries == 0 || carries < 0) {
            // CHAIN only makes sense over a 32-bit overflow (§2.10); a 64-bit carry or 2^32 carries
            // away is beyond any simulated time.
            return carries == 1 && firstCarry > 0 ? afterEvents(0, firstCarry, fracQ32, rateQ32) : Long.MAX_VALUE;
        }
        // events = first + (carries - 1) * 2^32, as a 128-bit value (hi:lo).
        long lo = ((carries - 1) << 32) + firstCarry;
        long hi = ((carries - 1) >>> 32) + (Long.compareUnsigned(lo, firstCarry) < 0 ? 1 : 0);
        return afterEvents(hi, lo, fracQ32, rateQ32);
    }

    /**
     * Smallest dt with floor((frac + dt * rate) / 2^32) &gt;= events, where events is the unsigned
     * 128-bit value hi:lo (at most about 2^70).
     */
    static long afterEvents(long eventsHi, long eventsLo, long fracQ32, long rateQ32) {
        // need = events * 2^32 - frac, as 128 bits
        long needHi = (eventsHi << 32) | (eventsLo >>> 32);
        long needLo = eventsLo << 32;
        if (Long.compareUnsigned(needLo, fracQ32) < 0) {
            needHi--;
        }
        needLo -= fracQ32;
        if (needHi < 0 || (needHi == 0 && needLo == 0)) {
            return 0;
        }
        return ceilDiv128(needHi, needLo, rateQ32);
    }

    /**
     * ceil((hi:lo) / d) for an unsigned 128-bit dividend below 2^127 and 0 &lt; d &lt; 2^63, or
     * Long.MAX_VALUE when the quotient reaches 2^62 (beyond 146 years of simulated time). A double
     * gives the quotient to within 2^11; the exact 128-bit remainder corrects it.
     */
    static long ceilDiv128(long hi, long lo, long d) {
        double approx = (hi * 0x1p64 + unsignedToDouble(lo)) / d;
        if (approx >= 0x1p62) {
            return Long.MAX_VALUE;
        }
        long q = (long) approx;
        long pHi = Math.multiplyHigh(q, d);
        long pLo = q * d;
        long rLo = lo - pLo;
        long rHi = hi - pHi - (Long.compareUnsigned(lo, pLo) < 0 ? 1 : 0);
        // |remainder| <= 2^12 * d < 2^52, so it fits a signed long: rHi is rLo's sign extension.
        if (rHi != (rLo >> 63)) {
            throw new ArithmeticException("128-bit division lost precision: " + hi + ":" + lo + " / " + d);
        }
        q += Math.floorDiv(rLo, d);
        return Math.floorMod(rLo, d) != 0 ? q + 1 : q;
    }

    private static double unsignedToDouble(long v) {
        double d = (double) (v >>> 1) * 2.0;
        return d + (v & 1);
    }
}
