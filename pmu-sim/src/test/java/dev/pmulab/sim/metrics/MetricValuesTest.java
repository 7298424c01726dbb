package dev.pmulab.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricValuesTest {
    @Test
    void absentAndNanAreNotApplicable() {
        MetricValues v = MetricValues.builder()
                .put(Metric.GUEST_PMU_TRAPS, 7L)
                .put(Metric.GUEST_EVENT_COVERAGE_PCT, Double.NaN)
                .build();
        assertThat(v.has(Metric.GUEST_PMU_TRAPS)).isTrue();
        assertThat(v.get(Metric.GUEST_PMU_TRAPS)).hasValue(7.0);
        assertThat(v.has(Metric.GUEST_EVENT_COVERAGE_PCT)).isFalse();
        assertThat(v.get(Metric.HOST_PINNED_ERRORS)).isEmpty();
        assertThat(v.valueOrNaN(Metric.HOST_PINNED_ERRORS)).isNaN();
        assertThat(v.isEmpty()).isFalse();
        assertThat(MetricValues.empty().isEmpty()).isTrue();
    }

    @Test
    void notApplicableUndoesAPut() {
        MetricValues v = MetricValues.builder()
                .put(Metric.BRBE_BLACKOUT_NS, 5L)
                .notApplicable(Metric.BRBE_BLACKOUT_NS)
                .build();
        assertThat(v).isEqualTo(MetricValues.empty());
    }

    @Test
    void asMapHoldsTheApplicableValuesInReportOrder() {
        MetricValues v = MetricValues.builder()
                .put(Metric.FILTER_LEAKS, 1L)
                .put(Metric.GUEST_PMU_TRAPS, 2L)
                .put(Metric.HOST_KERNEL_PCT, 3.5)
                .build();
        assertThat(v.asMap())
                .containsExactly(
                        Map.entry(Metric.GUEST_PMU_TRAPS, 2.0),
                        Map.entry(Metric.HOST_KERNEL_PCT, 3.5),
                        Map.entry(Metric.FILTER_LEAKS, 1.0));
        assertThatThrownBy(() -> v.asMap().put(Metric.GUEST_CRASHES, 1.0))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBuiltValueDoesNotChangeWithItsBuilder() {
        MetricValues.Builder b = MetricValues.builder().put(Metric.GUEST_CRASHES, 1L);
        MetricValues first = b.build();
        b.put(Metric.GUEST_CRASHES, 2L);
        assertThat(first.get(Metric.GUEST_CRASHES)).hasValue(1.0);
        assertThat(b.build().get(Metric.GUEST_CRASHES)).hasValue(2.0);
    }

    @Test
    void rejectsValuesNoMetricCanHave() {
        MetricValues.Builder b = MetricValues.builder();
        assertThatThrownBy(() -> b.put(Metric.GUEST_SYS_NS, -1.0)).hasMessageContaining("guest.sys_ns");
        assertThatThrownBy(() -> b.put(Metric.GUEST_RUN_PCT, Double.POSITIVE_INFINITY))
                .hasMessageContaining("guest.run_pct");
        assertThatThrownBy(() -> b.put(Metric.GUEST_PMU_TRAPS, 1.5)).hasMessageContaining("is a count");
        assertThatThrownBy(() -> b.put(Metric.GUEST_PMU_TRAPS, (1L << 53) + 1)).hasMessageContaining("2^53");
        // A mean is not a count: fractional ns are fine.
        assertThat(b.put(Metric.HOST_VCPU_LOAD_NS_MEAN, 262.5).build().get(Metric.HOST_VCPU_LOAD_NS_MEAN))
                .hasValue(262.5);
    }

    @Test
    void negativeZeroIsZero() {
        MetricValues a = MetricValues.builder().put(Metric.VCPU_WAIT_PCT, -0.0).build();
        MetricValues b = MetricValues.builder().put(Metric.VCPU_WAIT_PCT, 0.0).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void ofAMap() {
        MetricValues v = MetricValues.of(Map.of(Metric.GUEST_CRASHES, 1, Metric.GUEST_RUN_PCT, 90.5));
        assertThat(v)
                .isEqualTo(MetricValues.builder()
                        .put(Metric.GUEST_CRASHES, 1L)
                        .put(Metric.GUEST_RUN_PCT, 90.5)
                        .build());
        assertThat(v.toString()).isEqualTo("{guest.run_pct=90.5, guest.crashes=1.0}");
    }
}
