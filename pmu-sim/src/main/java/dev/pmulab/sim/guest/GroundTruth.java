package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;

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
        // The PE's counting rule (EventRates.wholeEvents), so truth and counter agree exactly.
        long frac = fracQ32;
        fracQ32 = EventRates.fractionAfter(ns, rateQ32, frac);
        events += EventRates.wholeEvents(ns, rateQ32, frac);
    }

    long events() {
        return events;
    }
}
