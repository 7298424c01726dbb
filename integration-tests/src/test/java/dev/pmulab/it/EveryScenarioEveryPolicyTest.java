package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.RunReport;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.RunLength;
import dev.pmulab.sim.scenario.Scenario;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in scenario under every installed allocation policy, shortened: no run may breach
 * host/guest isolation or leak a filtered event, and every run completes.
 */
final class EveryScenarioEveryPolicyTest {
    static Stream<String> scenarios() {
        return BuiltInScenarios.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void noIsolationBreachAndNoFilterLeak(String name) {
        Scenario full = BuiltInScenarios.load(name);
        // A short window keeps the whole matrix inside the build's time budget.
        long window = name.equals(BuiltInScenarios.FLAGSHIP) ? 20_000_000L : 60_000_000L;
        Scenario s = full.withRun(new RunLength.FixedDuration(window));
        Comparison c = Comparison.plan(s, Runs.REGISTRY, Runs.builtInAllocationPolicies(), s.seed());
        ComparisonReport report = c.report(c.execute(2, n -> {}));
        for (RunReport r : report.runs()) {
            String label = r.label(report.comparedKind());
            assertThat(r.status()).as("%s under %s: %s", name, label, r.error()).isEqualTo(RunReport.Status.OK);
            assertThat(r.metrics().get(Metric.ISOLATION_BREACHES).orElseThrow())
                    .as("%s under %s", name, label)
                    .isZero();
            assertThat(r.metrics().get(Metric.FILTER_LEAKS).orElseThrow())
                    .as("%s under %s", name, label)
                    .isZero();
        }
    }
}
