package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.io.TextFileException;
import dev.pmulab.hw.io.TextFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and validates scenario files (docs/scenarios.md). Validation is strict and complete: every
 * problem in the file is reported at once, each as {@code file:line:column: path: message}. It
 * needs no plugins; {@link ScenarioPolicies#select} checks the policy names and settings against
 * the installed policies when a run is about to start. {@code pmulab validate FILE} is this plus
 * that check.
 */
public final class ScenarioLoader {
    private ScenarioLoader() {}

    /**
     * The largest scenario file {@link #load(Path)} reads. A hand-written scenario is a few kB (the
     * flagship, 64 CPUs and 128 vCPUs, is 3 kB); YAML's parser given tens of MB spins for minutes
     * before it reports anything, so such a file is refused before it is parsed.
     */
    public static final long MAX_FILE_BYTES = 1L << 20;

    /**
     * Loads the scenario in {@code file} (UTF-8); messages name the file as given.
     *
     * @throws ScenarioException listing every problem, or naming the file when it cannot be read:
     *     no such file, a directory, above {@link #MAX_FILE_BYTES}, not UTF-8 text (with the byte)
     */
    public static Scenario load(Path file) {
        return load(file.toString(), readText(file));
    }

    /**
     * The text of the scenario file {@code file}, checked as {@link #load(Path)} checks it, for a
     * caller that keeps the text (a worker JVM loads the same text again).
     *
     * @throws ScenarioException naming the file and what is wrong with it
     */
    public static String readText(Path file) {
        requireNonNull(file, "file is null");
        try {
            return TextFiles.read(file, "scenario file", MAX_FILE_BYTES);
        } catch (TextFileException e) {
            // The message already starts with the file name: the problem names no position.
            String message = e.getMessage().substring(file.toString().length() + 2);
            throw new ScenarioException(List.of(new ScenarioProblem(file.toString(), 0, 0, "", message)), e);
        }
    }

    /**
     * Loads a scenario from text. {@code fileName} is what messages call the file; without a
     * {@code name} field the scenario is named after it (its last path element, less .yaml or .yml).
     *
     * @throws ScenarioException listing every problem
     */
    public static Scenario load(String fileName, String yamlText) {
        requireNonNull(fileName, "fileName is null");
        requireNonNull(yamlText, "yamlText is null");
        Problems problems = new Problems(fileName);
        YamlTree.Node root = YamlTree.parse(yamlText, problems);
        return read(fileName, root, problems);
    }

    /** Reads a parsed tree (a sweep point's, with values grafted in: {@link ScenarioTree}). */
    static Scenario read(String fileName, YamlTree.Node root) {
        return read(fileName, root, new Problems(fileName));
    }

    private static Scenario read(String fileName, YamlTree.Node root, Problems problems) {
        Scenario scenario = null;
        if (root != null) {
            scenario = new ScenarioReader(problems).read(root, defaultName(fileName));
        }
        problems.throwIfAny();
        if (scenario == null) {
            throw new IllegalStateException("scenario " + fileName + " was not read, yet no problem was reported");
        }
        return scenario;
    }

    /** A scenario's (or a sweep's) name when it gives none: its file name less .yaml or .yml. */
    public static String defaultName(String fileName) {
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        for (String ext : new String[] {".yaml", ".yml"}) {
            if (base.endsWith(ext)) {
                return base.substring(0, base.length() - ext.length());
            }
        }
        return base;
    }
}
