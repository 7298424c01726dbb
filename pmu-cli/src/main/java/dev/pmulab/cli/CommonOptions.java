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
                    + "Repeatable. Default: ./plugins and plugins/ beside the pmulab installation (the launcher's and"
                    + " the jar's directory), those that exist.")
    List<Path> pluginPaths = new ArrayList<>();

    /** A scenario and the text it was loaded from (a worker JVM loads the same text). */
    record ScenarioInput(Scenario scenario, RunSpec.ScenarioSource source) {}

    /**
     * The plugin directories to search: {@code --plugin-path}, or those of
     * {@link #defaultPluginDirectories} that exist.
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
        if (dirs.isEmpty()) {
            for (Path d : defaultPluginDirectories()) {
                if (Files.isDirectory(d) && dirs.stream().noneMatch(o -> sameDirectory(o, d))) {
                    dirs.add(d);
                }
            }
        }
        return dirs;
    }

    /** The system property the launcher sets to its own directory (the pmulab installation). */
    static final String HOME_PROPERTY = "pmulab.home";

    /**
     * Without {@code --plugin-path}: ./plugins, then plugins/ next to the installation (the
     * launcher's directory, which it passes as {@value #HOME_PROPERTY}, and the runnable jar's
     * directory), so a plugin installed beside pmulab is found from any working directory.
     */
    static List<Path> defaultPluginDirectories() {
        List<Path> out = new ArrayList<>();
        out.add(DEFAULT_PLUGIN_DIR);
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            out.add(Paths.get(home).resolve("plugins"));
        }
        jarDirectory().ifPresent(d -> out.add(d.resolve("plugins")));
        return out;
    }

    /** The directory of the jar pmulab runs from; empty when it runs from classes (tests, an IDE). */
    private static java.util.Optional<Path> jarDirectory() {
        try {
            var source = Pmulab.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return java.util.Optional.empty();
            }
            Path p = Paths.get(source.getLocation().toURI());
            return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")
                    ? java.util.Optional.ofNullable(p.toAbsolutePath().getParent())
                    : java.util.Optional.empty();
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            return java.util.Optional.empty();
        }
    }

    /** One directory reached two ways (./plugins when the working directory is the installation). */
    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
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
