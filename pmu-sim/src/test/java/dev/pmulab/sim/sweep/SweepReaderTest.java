package dev.pmulab.sim.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.sim.scenario.ScenarioException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepReaderTest {
    @Test
    void eachPathIsClassifiedByItsFirstKey() {
        SweepSpec s = SweepReader.read("s.yaml", """
                scenarios: [a, b]
                seeds: [1, 7]
                vary:
                  static-hpmn.reserved_host_counters: 0..2
                  "*.opt_in": false
                  host.cpu_overrides.ampereone.n: [4, 6]
                  run.duration: [1s, 10s]
                """);
        assertThat(s.name()).isEqualTo("s");
        assertThat(s.axes())
                .extracting(Axis::path, Axis::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("scenario", AxisKind.SCENARIO),
                        org.assertj.core.groups.Tuple.tuple(
                                "static-hpmn.reserved_host_counters", AxisKind.POLICY_SETTING),
                        org.assertj.core.groups.Tuple.tuple("*.opt_in", AxisKind.POLICY_SETTING),
                        org.assertj.core.groups.Tuple.tuple("host.cpu_overrides.ampereone.n", AxisKind.SCENARIO_VALUE),
                        org.assertj.core.groups.Tuple.tuple("run.duration", AxisKind.SCENARIO_VALUE),
                        org.assertj.core.groups.Tuple.tuple("seed", AxisKind.SEED));
        assertThat(s.axes().get(1).values()).extracting(AxisValue::text).containsExactly("0", "1", "2");
        assertThat(s.axes().get(4).values()).extracting(AxisValue::text).containsExactly("1s", "10s");
        assertThat(s.columns()).hasSize(4);
    }

    @Test
    void everyProblemIsReportedAtItsLineAndColumn() {
        assertThatThrownBy(() -> SweepReader.read("s.yaml", """
                        scenarios: flagship
                        polices: [static-hpmn]
                        seeds: [1, x]
                        vary:
                          static-hpmn.reserved_host_counters: 5..2
                          hz: [100]
                        """))
                .isInstanceOf(ScenarioException.class)
                .hasMessage(String.join(
                        "\n",
                        "s.yaml:2:1: polices: unknown key; a sweep file knows name, description, scenarios, policies,"
                                + " seeds, vary, points, report",
                        "s.yaml:5:39: static-hpmn.reserved_host_counters: the range 5..2 ends before it starts",
                        "s.yaml:6:3: hz: 'hz' is neither scenario, seed, a scenario path (starting with"
                                + " name, description, seed, run, host, host_perf, host_tasks, vms, policies,"
                                + " admin_writes, costs) nor POLICY.SETTING (or *.SETTING)",
                        "s.yaml:3:12: seed: a seed is a whole number, not 'x'"));
    }

    @Test
    void listedPointsSetTheSamePaths() {
        SweepSpec s = SweepReader.read("s.yaml", """
                scenarios: flagship
                points:
                  - {a.x: 1, "vms[0].vcpus": 2}
                  - a.x: 3
                    vms[0].vcpus: 2
                """);
        assertThat(s.listed()).hasSize(2);
        assertThat(s.listedAxes()).extracting(Axis::path).containsExactly("a.x", "vms[0].vcpus");
        assertThatThrownBy(() -> SweepReader.read("s.yaml", """
                        scenarios: flagship
                        points:
                          - {a.x: 1}
                          - {a.y: 3}
                        """))
                .hasMessage("s.yaml:4:5: points[1]: every point sets the same paths as the first (line 3): a.x");
    }

    @Test
    void varyArgumentsAreReadAsYamlFlowListsWithColumnsInTheArgument() {
        SweepSpec s = SweepReader.fromArguments(
                "cli",
                List.of("vms[0].placement.cpus=[0,1],[2,3]", "seed=1..3", "x.y=a"),
                List.of("static-hpmn"),
                "flagship");
        assertThat(s.axes()).extracting(Axis::path).containsExactly("scenario", "vms[0].placement.cpus", "seed", "x.y");
        assertThat(s.axes().get(1).values()).extracting(AxisValue::text).containsExactly("[0, 1]", "[2, 3]");
        assertThat(s.axes().get(2).values()).extracting(AxisValue::text).containsExactly("1", "2", "3");
        assertThatThrownBy(() -> SweepReader.fromArguments("cli", List.of("nonsense"), List.of(), "flagship"))
                .hasMessage("--vary 1:1:1: 'nonsense' is not PATH=VALUES (as static-hpmn.reserved_host_counters=0..5)");
    }
}
