package dev.pmulab.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.sim.engine.Comparison;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.report.ComparisonReport;
import dev.pmulab.sim.report.RunReport;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs scenarios side by side for the integration tests. */
final class Runs {
    static final PolicyRegistry REGISTRY = PolicyRegistry.discover(Runs.class.getClassLoader());

    private Runs() {}

    /** The allocation policies that ship (the test classpath adds test-only ones, named test-*). */
    static List<String> builtInAllocationPolicies() {
        return REGISTRY.namesOf(dev.pmulab.api.PolicyKind.ALLOCATION).stream()
                .filter(n -> !n.startsWith("test-"))
                .toList();
    }

    /**
     * A 100 ms scenario on a one-CPU {@code core} host: {@code vcpus} vCPUs of one {@code guestOs}
     * VM pinned on CPU 0, cpu-bound, using the PMU as {@code usage}, then {@code more} (policies,
     * costs, host perf ...).
     */
    static String onOneCpu(String core, String guestOs, int vcpus, String usage, String more) {
        return "name: one-cpu\nseed: 1\nrun: {duration: 100ms}\nhost:\n  cpus: [{core: " + core + ", count: 1}]\n"
                + "vms:\n  - name: vm0\n    vcpus: " + vcpus + "\n    guest_os: " + guestOs + "\n"
                + "    placement: {cpus: [0], pinned: true}\n    pmu_usage: " + usage + "\n    workload: cpu-bound\n"
                + more;
    }

    /** The report of comparing {@code policies} (names of one kind; empty: the scenario's) on {@code yaml}. */
    static ComparisonReport compare(String yaml, List<String> policies) {
        return compare(ScenarioLoader.load("test.yaml", yaml), policies);
    }

    private static ComparisonReport compare(Scenario s, List<String> policies) {
        Comparison c = Comparison.plan(s, REGISTRY, policies, s.seed());
        return c.report(c.execute(2, n -> {}));
    }

    /** The report of comparing {@code policies} (empty: the scenario's) on the built-in scenario {@code name}. */
    static ComparisonReport compareBuiltIn(String name, List<String> policies) {
        return compare(BuiltInScenarios.load(name), policies);
    }

    /** The raw outcomes (with the per-register trap counts) of comparing {@code policies} on {@code yaml}. */
    static List<Comparison.Outcome> execute(String yaml, List<String> policies) {
        Scenario s = ScenarioLoader.load("test.yaml", yaml);
        return Comparison.plan(s, REGISTRY, policies, s.seed()).execute(2, n -> {});
    }

    /** The raw outcomes (with the per-register trap counts) of the built-in scenario {@code name}'s own runs. */
    static List<Comparison.Outcome> executeBuiltIn(String name) {
        Scenario s = BuiltInScenarios.load(name);
        return Comparison.plan(s, REGISTRY, List.of(), s.seed()).execute(2, n -> {});
    }

    /** Column label to metrics, every run required to succeed. */
    static Map<String, MetricValues> metrics(ComparisonReport report) {
        Map<String, MetricValues> out = new LinkedHashMap<>();
        for (RunReport r : report.runs()) {
            assertThat(r.status())
                    .as("run %s: %s", r.label(report.comparedKind()), r.error())
                    .isEqualTo(RunReport.Status.OK);
            out.put(r.label(report.comparedKind()).replaceAll("\\(.*", ""), r.metrics());
        }
        return out;
    }

    static double value(Map<String, MetricValues> m, String policy, Metric metric) {
        MetricValues v = m.get(policy);
        assertThat(v).as("a run of %s", policy).isNotNull();
        assertThat(v.get(metric)).as("%s of %s", metric.key(), policy).isPresent();
        return v.get(metric).getAsDouble();
    }
}
