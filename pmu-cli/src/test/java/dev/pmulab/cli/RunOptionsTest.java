package dev.pmulab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class RunOptionsTest {
    private static final PolicyRegistry REGISTRY = PolicyRegistry.discover(RunOptionsTest.class.getClassLoader());

    private static Comparison plan(Scenario s, String... policies) {
        return Comparison.plan(s, REGISTRY, List.of(policies), s.seed());
    }

    @Test
    void aLongRunSaysHowLongAndWhyAndStartsOnlyWithYesWhenNotOnATerminal() {
        Scenario hour = ScenarioLoader.load(
                "hour.yaml", BuiltInScenarios.yaml("flagship").replace("run: {duration: 1s}", "run: {duration: 1h}"));
        Comparison c = plan(hour, "emulated", "static-hpmn");
        RunOptions o = new RunOptions();
        o.workers = "plugins";
        o.jobs = 1;
        StringWriter err = new StringWriter();
        // Tests run with stdin not a terminal: without --yes the runs do not start.
        assertThat(RunOptions.stdinIsTerminal()).isFalse();
        assertThat(o.confirm("compare", c, new PrintWriter(err, true))).isFalse();
        // Per run 2.37e9 engine events at 1 us and 2.21e10 accesses: emulated at 0.8 us each, 20,050 s;
        // static-hpmn at 0.2 us, 6,790 s; one after the other on one lane, 26,840 s = 7.5 h.
        assertThat(err.toString())
                .contains("pmulab compare: 2 runs of flagship would take about 7.5 h on 1 core (60 min "
                        + "simulated each: about 2.4 billion engine events and 22 billion guest PMU accesses per run)")
                .contains("most of it: vms[0] (vm-record-wide) pmu_usage perf-record (4000 Hz, 8 events)")
                .contains("not started; pass --yes to run it anyway");

        o.yes = true;
        StringWriter again = new StringWriter();
        assertThat(o.confirm("compare", c, new PrintWriter(again, true))).isTrue();
        assertThat(again.toString()).contains("would take about").doesNotContain("not started");
    }

    @Test
    void aShortRunStartsWithoutAWord() {
        Comparison c = plan(BuiltInScenarios.load("guest-event-filter"), "emulated");
        RunOptions o = new RunOptions();
        o.workers = "plugins";
        StringWriter err = new StringWriter();
        assertThat(o.confirm("compare", c, new PrintWriter(err, true))).isTrue();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void optionsAreCheckedBeforeAnythingRuns() {
        RunOptions o = new RunOptions();
        o.workers = "plugins";
        o.jobs = 0;
        assertThatThrownBy(o::validate).hasMessage("--jobs must be 1 or more, not 0");
        o.jobs = 2;
        o.workerHeap = "2g";
        o.workerBudget = "90s";
        o.validate();
        assertThat(o.heapMiB()).isEqualTo(2048);
        assertThat(o.budgetNs()).contains(90_000_000_000L);
        assertThat(o.parallelism()).isEqualTo(2);
    }

    @Test
    void aPolicyListSplitsAtTopLevelCommasAndIsCheckedLikeTheScenariosAllocationList() {
        assertThat(RunOptions.policyList(null)).isEmpty(); // not given
        assertThat(RunOptions.policyList(Arrays.asList("emulated,static-hpmn(opt_in=true, reserved_host_counters=3)")))
                .containsExactly("emulated", "static-hpmn(opt_in=true, reserved_host_counters=3)");
        // The option may be repeated; each occurrence is a list.
        assertThat(RunOptions.policyList(List.of("a", "b,c"))).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> RunOptions.policyList(List.of())).hasMessageStartingWith("--policies lists no policy");
        assertThatThrownBy(() -> RunOptions.policyList(List.of("a, ,b")))
                .hasMessage("--policies has an empty name at position 2 of 3; separate names with one comma");
        assertThatThrownBy(() -> RunOptions.policyList(List.of("a(x=1"))).hasMessageContaining("unclosed '('");
    }
}
