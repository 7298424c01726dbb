package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The period arithmetic the host and guest perf cores share (PerfPeriod), by hand. */
final class PerfPeriodTest {
    @Test
    void setPeriodContinuesARunningPeriodCarriesOneThatElapsedAndRestartsOneLappedTwice() {
        // 300 of a 1000-event period left: it continues, no sample due.
        assertThat(PerfPeriod.periodLeftAfterSetPeriod(300, 1000)).isEqualTo(300);
        assertThat(PerfPeriod.periodElapsed(300)).isFalse();
        // 40 events past the overflow: the next period is 1000 - 40 = 960, a sample is due.
        assertThat(PerfPeriod.periodLeftAfterSetPeriod(-40, 1000)).isEqualTo(960);
        assertThat(PerfPeriod.periodElapsed(-40)).isTrue();
        // Exactly at the overflow: a full period.
        assertThat(PerfPeriod.periodLeftAfterSetPeriod(0, 1000)).isEqualTo(1000);
        // A whole period or more past it: one full period, the rest is dropped.
        assertThat(PerfPeriod.periodLeftAfterSetPeriod(-1000, 1000)).isEqualTo(1000);
        assertThat(PerfPeriod.periodLeftAfterSetPeriod(-2500, 1000)).isEqualTo(1000);
    }

    @Test
    void theCounterIsArmedForAtMostHalfItsRange() {
        // 32-bit event: at most 2^31 - 1 events per arming; a 64-bit one takes the whole period.
        assertThat(PerfPeriod.counterLeft(3_000_000_000L, 0xffff_ffffL)).isEqualTo(0x7fff_ffffL);
        assertThat(PerfPeriod.counterLeft(3_000_000_000L, -1L)).isEqualTo(3_000_000_000L);
        assertThat(PerfPeriod.counterLeft(1000, 0xffff_ffffL)).isEqualTo(1000);
    }

    @Test
    void adjustPeriodMovesAnEighthOfTheWayRoundingAwayFromZeroAndNeverToZero() {
        // Up: 1000 -> 2000: (1000 + 7) / 8 = 125 -> 1125.
        assertThat(PerfPeriod.adjustedSamplePeriod(1000, 2000)).isEqualTo(1125);
        // Down: 1000 -> 0: (-1000 - 7) / 8 = -125 (truncated) -> 875.
        assertThat(PerfPeriod.adjustedSamplePeriod(1000, 0)).isEqualTo(875);
        // Equal: (0 + 7) / 8 = 0.
        assertThat(PerfPeriod.adjustedSamplePeriod(1000, 1000)).isEqualTo(1000);
        // 1 -> 0: (-1 - 7) / 8 = -1 -> 0, which becomes 1.
        assertThat(PerfPeriod.adjustedSamplePeriod(1, 0)).isEqualTo(1);
    }

    @Test
    void adjustPeriodResetsPeriodLeftOnlyAboveEightNewPeriods() {
        assertThat(PerfPeriod.resetsPeriodLeft(8001, 1000)).isTrue();
        assertThat(PerfPeriod.resetsPeriodLeft(8000, 1000)).isFalse();
        // Signed, as the kernel's s64 compare: an overflow not yet handled is not reset.
        assertThat(PerfPeriod.resetsPeriodLeft(-5, 1000)).isFalse();
    }

    @Test
    void calculatePeriodIsCountTimesASecondOverTimeTimesFrequency() {
        // 4,000,000 events in one 4 ms tick at 1000 Hz: 4e6 * 1e9 / (4e6 * 1000) = 1,000,000.
        assertThat(PerfPeriod.calculatePeriod(1000, 4_000_000, 4_000_000)).isEqualTo(1_000_000);
        // A product past 64 bits takes the exact fallback: 2e10 * 1e9 / (1 * 1) = 2e19 > Long.MAX_VALUE.
        assertThat(PerfPeriod.calculatePeriod(1, 1, 20_000_000_000L)).isEqualTo(Long.MAX_VALUE);
        assertThat(PerfPeriod.tickNsec(250)).isEqualTo(4_000_000);
        assertThat(PerfPeriod.tickNsec(300)).isEqualTo(3_333_333);
    }
}
