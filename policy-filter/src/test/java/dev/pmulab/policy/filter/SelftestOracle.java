package dev.pmulab.policy.filter;

import dev.pmulab.api.EventFilter;
import dev.pmulab.api.FilterAction;
import java.util.List;

/**
 * The expected guest PMCEID0/1 as pmu_event_filter_test.c computes them (kvm-vpmu-uapi.md §3.2),
 * independently of the model's bitmap: the unfiltered value ANDed with a mask that starts all ones,
 * or all zeros when the first filter allows, and in which each event of each range sets (ALLOW)
 * or clears (DENY) its PMCEID bit.
 */
final class SelftestOracle {
    /** Events 0x01-0x1D and 0x4004-0x4006 (no SW_INCR, no CHAIN: KVM adds those). */
    static final long HOST_PMCEID0 = 0x0000_0070_3FFF_FFFEL;
    /** Events 0x20-0x3F (STALL_SLOT* included: KVM hides those) and 0x4020-0x4022. */
    static final long HOST_PMCEID1 = 0x0000_0007_FFFF_FFFFL;
    /** What an unfiltered guest reads (the selftest's max_pmce). */
    static final long MAX_PMCEID0 = 0x0000_0070_7FFF_FFFFL;
    static final long MAX_PMCEID1 = 0x0000_0007_1FFF_FFFFL;

    private SelftestOracle() {}

    /** {PMCEID0, PMCEID1} the guest should read under {@code filters}. */
    static long[] expected(List<EventFilter> filters) {
        long mask0 = -1L;
        long mask1 = -1L;
        if (!filters.isEmpty() && filters.get(0).action() == FilterAction.ALLOW) {
            mask0 = 0;
            mask1 = 0;
        }
        for (EventFilter f : filters) {
            for (int e = f.baseEvent(); e < f.baseEvent() + f.nevents(); e++) {
                long[] m = {mask0, mask1};
                int reg;
                int bit;
                if (e <= 0x1f) {
                    reg = 0;
                    bit = e;
                } else if (e <= 0x3f) {
                    reg = 1;
                    bit = e - 0x20;
                } else if (e >= 0x4000 && e <= 0x401f) {
                    reg = 0;
                    bit = 32 + e - 0x4000;
                } else if (e >= 0x4020 && e <= 0x403f) {
                    reg = 1;
                    bit = 32 + e - 0x4020;
                } else {
                    continue;
                }
                if (f.action() == FilterAction.ALLOW) {
                    m[reg] |= 1L << bit;
                } else {
                    m[reg] &= ~(1L << bit);
                }
                mask0 = m[0];
                mask1 = m[1];
            }
        }
        return new long[] {MAX_PMCEID0 & mask0, MAX_PMCEID1 & mask1};
    }
}
