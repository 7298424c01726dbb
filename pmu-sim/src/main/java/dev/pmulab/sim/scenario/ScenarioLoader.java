package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
     * Loads the scenario in {@code file} (UTF-8); messages name the file as given.
     *
     * @throws ScenarioException listing every problem, or naming the file when it cannot be read
     */
    public static Scenario load(Path file) {
        requireNonNull(file, "file is null");
        String text;
        try {
            // A strict decoder: a file in another encoding is an error, not mojibake in the names.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new ScenarioException(List.of(new ScenarioProblem(file.toString(), 0, 0, "",
                    "is not UTF-8 text")), e);
        } catch (IOException e) {
            throw new ScenarioException(List.of(new ScenarioProblem(file.toString(), 0, 0, "",
                    "cannot read: " + e.getClass().getSimpleName() + " " + e.getMessage())), e);
        }
        return load(file.toString(), text);
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

    static String defaultName(String fileName) {
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
