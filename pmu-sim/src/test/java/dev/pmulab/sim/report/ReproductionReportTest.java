package dev.pmulab.sim.report;

import static dev.pmulab.sim.report.SampleReproductions.ok;
import static dev.pmulab.sim.report.SampleReproductions.point;
import static dev.pmulab.sim.report.SampleReproductions.unfinished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pmulab.sim.report.ReproductionReport.GuestPerf;
import dev.pmulab.sim.report.ReproductionReport.ImpliedPmis;
import dev.pmulab.sim.report.ReproductionReport.Run;
import dev.pmulab.sim.report.ReproductionReport.Status;
import dev.pmulab.sim.report.ReproductionReport.Trend;
import dev.pmulab.sim.report.ReproductionReport.TrendPoint;
import dev.pmulab.sim.report.ReproductionReport.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReproductionReportTest {
    private final ReproductionReport report = SampleReproductions.sample();

    @Test
    void withinMeansTheRatioIsAtMostTheToleranceFromOne() {
        assertThat(report.within(1.0)).isTrue();
        assertThat(report.within(0.75)).isTrue();
        assertThat(report.within(1.25)).isTrue();
        assertThat(report.within(0.7499)).isFalse();
        assertThat(report.within(1.2501)).isFalse();
        assertThat(report.within(-1.0)).isFalse(); // the simulated delta goes the other way
        assertThat(report.within(Double.NaN)).isFalse();
        // Sample: ratio 0.825 (within) and 2.589 (outside); level 0.004 (outside).
        assertThat(report.rowsWithin()).isEqualTo(1);
        assertThat(report.levelsWithin()).isZero();
    }

    @Test
    void aRunIsLivelockedWhenUnfinishedOrTheGuestBarelyRan() {
        assertThat(report.livelocked(ok("e", 1, 9.99))).isTrue();
        assertThat(report.livelocked(ok("e", 1, 10.0))).isFalse();
        assertThat(report.livelocked(unfinished("e"))).isTrue();
        assertThat(report.livelocked(new Run(
                        "e", Status.FAILED, "x", Double.NaN, Double.NaN, Double.NaN, Double.NaN, GuestPerf.NONE)))
                .isFalse();
        assertThat(report.livelockedBenchmarkRuns()).containsExactly("stress-ng-host-measured / emulated");
        // The 1000 Hz / 15 events point is in both lists of the sweep but is one configuration.
        assertThat(report.livelockedTrendRuns()).containsExactly("4000 Hz, 15 events / emulated");
    }

    @Test
    void onlyAFailedRunIsAFailure() {
        assertThat(report.failures())
                .containsExactly(
                        "stress-ng-host-measured / static-hpmn: policy static-hpmn failed in vcpu_load: boom | <x>");
    }

    @Test
    void theBenefitMustGrowStrictlyAlongAnAxis() {
        assertThat(trend(point(1, 15, 2, 1), point(2, 15, 3, 1)).growsWithRate())
                .isEqualTo(Verdict.YES);
        assertThat(trend(point(1, 15, 3, 1), point(2, 15, 2, 1)).growsWithRate())
                .isEqualTo(Verdict.NO);
        assertThat(trend(point(1, 15, 2, 1), point(2, 15, 2, 1)).growsWithRate())
                .isEqualTo(Verdict.NO);
        // A lower bound above the previous benefit proves growth; one below proves nothing.
        TrendPoint bound60 = new TrendPoint(3, 15, unfinished("e"), ok("p", 2, 90), 60.0, true);
        assertThat(trend(point(1, 15, 2, 1), bound60).growsWithRate()).isEqualTo(Verdict.YES); // 50 % -> >= 60 %
        assertThat(trend(point(1, 15, 4, 1), bound60).growsWithRate()).isEqualTo(Verdict.UNDETERMINED); // 75 %
        TrendPoint none = new TrendPoint(3, 15, ok("e", 2, 80), unfinished("p"), Double.NaN, false);
        assertThat(trend(point(1, 15, 2, 1), none).growsWithRate()).isEqualTo(Verdict.UNDETERMINED);
        assertThat(report.trend().growsWithRate()).isEqualTo(Verdict.YES);
        assertThat(report.trend().growsWithEvents()).isEqualTo(Verdict.YES);
    }

    /**
     * Benchmark 3's emulated sample run: 600,000 PMIs over 30 s real = 20,000 a second. Its host
     * kernel share 99.76 % against the letter's 34.96 %: 20,000 x 34.96 / 99.76 = 7,008.82 PMIs a
     * second implied, 99.76 / 34.96 = 2.8535 times fewer. The failed partitioned run has neither.
     */
    @Test
    void theImpliedPmiRateScalesWithTheHostKernelShare() {
        assertThat(SampleReproductions.B3_EMULATED.pmisPerSecond()).isCloseTo(20_000, within(1e-9));
        ImpliedPmis emulated = report.impliedPmis().get(0);
        assertThat(emulated.policy()).isEqualTo("emulated");
        assertThat(emulated.simulatedPmisPerSecond()).isCloseTo(20_000, within(1e-9));
        assertThat(emulated.simulatedHostKernelPct()).isCloseTo(99.76, within(1e-9));
        assertThat(emulated.impliedPmisPerSecond()).isCloseTo(7_008.82, within(0.01));
        assertThat(emulated.factor()).isCloseTo(2.8535, within(1e-4));
        ImpliedPmis failed = report.impliedPmis().get(1);
        assertThat(failed.impliedPmisPerSecond()).isNaN();
        assertThat(failed.factor()).isNaN();
        assertThat(SampleReproductions.B3_PARTITIONED.pmisPerSecond()).isNaN();
    }

    @Test
    void aRunsErrorGoesWithItsStatus() {
        assertThatThrownBy(() -> new Run("e", Status.OK, "oops", 1, 1, 1, 1, GuestPerf.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Run("e", Status.FAILED, null, 1, 1, 1, 1, GuestPerf.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void costsAreSortedById() {
        assertThat(report.costs()).extracting(CostAssumption::id).containsExactly("C1", "C12");
    }

    private static Trend trend(TrendPoint... byRate) {
        return new Trend("s", 1, 1, 15, 1000, List.of(byRate), List.of());
    }
}
