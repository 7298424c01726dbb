package dev.pmulab.sim.worker;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.sim.plugin.SelectedPolicy;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run a worker JVM is asked to do: everything that determines it, as data. A run is a pure
 * function of (scenario, policies, seed), so the worker loads the same scenario text, selects the
 * same policies with the same settings and runs the same code as the JVM that asked.
 *
 * @param id the request's number, which the reply repeats
 * @param scenario the scenario's text and the file name messages call it by
 * @param seed the run's seed
 * @param pluginPaths the plugin directories the asking JVM discovered its policies in
 * @param policies the run's policies, at most one per kind
 */
public record RunSpec(
        long id, ScenarioSource scenario, long seed, List<String> pluginPaths, List<PolicySpec> policies) {
    public RunSpec {
        requireNonNull(scenario, "scenario is null");
        pluginPaths = List.copyOf(pluginPaths);
        policies = List.copyOf(policies);
    }

    /**
     * A scenario as text: what {@link ScenarioLoader#load(String, String)} reads.
     *
     * @param fileName what messages call the file; the scenario's default name derives from it
     * @param text the YAML text
     */
    public record ScenarioSource(String fileName, String text) {
        public ScenarioSource {
            requireNonNull(fileName, "fileName is null");
            requireNonNull(text, "text is null");
        }

        public Scenario load() {
            return ScenarioLoader.load(fileName, text);
        }
    }

    /**
     * A chosen policy: its kind, name and settings, every setting given (defaults too), typed as the
     * descriptor declares them (whole numbers, booleans, strings, lists of whole numbers).
     */
    public record PolicySpec(PolicyKind kind, String name, Map<String, Object> settings) {
        public PolicySpec {
            requireNonNull(kind, "kind is null");
            requireNonNull(name, "name is null");
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        public static PolicySpec of(SelectedPolicy p) {
            return new PolicySpec(p.kind(), p.name(), p.settings().asMap());
        }
    }

    /** The spec of a planned run's policies. */
    public static RunSpec of(
            long id, ScenarioSource scenario, long seed, List<Path> pluginPaths, List<SelectedPolicy> policies) {
        return new RunSpec(
                id,
                scenario,
                seed,
                pluginPaths.stream().map(Path::toString).toList(),
                policies.stream().map(PolicySpec::of).toList());
    }
}
