package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed field reading: what every section reader is built on. */
final class FieldReaderTest {
    private static final String VM = "run: {duration: 1s}\nvms: [{name: v, vcpus: 1, pmu_usage: ";

    @Test
    void aReaderThatAsksForAnUndeclaredKeyIsABug() {
        Problems problems = new Problems("f.yaml");
        YamlTree.MapNode node = (YamlTree.MapNode) YamlTree.parse("a: 1\n", problems);
        FieldReader.Fields o = new FieldReader(problems).fields(node, "s", List.of("a"));
        assertThat(o.has("a")).isTrue();
        assertThatThrownBy(() -> o.has("b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("asks for 'b'");
        assertThat(problems.isEmpty()).isTrue();
    }

    @Test
    void aBooleanWithADefaultThatIsNotABooleanIsAProblemNotACrash() {
        // These two fields used to unbox a null and fail with a NullPointerException.
        // "run: {duration: 1s}\n" is line 1; on line 2 the value starts after the 87 characters
        // "vms: [{name: v, vcpus: 1, pmu_usage: {kind: brbe, frequency: 1000, freeze_on_overflow: ".
        assertThatThrownBy(() -> ScenarioLoader.load(
                        "f.yaml", VM + "{kind: brbe, frequency: 1000, freeze_on_overflow: 0.5}}]\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("f.yaml:2:88: vms[0].pmu_usage.freeze_on_overflow: expected true or false, got '0.5'");
        // "vms: [{name: v, vcpus: 1, pmu_usage: {kind: greedy, asks_for_more: " is 67 characters.
        assertThatThrownBy(() -> ScenarioLoader.load("f.yaml", VM + "{kind: greedy, asks_for_more: maybe}}]\n"))
                .isInstanceOf(ScenarioException.class)
                .hasMessage("f.yaml:2:68: vms[0].pmu_usage.asks_for_more: expected true or false, got 'maybe'");
    }

    @Test
    void aFlagThatIsNotABooleanIsReportedAndReadingGoesOnWithItsDefault() {
        // vhe: 7 is wrong and reported; the host is still read (vhe stays true), so the VM's CPU 8
        // is checked against its 8 CPUs and reported too. Columns: "host: {soc: rk3588, vhe: " is
        // 25 characters, "vms: [{name: v, vcpus: 1, placement: {cpus: [" 45.
        assertThatThrownBy(() -> ScenarioLoader.load(
                        "f.yaml",
                        "run: {duration: 1s}\nhost: {soc: rk3588, vhe: 7}\n"
                                + "vms: [{name: v, vcpus: 1, placement: {cpus: [8]}}]\n"))
                .isInstanceOfSatisfying(
                        ScenarioException.class,
                        e -> assertThat(e.problems())
                                .extracting(ScenarioProblem::toString)
                                .containsExactly(
                                        "f.yaml:2:26: host.vhe: expected true or false, got '7'",
                                        "f.yaml:3:46: vms[0].placement.cpus[0]: CPU 8 is out of range: the host has 8 CPUs"
                                                + " (0-7)"));
    }
}
