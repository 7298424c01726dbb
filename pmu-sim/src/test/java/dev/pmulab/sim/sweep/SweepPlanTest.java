package dev.pmulab.sim.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.scenario.ScenarioException;
import dev.pmulab.sim.worker.RunSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepPlanTest {
    /** A small scenario: two vCPUs profiling on a 4-CPU host for 20 ms. */
    static final String SMALL = """
            run: {duration: 20ms}
            host: {cpus: [{core: neoverse-n1, count: 4}]}
            vms:
              - name: vm0
                vcpus: 2
                pmu_usage: {kind: perf-record, scope: system, frequency: 1000, events: [cycles, instructions]}
                workload: cpu-bound
            """;

    static final ScenarioResolver RESOLVER = given -> {
        if (given.equals("small")) {
            return new RunSpec.ScenarioSource("small.yaml", SMALL);
        }
        throw new IllegalArgumentException("no scenario '" + given + "'");
    };

    static final PolicyRegistry REGISTRY = PolicyRegistry.discover(SweepPlanTest.class.getClassLoader());

    static SweepPlan plan(String yaml) {
        return SweepPlan.of(SweepReader.read("s.yaml", yaml), REGISTRY, List.of(), RESOLVER);
    }

    @Test
    void crossProductRunsTheLastAxisFastestAndTheSeedInnermost() {
        SweepPlan p = plan("""
                scenarios: small
                policies: [emulated, test-reserving]
                seeds: 1..2
                vary:
                  test-reserving.reserved: [1, 2]
                  vms[0].pmu_usage.frequency: [1000, 4000, 8000]
                """);
        // 1 scenario x 2 reservations x 3 frequencies x 2 seeds = 12 points.
        assertThat(p.points()).hasSize(12);
        SweepPoint p5 = p.points().get(5);
        assertThat(p5.index()).isEqualTo(5);
        // 5 = reservation index 0, frequency index 2, seed index 1.
        assertThat(p5.axes())
                .containsExactly(
                        java.util.Map.entry("scenario", "small"),
                        java.util.Map.entry("test-reserving.reserved", "1"),
                        java.util.Map.entry("vms[0].pmu_usage.frequency", "8000"),
                        java.util.Map.entry("seed", "2"));
        assertThat(p5.seed()).isEqualTo(2);
        assertThat(p5.policies()).hasSize(2);
        assertThat(p5.policies().get(0)).isEqualTo("emulated");
        assertThat(p5.policies().get(1)).startsWith("test-reserving(").contains("reserved=1");
        assertThat(p5.scenarioText()).contains("\"frequency\": 8000");
        assertThat(p.header().columns()).containsExactly("test-reserving.reserved", "vms[0].pmu_usage.frequency");
        assertThat(p.shard(1, 3)).extracting(SweepPoint::index).containsExactly(1, 4, 7, 10);
    }

    @Test
    void aRangeToNEndsAtTheHostsCounterCount() {
        // Neoverse N1 has 6 event counters: 0..N-1 is 0 to 5.
        SweepPlan p = plan("""
                scenarios: small
                policies: [test-reserving]
                vary: {"*.reserved": 0..N-1}
                """);
        assertThat(p.points())
                .extracting(pt -> pt.axes().get("*.reserved"))
                .containsExactly("0", "1", "2", "3", "4", "5");
    }

    @Test
    void anUnknownScenarioFieldIsRefusedAtTheSweepFilesPositionWithTheReadersMessage() {
        assertThatThrownBy(() -> plan("""
                        scenarios: small
                        vary:
                          vms[0].pmu_usage.frequncy: [1000]
                        """))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("s.yaml:3:3: vms[0].pmu_usage.frequncy: unknown field");
    }

    @Test
    void aBadValueIsRefusedWhereTheValueIsWritten() {
        assertThatThrownBy(() -> plan("""
                        scenarios: small
                        vary:
                          vms[0].vcpus: [2, lots]
                        """))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("s.yaml:3:21: vms[0].vcpus: expected a whole number, got 'lots'");
    }

    @Test
    void aSettingThePolicyRefusesIsReportedAtTheValue() {
        assertThatThrownBy(() -> plan("""
                        scenarios: small
                        policies: [test-reserving]
                        vary:
                          test-reserving.reservd: [1]
                        """))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("s.yaml:4:28: policies.allocation[0]: unknown setting 'reservd'");
    }

    @Test
    void aPointRunsToTheSameJsonLineTwice() {
        SweepPlan p = plan("""
                scenarios: small
                policies: [emulated, test-reserving]
                """);
        PointRunner runner = PointRunner.withRegistry(REGISTRY);
        PointResult a = runner.run(p.points().get(0), p.specHash());
        PointResult b = runner.run(p.points().get(0), p.specHash());
        assertThat(a.ok()).isTrue();
        assertThat(a.runs()).extracting(PointResult.PolicyRun::policy).containsExactly("emulated", "test-reserving");
        assertThat(a.toJsonLine()).isEqualTo(b.toJsonLine());
        assertThat(PointResult.fromJsonLine(a.toJsonLine())).isEqualTo(a);
    }

    @Test
    void aMissingMappingOnThePathIsAddedAndTheReaderJudgesIt() {
        SweepPlan p = plan("""
                scenarios: small
                vary:
                  host.hz: [100, 1000]
                  host.nmi_watchdog: [true]
                """);
        assertThat(p.points()).hasSize(2);
        assertThat(p.points().get(1).scenarioText()).contains("\"hz\": 1000").contains("\"nmi_watchdog\": true");
        assertThatThrownBy(() -> plan("""
                        scenarios: small
                        vary:
                          vms[3].vcpus: [1]
                        """))
                .hasMessage("s.yaml:3:3: vms[3].vcpus: vms[3]: vms has 1 items in small.yaml");
    }

    @Test
    void pointsOfAShardedPlanAreThoseWhoseIndexModNIsI() {
        SweepPlan p = plan("""
                scenarios: small
                seeds: 1..5
                """);
        assertThat(p.shard(0, 2)).extracting(SweepPoint::seed).containsExactly(1L, 3L, 5L);
        assertThat(p.shard(1, 2)).extracting(SweepPoint::seed).containsExactly(2L, 4L);
        assertThatThrownBy(() -> p.shard(2, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
