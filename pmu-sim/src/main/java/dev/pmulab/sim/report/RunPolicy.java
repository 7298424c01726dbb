package dev.pmulab.sim.report;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A run's policy of one kind as reports show it: the policy's name, every setting the run used
 * (defaults included) in name order, the declared defaults (so a report can show only what differs
 * from them), and where the policy came from. The engine names a kind a run leaves empty
 * {@link #none()}.
 *
 * @param settings setting name to value (Boolean, Long, String, List of Long), sorted by name
 * @param defaults setting name to its declared default, for the settings the policy declares
 * @param source {@code built-in} for a policy in pmulab itself, else the plugin jar or directory;
 *     null for {@link #none()}
 * @param version the plugin's {@code Implementation-Version}; null when its jar does not say
 */
public record RunPolicy(
        String name, Map<String, Object> settings, Map<String, Object> defaults, String source, String version) {
    /** The {@link #source} of a policy that ships in pmulab. */
    public static final String BUILT_IN = "built-in";

    private static final RunPolicy NONE = new RunPolicy("none", Map.of(), Map.of(), null, null);

    public RunPolicy {
        requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("policy name is blank");
        }
        settings = Collections.unmodifiableMap(copy(settings));
        defaults = Collections.unmodifiableMap(copy(defaults));
    }

    private static Map<String, Object> copy(Map<String, Object> m) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = requireNonNull(e.getValue(), () -> "setting " + e.getKey() + " is null");
            out.put(e.getKey(), v instanceof List<?> l ? List.copyOf(l) : v);
        }
        return out;
    }

    /** No policy of this kind in the run; reports label it {@code none}. */
    public static RunPolicy none() {
        return NONE;
    }

    /** A policy whose declared defaults are unknown here: every setting counts as chosen (tests, plugins' reports). */
    public static RunPolicy of(String name, Map<String, Object> settings) {
        return new RunPolicy(name, settings, Map.of(), BUILT_IN, null);
    }

    /** The settings that differ from their declared defaults, in name order. */
    public Map<String, Object> nonDefaultSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            if (!Objects.equals(defaults.get(e.getKey()), e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** {@code name(k=v, ...)} with every setting, defaults included: what the run used, in full. */
    public String label() {
        return PolicyLabel.format(name, settings);
    }

    /** {@code name(k=v, ...)} with only the settings that differ from the defaults: what the table heads a column with. */
    public String shortLabel() {
        return PolicyLabel.format(name, nonDefaultSettings());
    }
}
