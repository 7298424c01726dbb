package dev.pmulab.cli;

import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command that loads policies or scenarios shares. */
final class CommonOptions {
    /** The default plugin directory, relative to the working directory: used when it exists. */
    static final Path DEFAULT_PLUGIN_DIR = Paths.get("plugins");

    @Option(names = "--plugin-path", paramLabel = "DIR",
            description = "A directory of plugin jars (each jar, or each subdirectory of jars, is one plugin). "
                    + "Repeatable. Default: ./plugins when it exists.")
    List<Path> pluginPaths = new ArrayList<>();

    PolicyRegistry registry() {
        List<Path> dirs = new ArrayList<>(pluginPaths);
        if (dirs.isEmpty() && Files.isDirectory(DEFAULT_PLUGIN_DIR)) {
            dirs.add(DEFAULT_PLUGIN_DIR);
        }
        return PolicyRegistry.discover(Pmulab.class.getClassLoader(), dirs);
    }

    /** A scenario file, or the name of a built-in scenario. */
    static Scenario scenario(String nameOrPath) {
        Path p = Paths.get(nameOrPath);
        if (Files.exists(p) || nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml")) {
            return ScenarioLoader.load(p);
        }
        if (!BuiltInScenarios.names().contains(nameOrPath)) {
            throw new IllegalArgumentException("no scenario file or built-in scenario '" + nameOrPath
                    + "'; built-in: " + String.join(", ", BuiltInScenarios.names()));
        }
        return BuiltInScenarios.load(nameOrPath);
    }
}
