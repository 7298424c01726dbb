package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.engine.RunResult;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.report.RunFailure;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Comparison#only}: one planned run, with its own settings, as {@code pmulab bench} times it. */
final class ComparisonOnlyTest {
    /** One policy twice, with settings that change the host's share: the two columns must not merge. */
    private static final String TWO_SETTINGS = """
            name: two-settings
            description: static-hpmn keeping 1 or 4 counters for the host
            seed: 5
            run: {duration: 30ms}
            host:
              cpus: [{core: ampereone, count: 2}]
              firmware: acpi
            host_perf:
              - {name: host-stat, mode: stat, scope: system, groups: [[instructions, branches, branch-misses, l1d_cache]]}
            vms:
              - name: vm0
                vcpus: 2
                pmu_usage: {kind: perf-record, frequency: 1000, events: [cycles, instructions]}
                workload: cpu-bound
            policies:
              allocation:
                - {name: static-hpmn, settings: {reserved_host_counters: 1}}
                - {name: static-hpmn, settings: {reserved_host_counters: 4}}
            """;

    @Test
    void onlyRunsThePlannedRunWithItsSettings() {
        Scenario s = ScenarioLoader.load("two-settings.yaml", TWO_SETTINGS);
        Comparison c = Comparison.plan(s, Runs.REGISTRY, List.of(), s.seed());
        List<Comparison.Outcome> both = c.execute(2, n -> {});
        Comparison second = c.only(1);

        assertThat(second.runs()).containsExactly(c.runs().get(1));
        RunResult alone = second.execute(1, n -> {}).get(0).result();
        assertThat(alone.ok())
                .as(alone.failure().map(RunFailure::message).orElse(""))
                .isTrue();
        assertThat(alone.metrics()).isEqualTo(both.get(1).result().metrics());
        // The host's group of four fits beside the guest only when four counters stay the host's.
        double oneKept = both.get(0)
                .result()
                .metrics()
                .get(Metric.HOST_EVENT_COVERAGE_PCT)
                .orElseThrow();
        double fourKept = alone.metrics().get(Metric.HOST_EVENT_COVERAGE_PCT).orElseThrow();
        assertThat(fourKept).isGreaterThan(oneKept);
    }
}
