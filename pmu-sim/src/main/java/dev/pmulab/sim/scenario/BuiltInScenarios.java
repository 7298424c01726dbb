package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios that ship with pmulab (the design brief's "Scenarios that ship"), as YAML resources
 * under {@code dev/pmulab/sim/scenarios/}. Each file opens with a comment whose first paragraph
 * says what question it answers and whose rest says where its numbers come from.
 */
public final class BuiltInScenarios {
    /** What {@code pmulab compare} runs when given no scenario. */
    public static final String FLAGSHIP = "flagship";

    private static final String RESOURCE_DIR = "/dev/pmulab/sim/scenarios/";

    /** In the order {@code pmulab scenarios} lists them: the cover-letter benchmarks first. */
    private static final List<String> NAMES = List.of(
            "guest-perf-record",
            "guest-perf-stat-dd",
            "stress-ng-host-measured",
            "host-profiling-beside-guests",
            "windows-biglittle-migration",
            "guest-brbe-freeze",
            "greedy-guest-trap-and-grow",
            "guest-event-filter",
            "no-host-events",
            "sysfs-admin-writes",
            FLAGSHIP);

    private BuiltInScenarios() {}

    /**
     * One built-in scenario.
     *
     * @param name its name, which is also its file name less {@code .yaml}
     * @param description its one-line description (the file's {@code description})
     * @param question the question it answers (the first paragraph of the file's opening comment)
     */
    public record BuiltIn(String name, String description, String question) {
        public BuiltIn {
            requireNonNull(name, "name is null");
            requireNonNull(description, "description is null");
            requireNonNull(question, "question is null");
        }

        public Scenario load() {
            return BuiltInScenarios.load(name);
        }

        /** The YAML text, comments included, for a user to copy and change. */
        public String yaml() {
            return BuiltInScenarios.yaml(name);
        }
    }

    /** Every built-in scenario's name. */
    public static List<String> names() {
        return NAMES;
    }

    /** Every built-in scenario, with its description and question (each file is read and validated). */
    public static List<BuiltIn> all() {
        List<BuiltIn> out = new ArrayList<>();
        for (String name : NAMES) {
            out.add(get(name));
        }
        return out;
    }

    /**
     * The built-in scenario {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static BuiltIn get(String name) {
        String text = yaml(name);
        return new BuiltIn(name, load(name).description(), question(text));
    }

    /**
     * Loads and validates the built-in scenario {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Scenario load(String name) {
        return ScenarioLoader.load(name + ".yaml", yaml(name));
    }

    /** The YAML text of the built-in scenario {@code name}. */
    public static String yaml(String name) {
        requireNonNull(name, "name is null");
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown built-in scenario '" + name + "'; known: " + String.join(", ", NAMES));
        }
        try (InputStream in = BuiltInScenarios.class.getResourceAsStream(RESOURCE_DIR + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("built-in scenario " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in scenario " + name, e);
        }
    }

    /** The first paragraph of the opening comment, as one line. */
    static String question(String yaml) {
        StringBuilder sb = new StringBuilder();
        for (String line : yaml.split("\n", -1)) {
            String l = line.strip();
            if (!l.startsWith("#")) {
                break;
            }
            String text = l.substring(1).strip();
            if (text.isEmpty()) {
                if (sb.length() > 0) {
                    break;
                }
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(text);
        }
        return sb.toString();
    }
}
