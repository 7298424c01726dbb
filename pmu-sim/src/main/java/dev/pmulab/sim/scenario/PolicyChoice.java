package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy the scenario names, with its settings as written: scalars (Boolean, Long, Double,
 * String) and lists of them, which {@code SelectedPolicy.select} converts to the policy's declared
 * types. The scenario is validated without the plugins; {@link ScenarioPolicies#select} checks
 * the names and settings against the installed ones, and {@code declaredAt} lets it point at the line.
 *
 * @param kind the extension point
 * @param name the policy's name, {@code static-hpmn}
 * @param rawSettings setting name to raw value, in file order
 * @param declaredAt where the entry is written
 */
public record PolicyChoice(PolicyKind kind, String name, Map<String, Object> rawSettings, SourcePosition declaredAt) {
    public PolicyChoice {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(declaredAt, "declaredAt is null");
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : rawSettings.entrySet()) {
            Object v = requireNonNull(e.getValue(), "setting " + e.getKey() + " is null");
            copy.put(e.getKey(), v instanceof List<?> l ? List.copyOf(l) : v);
        }
        rawSettings = Collections.unmodifiableMap(copy);
    }

    /** {@code name} or {@code name(key=value, ...)}, as written. */
    public String label() {
        if (rawSettings.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('(');
        String sep = "";
        for (Map.Entry<String, Object> e : rawSettings.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        return sb.append(')').toString();
    }
}
