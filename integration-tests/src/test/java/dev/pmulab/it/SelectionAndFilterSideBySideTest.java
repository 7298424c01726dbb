package dev.pmulab.it;

import static dev.pmulab.it.Runs.metrics;
import static dev.pmulab.it.Runs.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.report.RunFailure;
import dev.pmulab.sim.report.RunReport;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.RunLength;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PMU selection on a big.LITTLE host, and the event filter (issue "PMU selection ... and event filtering"). */
final class SelectionAndFilterSideBySideTest {

    @Test
    void windowsMigratingAcrossCoreTypesStallsOnlyUnderTheDefaultPmu() {
        Scenario s =
                BuiltInScenarios.load("windows-biglittle-migration").withRun(new RunLength.FixedDuration(300_000_000L));
        Comparison c = Comparison.plan(s, Runs.REGISTRY, List.of("default-pmu", "set-pmu", "composite"), s.seed());
        Map<String, MetricValues> m = metrics(c.report(c.execute(2, n -> {})));
        assertThat(value(m, "default-pmu", Metric.GUEST_CYCLE_STALLS)).isPositive();
        assertThat(value(m, "default-pmu", Metric.GUEST_CRASHES)).isPositive();
        assertThat(value(m, "set-pmu", Metric.GUEST_CYCLE_STALLS)).isZero();
        assertThat(value(m, "set-pmu", Metric.GUEST_CRASHES)).isZero();
        assertThat(value(m, "set-pmu", Metric.VCPU_WAIT_PCT))
                .isGreaterThan(value(m, "composite", Metric.VCPU_WAIT_PCT));
        assertThat(value(m, "composite", Metric.GUEST_CYCLE_STALLS)).isZero();
        assertThat(value(m, "composite", Metric.GUEST_CRASHES)).isZero();
    }

    @Test
    void aDeniedEventNeverCountsForTheGuest() {
        Scenario s = BuiltInScenarios.load("guest-event-filter").withRun(new RunLength.FixedDuration(200_000_000L));
        Comparison c = Comparison.plan(s, Runs.REGISTRY, Runs.builtInAllocationPolicies(), s.seed());
        Map<String, MetricValues> m = metrics(c.report(c.execute(2, n -> {})));
        assertThat(m).hasSize(5);
        m.forEach((policy, values) -> assertThat(values.get(Metric.FILTER_LEAKS).orElseThrow())
                .as("filter leaks under %s", policy)
                .isZero());
    }

    /** An Armv8.0 host (Cortex-A72, PMUv3): KVM's filter has 1024 event numbers there. */
    private static final String ARMV8_0_FILTERED = """
            name: armv8-0-filter
            seed: 3
            run: {duration: 30ms}
            host:
              cpus: [{core: cortex-a72, count: 2}]
            vms:
              - name: vm0
                vcpus: 1
                pmu_usage: {kind: perf-stat, events: [cycles, instructions, l1d_cache_refill]}
                workload: cpu-bound
            policies:
              allocation: emulated
              filter: {name: event-filter, settings: {preset: neighbour-safe, filters: "%s"}}
            """;

    @Test
    void thePresetFitsTheHostsEventSpaceWithoutBeingToldItsVersion() {
        Scenario s = ScenarioLoader.load("armv8-0.yaml", ARMV8_0_FILTERED.formatted("allow:0x08"));
        Comparison c = Comparison.plan(s, Runs.REGISTRY, List.of(), s.seed());
        RunReport run = c.report(c.execute(1, n -> {})).runs().get(0);
        assertThat(run.status()).as("%s", run.error()).isEqualTo(RunReport.Status.OK);
        assertThat(run.metrics().get(Metric.FILTER_LEAKS).orElseThrow()).isZero();
    }

    @Test
    void aFilterKvmRefusesFailsTheRunNamingThePolicyTheHookAndTheErrno() {
        Scenario s = ScenarioLoader.load("armv8-0.yaml", ARMV8_0_FILTERED.formatted("allow:0x4005"));
        Comparison c = Comparison.plan(s, Runs.REGISTRY, List.of(), s.seed());
        RunReport run = c.report(c.execute(1, n -> {})).runs().get(0);
        assertThat(run.status()).isEqualTo(RunReport.Status.FAILED);
        RunFailure f = run.failure();
        assertThat(f.policy()).isEqualTo("event-filter");
        assertThat(f.hook()).isEqualTo("configure_vm");
        assertThat(f.rule()).isNull();
        assertThat(f.detail())
                .isEqualTo("VM vm0: KVM_ARM_VCPU_PMU_V3_FILTER(allow:0x4005) of filters returned"
                        + " -EINVAL; the host's PMU is V3, with 1024 event numbers");
    }
}
