package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;

/**
 * Events a workload generated, accumulated exactly from (time, Q32.32 rate) pieces the way the
 * hardware model counts them, so truth and counter agree when nothing was lost.
 */
final class GroundTruth {
    private long events;
    private long fracQ32;

    /**
     * Pieces shorter than this count in 64-bit arithmetic, as the PE's short segments do: with a rate
     * of at most {@link EventRates#MAX_RATE_Q32} (2^40), {@code ns * rate} plus a fraction stays
     * below 2^64 unsigned, so the 128-bit product's high half and carry are 0.
     */
    static final long SHORT_PIECE_NS = 1L << 24;

    void add(long ns, long rateQ32) {
        if (ns <= 0 || rateQ32 == 0) {
            return;
        }
        long lo = ns * rateQ32;
        long sum = lo + fracQ32;
        fracQ32 = sum & 0xffff_ffffL;
        if (ns < SHORT_PIECE_NS) {
            events += sum >>> 32;
            return;
        }
        long hi = Math.multiplyHigh(ns, rateQ32);
        if (Long.compareUnsigned(sum, lo) < 0) {
            hi++;
        }
        events += (hi << 32) | (sum >>> 32);
    }

    long events() {
        return events;
    }
}
