package dev.pmulab.sim.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MetricTest {
    /** The issue's list, verbatim: these are a public interface. */
    private static final List<String> ISSUE_KEYS = List.of(
            "guest.pmu_traps",
            "guest.pmu_trap_ns",
            "guest.pmu_overhead_pct",
            "guest.workload_ns",
            "guest.sys_ns",
            "host.kernel_pct",
            "guest.run_pct",
            "host.vcpu_load_ns.mean",
            "host.vcpu_load_ns.p99",
            "host.vcpu_put_ns.mean",
            "host.vcpu_put_ns.p99",
            "host.perf_rescheds",
            "host.event_coverage_pct",
            "host.event_coverage_min_pct",
            "host.pinned_errors",
            "guest.event_coverage_pct",
            "guest.counters_stopped",
            "guest.count_error_pct",
            "guest.cycle_stalls",
            "guest.crashes",
            "brbe.blackout_ns",
            "guest.visible_n_changes",
            "isolation.breaches",
            "filter.leaks",
            "vcpu.wait_pct");
    /** Added by issue 14 (CPU time as Linux accounts it): the guest's user and irq time, the host's %sys and %irq. */
    private static final List<String> ACCOUNTING_KEYS =
            List.of("guest.user_ns", "guest.irq_ns", "host.sys_pct", "host.irq_pct");

    /** Added by issue 17 (who paid): the guest's own multiplexing, time_running / time_enabled as its perf reports it. */
    private static final List<String> WHO_PAID_KEYS = List.of("guest.perf_running_pct", "guest.perf_running_min_pct");

    /**
     * Added by issue 14 (numbers a kernel engineer can trust): what a Linux guest's /proc/interrupts,
     * perf report --stats and sysctl show, so the model can be checked against a real run.
     */
    private static final List<String> GUEST_PERF_KEYS =
            List.of("guest.pmis", "guest.perf_samples", "guest.perf_throttles", "guest.perf_max_sample_rate");

    @Test
    void theKeysAreExactlyTheIssues() {
        List<String> keys = new java.util.ArrayList<>(ISSUE_KEYS);
        keys.addAll(ACCOUNTING_KEYS);
        keys.addAll(WHO_PAID_KEYS);
        keys.addAll(GUEST_PERF_KEYS);
        assertThat(Metric.all()).extracting(Metric::key).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(Metric.all()).hasSize(35);
    }

    /** What the real machine shows is a prediction to check, not a score: only throttles have a better side. */
    @Test
    void theGuestPerfFiguresAreWholeNumbersAndOnlyThrottlesAreBetterLower() {
        assertThat(Metric.GUEST_PMIS.better()).isEqualTo(Direction.NONE);
        assertThat(Metric.GUEST_PERF_SAMPLES.better()).isEqualTo(Direction.NONE);
        assertThat(Metric.GUEST_PERF_THROTTLES.better()).isEqualTo(Direction.LOWER);
        assertThat(Metric.GUEST_PERF_MAX_SAMPLE_RATE.better()).isEqualTo(Direction.NONE);
        assertThat(Metric.GUEST_PERF_MAX_SAMPLE_RATE.label()).isEqualTo("guest.perf_max_sample_rate [Hz]");
        assertThat(MetricUnit.HERTZ.wholeNumber()).isTrue();
        assertThatThrownBy(() -> MetricValues.builder().put(Metric.GUEST_PERF_MAX_SAMPLE_RATE, 0.5))
                .hasMessageContaining("guest.perf_max_sample_rate is a whole number");
    }

    @Test
    void everyMetricIsDescribed() {
        for (Metric m : Metric.all()) {
            assertThat(m.definition()).as(m.key()).isNotBlank().doesNotContain("\n");
            assertThat(m.label()).isEqualTo(m.key() + " [" + m.unit().symbol() + "]");
        }
    }

    @Test
    void unitsFollowTheKeySuffix() {
        for (Metric m : Metric.all()) {
            if (m.key().endsWith("_pct")) {
                assertThat(m.unit()).as(m.key()).isEqualTo(MetricUnit.PERCENT);
                assertThat(m.format()).as(m.key()).isEqualTo(MetricFormat.DECIMAL_2);
            } else if (m.key().contains("_ns")) {
                assertThat(m.unit()).as(m.key()).isEqualTo(MetricUnit.NANOSECONDS);
            } else if (m.key().endsWith("_rate")) {
                assertThat(m.unit()).as(m.key()).isEqualTo(MetricUnit.HERTZ);
                assertThat(m.format()).as(m.key()).isEqualTo(MetricFormat.INTEGER);
            } else {
                assertThat(m.unit()).as(m.key()).isEqualTo(MetricUnit.COUNT);
                assertThat(m.format()).as(m.key()).isEqualTo(MetricFormat.INTEGER);
            }
        }
    }

    @Test
    void groupsAreContiguousAndInReportOrder() {
        MetricGroup previous = MetricGroup.GUEST;
        for (Metric m : Metric.all()) {
            assertThat(m.group().ordinal()).as(m.key()).isGreaterThanOrEqualTo(previous.ordinal());
            previous = m.group();
        }
        assertThat(Metric.GUEST_RUN_PCT.better()).isEqualTo(Direction.HIGHER);
        assertThat(Metric.HOST_EVENT_COVERAGE_MIN_PCT.better()).isEqualTo(Direction.HIGHER);
        assertThat(Metric.GUEST_PMU_TRAPS.better()).isEqualTo(Direction.LOWER);
    }

    @Test
    void lookupByKey() {
        assertThat(Metric.fromKey("host.vcpu_load_ns.p99")).isEqualTo(Metric.HOST_VCPU_LOAD_NS_P99);
        assertThat(Metric.byKey("guest.nope")).isEmpty();
        assertThatThrownBy(() -> Metric.fromKey("guest.nope"))
                .hasMessageContaining("unknown metric 'guest.nope'")
                .hasMessageContaining("filter.leaks");
    }

    @Test
    void formatsRoundHalfEvenWithGrouping() {
        assertThat(MetricFormat.INTEGER.format(0)).isEqualTo("0");
        assertThat(MetricFormat.INTEGER.format(999)).isEqualTo("999");
        assertThat(MetricFormat.INTEGER.format(1000)).isEqualTo("1,000");
        assertThat(MetricFormat.INTEGER.format(1_234_567.5)).isEqualTo("1,234,568");
        assertThat(MetricFormat.INTEGER.format(2.5)).isEqualTo("2");
        assertThat(MetricFormat.DECIMAL_2.format(0.125)).isEqualTo("0.12");
        assertThat(MetricFormat.DECIMAL_2.format(1234.567)).isEqualTo("1,234.57");
        assertThat(MetricFormat.DECIMAL_2.format(100)).isEqualTo("100.00");
        assertThatThrownBy(() -> MetricFormat.DECIMAL_2.format(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsIgnoreTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(MetricFormat.DECIMAL_2.format(1234.5)).isEqualTo("1,234.50");
            assertThat(MetricFormat.INTEGER.format(1234567)).isEqualTo("1,234,567");
        } finally {
            Locale.setDefault(saved);
        }
    }
}
