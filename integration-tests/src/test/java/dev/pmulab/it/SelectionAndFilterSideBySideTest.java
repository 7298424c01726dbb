package dev.pmulab.it;

import static dev.pmulab.it.Runs.metrics;
import static dev.pmulab.it.Runs.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.RunLength;
import dev.pmulab.sim.scenario.Scenario;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PMU selection on a big.LITTLE host, and the event filter (issue "PMU selection ... and event filtering"). */
final class SelectionAndFilterSideBySideTest {

    @Test
    void windowsMigratingAcrossCoreTypesStallsOnlyUnderTheDefaultPmu() {
        Scenario s = BuiltInScenarios.load("windows-biglittle-migration").withRun(new RunLength.FixedDuration(300_000_000L));
        Comparison c = Comparison.plan(s, Runs.REGISTRY, List.of("default-pmu", "set-pmu", "composite"), s.seed());
        Map<String, MetricValues> m = metrics(c.report(c.execute(2, n -> { })));
        assertThat(value(m, "default-pmu", Metric.GUEST_CYCLE_STALLS)).isPositive();
        assertThat(value(m, "default-pmu", Metric.GUEST_CRASHES)).isPositive();
        assertThat(value(m, "set-pmu", Metric.GUEST_CYCLE_STALLS)).isZero();
        assertThat(value(m, "set-pmu", Metric.GUEST_CRASHES)).isZero();
        assertThat(value(m, "set-pmu", Metric.VCPU_WAIT_PCT)).isGreaterThan(value(m, "composite", Metric.VCPU_WAIT_PCT));
        assertThat(value(m, "composite", Metric.GUEST_CYCLE_STALLS)).isZero();
        assertThat(value(m, "composite", Metric.GUEST_CRASHES)).isZero();
    }

    @Test
    void aDeniedEventNeverCountsForTheGuest() {
        Scenario s = BuiltInScenarios.load("guest-event-filter").withRun(new RunLength.FixedDuration(200_000_000L));
        Comparison c = Comparison.plan(s, Runs.REGISTRY, Runs.builtInAllocationPolicies(), s.seed());
        Map<String, MetricValues> m = metrics(c.report(c.execute(2, n -> { })));
        assertThat(m).hasSize(5);
        m.forEach((policy, values) -> assertThat(values.get(Metric.FILTER_LEAKS).orElseThrow())
                .as("filter leaks under %s", policy).isZero());
    }
}
