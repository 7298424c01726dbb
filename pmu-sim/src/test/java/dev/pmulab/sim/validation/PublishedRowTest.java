package dev.pmulab.sim.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class PublishedRowTest {

    @Test
    void theTableIsTheLettersInItsOrder() {
        assertThat(PublishedRow.values()).hasSize(7);
        assertThat(PublishedRow.values())
                .extracting(r -> r.benchmark().number())
                .containsExactly(1, 1, 2, 2, 2, 3, 3);
        for (PublishedRow r : PublishedRow.values()) {
            assertThat(r.source()).isEqualTo(PublishedSource.COVER_LETTER_V1);
        }
        assertThat(PublishedSource.COVER_LETTER_V1.date()).isEqualTo("2025-06-02");
    }

    @Test
    void deltasAreTheLettersStatedPercentagesAndComputedPoints() {
        // Stated in the letter: -24.23 %, -30.82 %, -6.95 %, -92.88 %, +6.54 %.
        // 100 x (3.139 - 4.143) / 4.143 = -24.2336 %; 100 x (0.110 - 0.159) / 0.159 = -30.8176 %
        assertThat(PublishedRow.B1_REAL.delta()).isCloseTo(-24.2336, within(1e-4));
        assertThat(PublishedRow.B1_SYS.delta()).isCloseTo(-30.8176, within(1e-4));
        // 100 x (3525.67 - 3789.16) / 3789.16 = -6.9538 %; 100 x (15.98 - 224.45) / 224.45 = -92.8803 %
        assertThat(PublishedRow.B2_REAL.delta()).isCloseTo(-6.9538, within(1e-4));
        assertThat(PublishedRow.B2_SYS.delta()).isCloseTo(-92.8803, within(1e-4));
        // 100 x (4.56 - 4.28) / 4.28 = +6.5421 %
        assertThat(PublishedRow.B2_SCORE.delta()).isCloseTo(6.5421, within(1e-4));
        // Points, computed: 0.97 - 34.96 = -33.99; 91.06 - 55.85 = +35.21.
        assertThat(PublishedRow.B3_HOST_KERNEL.delta()).isCloseTo(-33.99, within(1e-9));
        assertThat(PublishedRow.B3_GUEST.delta()).isCloseTo(35.21, within(1e-9));
        assertThat(PublishedRow.B3_GUEST.deltaStated()).isFalse();
        assertThat(PublishedRow.B1_REAL.deltaStated()).isTrue();
    }

    @Test
    void timesAreReadInSecondsAndSharesAsPercent() {
        MetricValues emulated = MetricValues.of(Map.of(
                Metric.GUEST_WORKLOAD_NS,
                5_000_000_000L,
                Metric.GUEST_SYS_NS,
                250_000_000L,
                Metric.GUEST_RUN_PCT,
                40.0,
                Metric.HOST_KERNEL_PCT,
                60.0));
        MetricValues partitioned = MetricValues.of(Map.of(
                Metric.GUEST_WORKLOAD_NS,
                4_000_000_000L,
                Metric.GUEST_SYS_NS,
                100_000_000L,
                Metric.GUEST_RUN_PCT,
                90.0,
                Metric.HOST_KERNEL_PCT,
                10.0));
        assertThat(PublishedRow.B1_REAL.simulated(emulated, partitioned)).containsExactly(5.0, 4.0);
        assertThat(PublishedRow.B1_SYS.simulated(emulated, partitioned)).containsExactly(0.25, 0.1);
        assertThat(PublishedRow.B3_GUEST.simulated(emulated, partitioned)).containsExactly(40.0, 90.0);
        assertThat(PublishedRow.B3_HOST_KERNEL.simulated(emulated, partitioned)).containsExactly(60.0, 10.0);
        // Points: 90 - 40 = +50 pp; percent: 100 x (4 - 5) / 5 = -20 %.
        assertThat(PublishedRow.B3_GUEST.quantity().delta(40.0, 90.0)).isEqualTo(50.0);
        assertThat(PublishedRow.B1_REAL.quantity().delta(5.0, 4.0)).isCloseTo(-20.0, within(1e-12));
        assertThat(PublishedRow.B1_SYS.simulatedLevel(emulated)).isEqualTo(0.25);
    }

    @Test
    void theScoreIsAnchoredAtThePublishedBeforeAndScalesAsOneOverReal() {
        // Real 10 s before, 8 s after: the score rises by 10 / 8 = 1.25, from 4.28 to 5.35 (+25 %).
        MetricValues emulated = MetricValues.of(Map.of(Metric.GUEST_WORKLOAD_NS, 10_000_000_000L));
        MetricValues partitioned = MetricValues.of(Map.of(Metric.GUEST_WORKLOAD_NS, 8_000_000_000L));
        double[] score = PublishedRow.B2_SCORE.simulated(emulated, partitioned);
        assertThat(score[0]).isEqualTo(4.28);
        assertThat(score[1]).isCloseTo(5.35, within(1e-12));
        assertThat(PublishedRow.B2_SCORE.quantity().delta(score[0], score[1])).isCloseTo(25.0, within(1e-9));
        assertThatThrownBy(() -> PublishedRow.B2_SCORE.simulatedLevel(emulated))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRunWithoutTheMetricHasNoSimulatedValue() {
        MetricValues ok = MetricValues.of(Map.of(Metric.GUEST_WORKLOAD_NS, 1L));
        assertThat(PublishedRow.B1_REAL.simulated(MetricValues.empty(), ok)).isNull();
        assertThat(PublishedRow.B1_SYS.simulatedLevel(ok)).isNaN();
    }

    @Test
    void levelsReadTheirPublishedValueFromTheTable() {
        assertThat(LevelCheck.EMULATED_STRESS_NG_GUEST.published()).isEqualTo(55.85);
        assertThat(LevelCheck.EMULATED_STRESS_NG_GUEST.doneCriterion()).isTrue();
        assertThat(LevelCheck.EMULATED_STRESS_NG_GUEST.policy()).isEqualTo("emulated");
        assertThat(LevelCheck.EMULATED_GZIP_SYS.published()).isEqualTo(0.159);
        assertThat(LevelCheck.PARTITIONED_GZIP_REAL.published()).isEqualTo(3.139);
        assertThat(LevelCheck.PARTITIONED_GZIP_REAL.policy()).isEqualTo("static-hpmn");
        assertThat(LevelCheck.PARTITIONED_STRESS_NG_GUEST.published()).isEqualTo(91.06);
    }
}
