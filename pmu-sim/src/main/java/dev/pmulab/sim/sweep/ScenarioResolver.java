package dev.pmulab.sim.sweep;

import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.ScenarioLoader;
import dev.pmulab.sim.worker.RunSpec;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a sweep's scenario by what the sweep calls it: a built-in name, or a file. */
@FunctionalInterface
public interface ScenarioResolver {
    /**
     * The scenario's file name (as messages call it) and text.
     *
     * @throws IllegalArgumentException naming what is wrong: no such built-in scenario or file
     * @throws dev.pmulab.sim.scenario.ScenarioException for a file that cannot be read
     */
    RunSpec.ScenarioSource resolve(String given);

    /**
     * Built-in scenarios by name; anything else is a file, relative to {@code base} (the sweep
     * file's directory) unless absolute. A name that is both is the built-in one unless it ends in
     * .yaml or .yml or holds a '/'.
     */
    static ScenarioResolver relativeTo(Path base) {
        return given -> {
            boolean looksLikeAFile = given.endsWith(".yaml") || given.endsWith(".yml") || given.contains("/");
            if (!looksLikeAFile && BuiltInScenarios.names().contains(given)) {
                return new RunSpec.ScenarioSource(given + ".yaml", BuiltInScenarios.yaml(given));
            }
            Path p = base == null ? Path.of(given) : base.resolve(given);
            if (!looksLikeAFile && !Files.exists(p)) {
                throw new IllegalArgumentException("no built-in scenario or file '" + given
                        + "'; the built-in ones are " + String.join(", ", BuiltInScenarios.names()));
            }
            return new RunSpec.ScenarioSource(p.toString(), ScenarioLoader.readText(p));
        };
    }
}
