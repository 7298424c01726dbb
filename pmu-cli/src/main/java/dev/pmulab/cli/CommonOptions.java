package dev.pmulab.cli;

import dev.pmulab.sim.plugin.PluginException;
import dev.pmulab.sim.plugin.PolicyRegistry;
import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import dev.pmulab.sim.worker.RunSpec;
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

    @Option(
            names = "--plugin-path",
            paramLabel = "DIR",
            description = "A directory of plugin jars (each jar, or each subdirectory of jars, is one plugin). "
                    + "Repeatable. Default: ./plugins when it exists.")
    List<Path> pluginPaths = new ArrayList<>();

    /** A scenario and the text it was loaded from (a worker JVM loads the same text). */
    record ScenarioInput(Scenario scenario, RunSpec.ScenarioSource source) {}

    /**
     * The plugin directories to search: {@code --plugin-path}, or ./plugins when it exists.
     *
     * @throws PluginException for a path that is a file (a jar named where its directory belongs) or missing
     */
    List<Path> pluginDirectories() {
        for (Path p : pluginPaths) {
            if (Files.isRegularFile(p)) {
                throw new PluginException("--plugin-path " + p + " is a file"
                        + (p.toString().endsWith(".jar") ? " (a jar)" : "") + "; give the directory that holds the "
                        + "plugin jars: --plugin-path "
                        + (p.getParent() == null ? "." : p.getParent().toString()));
            }
            if (!Files.isDirectory(p)) {
                throw new PluginException("--plugin-path " + p + ": no such directory");
            }
        }
        List<Path> dirs = new ArrayList<>(pluginPaths);
        if (dirs.isEmpty() && Files.isDirectory(DEFAULT_PLUGIN_DIR)) {
            dirs.add(DEFAULT_PLUGIN_DIR);
        }
        return dirs;
    }

    PolicyRegistry registry() {
        return PolicyRegistry.discover(Pmulab.class.getClassLoader(), pluginDirectories());
    }

    /** A scenario file, or the name of a built-in scenario. */
    static Scenario scenario(String nameOrPath) {
        return scenarioInput(nameOrPath).scenario();
    }

    /**
     * A scenario file, or the name of a built-in scenario, with its text.
     *
     * @throws dev.pmulab.sim.scenario.ScenarioException for a file that is missing, too large, not
     *     UTF-8, or not a valid scenario
     * @throws IllegalArgumentException for a name that is neither a file nor a built-in scenario
     */
    static ScenarioInput scenarioInput(String nameOrPath) {
        if (nameOrPath.isEmpty()) {
            throw new IllegalArgumentException("the scenario is an empty string; give a file or a built-in name ("
                    + String.join(", ", BuiltInScenarios.names()) + ")");
        }
        Path p;
        try {
            p = Paths.get(nameOrPath);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("'" + nameOrPath + "' is not a path: " + e.getReason());
        }
        boolean looksLikeAFile =
                nameOrPath.endsWith(".yaml") || nameOrPath.endsWith(".yml") || nameOrPath.contains("/");
        if (Files.exists(p) || looksLikeAFile) {
            String text = ScenarioLoader.readText(p);
            RunSpec.ScenarioSource source = new RunSpec.ScenarioSource(p.toString(), text);
            return new ScenarioInput(source.load(), source);
        }
        if (!BuiltInScenarios.names().contains(nameOrPath)) {
            throw new IllegalArgumentException("no scenario file or built-in scenario '" + nameOrPath
                    + "': no such file, and the built-in ones are " + String.join(", ", BuiltInScenarios.names()));
        }
        RunSpec.ScenarioSource source =
                new RunSpec.ScenarioSource(nameOrPath + ".yaml", BuiltInScenarios.yaml(nameOrPath));
        return new ScenarioInput(source.load(), source);
    }
}
