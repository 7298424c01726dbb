package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.plugin.SelectedPolicy;
import org.junit.jupiter.api.Test;

/** Policy names and settings checked against the installed policies (here, the test classpath's). */
final class ScenarioPoliciesTest {
    private static final PolicyRegistry REGISTRY = PolicyRegistry.discover(ScenarioPoliciesTest.class.getClassLoader());

    @Test
    void namedPoliciesAreSelectedWithTheirSettingsConverted() {
        Scenario s = ScenarioLoader.load("ok.yaml", """
                run: {duration: 1s}
                policies:
                  allocation:
                    - test-throwing
                    - {name: test-reserving, settings: {reserved: 3, top_down: true, mode: loose, cpus: [0, 1]}}
                  filter: test-no-inject-constructor
                """);
        ScenarioPolicies p = ScenarioPolicies.select(s, REGISTRY);
        assertThat(p.allocation()).extracting(SelectedPolicy::name).containsExactly("test-throwing", "test-reserving");
        assertThat(p.allocation().get(1).settings().getLong("reserved")).isEqualTo(3);
        assertThat(p.allocation().get(1).settings().getBoolean("top_down")).isTrue();
        assertThat(p.allocation().get(1).settings().getLongList("cpus")).containsExactly(0L, 1L);
        assertThat(p.selection()).isEmpty();
        assertThat(p.filter()).hasValueSatisfying(f -> assertThat(f.name()).isEqualTo("test-no-inject-constructor"));
    }

    @Test
    void noAllocationPolicyNamedComparesEveryInstalledOneAtItsDefaults() {
        Scenario s = ScenarioLoader.load("all.yaml", "run: {duration: 1s}\n");
        ScenarioPolicies p = ScenarioPolicies.select(s, REGISTRY);
        assertThat(p.allocation())
                .extracting(SelectedPolicy::name)
                .contains("test-reserving", "test-throwing")
                .isSorted();
        assertThat(p.allocation())
                .filteredOn(a -> a.name().equals("test-reserving"))
                .singleElement()
                .satisfies(a -> assertThat(a.settings().getLong("reserved")).isEqualTo(2));
    }

    @Test
    void registryRejectionsNameTheLineAndColumnOfEachPolicyEntry() {
        Scenario s = ScenarioLoader.load("policies.yaml", """
                run: {duration: 1s}
                policies:
                  allocation:
                    - test-reserving
                    - statik-hpmn
                    - {name: test-reserving, settings: {reserved: many}}
                  selection: default-pmu
                  filter: test-reserving
                """);
        assertThatThrownBy(() -> ScenarioPolicies.select(s, REGISTRY))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> assertThat(((ScenarioException) e).problems())
                        .hasSize(4)
                        .extracting(ScenarioProblem::line, ScenarioProblem::column, ScenarioProblem::path)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(5, 7, "policies.allocation[1]"),
                                org.assertj.core.groups.Tuple.tuple(6, 7, "policies.allocation[2]"),
                                org.assertj.core.groups.Tuple.tuple(7, 14, "policies.selection"),
                                org.assertj.core.groups.Tuple.tuple(8, 11, "policies.filter")))
                .hasMessageContaining("policies.yaml:5:7: policies.allocation[1]: unknown allocation policy"
                        + " 'statik-hpmn'; known: ")
                .hasMessageContaining("policies.yaml:6:7: policies.allocation[2]: setting 'reserved' of allocation"
                        + " policy 'test-reserving' must be an integer, not 'many'; known settings: reserved (integer,"
                        + " default 2): counters kept for the host")
                .hasMessageContaining("policies.yaml:7:14: policies.selection: unknown selection policy"
                        + " 'default-pmu'; known: (none)")
                .hasMessageContaining("policies.yaml:8:11: policies.filter: unknown filter policy 'test-reserving'"
                        + " ('test-reserving' is a allocation policy); known: test-no-inject-constructor");
    }

    @Test
    void aPolicysOwnValidationIsReportedAtItsEntry() {
        Scenario s = ScenarioLoader.load("v.yaml", """
                run: {duration: 1s}
                policies:
                  allocation: {name: test-reserving, settings: {reserved: -1}}
                """);
        assertThatThrownBy(() -> ScenarioPolicies.select(s, REGISTRY))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("v.yaml:3:15: policies.allocation: invalid settings for allocation policy"
                        + " 'test-reserving': reserved must be >= 0; known settings: ");
    }
}
