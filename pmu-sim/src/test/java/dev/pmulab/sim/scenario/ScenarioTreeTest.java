package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTreeTest {
    /**
     * A point's scenario travels as the tree's flow YAML: it must load to the same scenario as the
     * file it came from (policy positions aside: flow YAML is one line).
     */
    @Test
    void theFlowTextOfEveryBuiltInScenarioLoadsToTheSameScenario() {
        for (String name : BuiltInScenarios.names()) {
            String text = BuiltInScenarios.yaml(name);
            ScenarioTree tree = ScenarioTree.parse(name + ".yaml", text);
            // Setting the name to itself marks the tree changed, so text() is the flow form.
            String nameText =
                    tree.get("name").map(n -> ((YamlTree.ScalarNode) n).text()).orElse(name);
            ScenarioTree same = tree.with(
                    "name",
                    new YamlTree.ScalarNode(new YamlTree.Mark(1, 1), nameText, JsonToken.VALUE_STRING),
                    new YamlTree.Mark(1, 1));
            assertThat(same.text()).as(name).startsWith("{").isNotEqualTo(text);
            Scenario original = ScenarioLoader.load(name + ".yaml", text);
            Scenario reloaded = ScenarioLoader.load(name + ".yaml", same.text());
            assertThat(withoutPolicies(reloaded)).as(name).isEqualTo(withoutPolicies(original));
            assertThat(labels(reloaded)).as(name).isEqualTo(labels(original));
        }
    }

    @Test
    void aPathThroughAScalarIsRefusedAtTheGivenMark() {
        ScenarioTree tree = ScenarioTree.parse("a.yaml", "run: {duration: 1s}\n");
        YamlTree.Mark at = new YamlTree.Mark(4, 7, "s.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        tree.with("run.duration.x", new YamlTree.ScalarNode(at, "1", JsonToken.VALUE_NUMBER_INT), at))
                .hasMessage("s.yaml:4:7: run.duration.x: run.duration is '1s' in a.yaml, not a mapping");
    }

    private static Scenario withoutPolicies(Scenario s) {
        return new Scenario(
                s.name(),
                s.description(),
                s.source(),
                s.seed(),
                s.run(),
                s.host(),
                s.hostPerf(),
                s.hostTasks(),
                s.vms(),
                Policies.defaults(),
                s.adminWrites(),
                s.costs());
    }

    private static List<String> labels(Scenario s) {
        List<String> out = new java.util.ArrayList<>();
        s.policies().allocation().forEach(c -> out.add(c.kind() + " " + c.label()));
        s.policies().selection().ifPresent(c -> out.add(c.kind() + " " + c.label()));
        s.policies().filter().ifPresent(c -> out.add(c.kind() + " " + c.label()));
        return out;
    }
}
