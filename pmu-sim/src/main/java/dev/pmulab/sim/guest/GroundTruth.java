package dev.pmulab.sim.guest;

/**
 * Events a workload generated, accumulated exactly from (time, Q32.32 rate) pieces the way the
 * hardware model counts them, so truth and counter agree when nothing was lost.
 */
final class GroundTruth {
    private long events;
    private long fracQ32;

    void add(long ns, long rateQ32) {
        if (ns <= 0 || rateQ32 == 0) {
            return;
        }
        long hi = Math.multiplyHigh(ns, rateQ32);
        long lo = ns * rateQ32;
        long sum = lo + fracQ32;
        if (Long.compareUnsigned(sum, lo) < 0) {
            hi++;
        }
        fracQ32 = sum & 0xffff_ffffL;
        events += (hi << 32) | (sum >>> 32);
    }

    long events() {
        return events;
    }
}
