package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * arm_pmu's validate_group as a pure function (perf-core-and-costs.md §1.2, §2): the members are
 * placed on an empty PMU as armv8pmu_get_event_idx places them. Each expectation is counted by hand
 * from the counters the members need.
 */
final class GroupValidationTest {
    /** N = 6: event counters 0..5 (0x3f) and PMCCNTR (bit 31). */
    private static final long SIX = PerfPmu.probeCntrMask(6);

    private static PerfEventAttr event(int number) {
        return PerfEventAttr.builder(8, number).build();
    }

    private static PerfEventAttr longEvent(int number) {
        return PerfEventAttr.builder(8, number).longCounter(true).build();
    }

    private static List<PerfEventAttr> group(PerfEventAttr first, int more, int number) {
        List<PerfEventAttr> out = new ArrayList<>(List.of(first));
        for (int i = 0; i < more; i++) {
            out.add(event(number));
        }
        return out;
    }

    private static boolean fits(long cntrMask, PmuVersion version, List<PerfEventAttr> members) {
        return GroupValidation.validateGroup(cntrMask, version, CounterAllocationOrder.LOW_TO_HIGH, members);
    }

    @Test
    void theProbeMaskHoldsTheEventCountersAndTheCycleCounter() {
        assertThat(SIX).isEqualTo(0x8000_003fL);
        assertThat(PerfPmu.probeCntrMask(0)).isEqualTo(0x8000_0000L);
        assertThat(PerfPmu.probeCntrMask(31)).isEqualTo(0xffff_ffffL);
    }

    @Test
    void cyclesTakesTheCycleCounterSoSevenFitSixCounters() {
        // cycles on PMCCNTR + 6 others on counters 0..5: 7 fit; an 8th has no counter.
        assertThat(fits(SIX, PmuVersion.P1, group(event(Events.CPU_CYCLES), 6, Events.INST_RETIRED)))
                .isTrue();
        assertThat(fits(SIX, PmuVersion.P1, group(event(Events.CPU_CYCLES), 7, Events.INST_RETIRED)))
                .isFalse();
        // Without cycles the cycle counter is no use: 6 fit, 7 do not.
        assertThat(fits(SIX, PmuVersion.P1, group(event(Events.L1D_CACHE), 5, Events.INST_RETIRED)))
                .isTrue();
        assertThat(fits(SIX, PmuVersion.P1, group(event(Events.L1D_CACHE), 6, Events.INST_RETIRED)))
                .isFalse();
    }

    @Test
    void aSecondCyclesEventTakesAnEventCounter() {
        // cycles (PMCCNTR), cycles (counter 0) and 5 more (1..5): 7 fit; one more does not.
        assertThat(fits(SIX, PmuVersion.P1, group(event(Events.CPU_CYCLES), 6, Events.CPU_CYCLES)))
                .isTrue();
        assertThat(fits(SIX, PmuVersion.P1, group(event(Events.CPU_CYCLES), 7, Events.CPU_CYCLES)))
                .isFalse();
    }

    @Test
    void aPartitionedHostWithoutTheCycleCounterPutsCyclesOnAnEventCounter() {
        // cntr_mask 0x30 (counters 4 and 5, no PMCCNTR): cycles + 1 fit, cycles + 2 do not.
        assertThat(fits(0x30, PmuVersion.P5, group(event(Events.CPU_CYCLES), 1, Events.INST_RETIRED)))
                .isTrue();
        assertThat(fits(0x30, PmuVersion.P5, group(event(Events.CPU_CYCLES), 2, Events.INST_RETIRED)))
                .isFalse();
    }

    @Test
    void sixtyFourBitEventsNeedChainedPairsBeforePmuv3p5() {
        // Before PMUv3p5 each 64-bit event takes a pair (0,1), (2,3), (4,5): three fit six counters, four do not.
        List<PerfEventAttr> three =
                List.of(longEvent(Events.INST_RETIRED), longEvent(Events.L1D_CACHE), longEvent(Events.BR_RETIRED));
        List<PerfEventAttr> four = new ArrayList<>(three);
        four.add(longEvent(Events.L1D_CACHE_REFILL));
        assertThat(fits(SIX, PmuVersion.P4, three)).isTrue();
        assertThat(fits(SIX, PmuVersion.P4, four)).isFalse();
        // With PMUv3p5 every counter is 64-bit: the four take one counter each.
        assertThat(fits(SIX, PmuVersion.P5, four)).isTrue();
        // A pair needs an odd counter whose even neighbour is free too: counters 1 and 2 hold no pair.
        assertThat(fits(0b0110, PmuVersion.P4, List.of(longEvent(Events.INST_RETIRED))))
                .isFalse();
    }

    @Test
    void theAllocationOrderDecidesWhereAPairCanGo() {
        // cntr_mask 0b1110 (counters 1..3), before PMUv3p5, a plain event then a 64-bit one.
        // Bottom-up: plain on 1, the pair on (2,3): fits. Top-down: plain on 3, and the only odd
        // counter left, 1, has its even half 0 outside the mask: no pair.
        List<PerfEventAttr> members = List.of(event(Events.INST_RETIRED), longEvent(Events.L1D_CACHE));
        assertThat(GroupValidation.validateGroup(0b1110, PmuVersion.P4, CounterAllocationOrder.LOW_TO_HIGH, members))
                .isTrue();
        assertThat(GroupValidation.validateGroup(0b1110, PmuVersion.P4, CounterAllocationOrder.HIGH_TO_LOW, members))
                .isFalse();
    }
}
