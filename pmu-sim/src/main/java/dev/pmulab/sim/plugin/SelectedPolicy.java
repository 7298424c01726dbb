package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.Settings;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A policy chosen for a run, with its validated settings. */
public record SelectedPolicy(LoadedPolicy policy, Settings settings) {
    public SelectedPolicy {
        requireNonNull(policy, "policy is null");
        requireNonNull(settings, "settings is null");
    }

    public String name() {
        return policy.name();
    }

    public PolicyKind kind() {
        return policy.kind();
    }

    /**
     * Chooses {@code name} of {@code kind} from the registry with the scenario's raw settings (YAML
     * scalars and lists, or strings from the command line), converting each to its declared type.
     *
     * @throws PluginException for an unknown policy (listing the known ones of that kind), an unknown
     *     setting or a value of the wrong type (listing the known settings with their types), or a
     *     value the policy's own validation rejects
     */
    public static SelectedPolicy select(
            PolicyRegistry registry, PolicyKind kind, String name, Map<String, ?> rawSettings) {
        LoadedPolicy p = registry.get(kind, name);
        Map<String, Object> typed = SettingValues.convert(p, rawSettings);
        Settings settings = Settings.of(p.descriptor().settings(), typed);
        List<String> problems;
        try {
            problems = p.descriptor().validate(settings);
        } catch (RuntimeException e) {
            throw new PluginException(
                    kind.configName() + " policy '" + name + "' (" + p.source()
                            + ") failed while validating its settings: " + PolicyRegistry.rootMessage(e),
                    e);
        }
        if (!problems.isEmpty()) {
            throw new PluginException("invalid settings for " + kind.configName() + " policy '" + name + "': "
                    + String.join("; ", problems) + "; known settings: " + SettingValues.describeAll(p));
        }
        return new SelectedPolicy(p, settings);
    }

    /** {@code name(key=value, ...)}, as reports label a run. */
    public String label() {
        if (settings.asMap().isEmpty()) {
            return name();
        }
        return name()
                + new java.util.TreeMap<>(settings.asMap())
                        .entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue())
                                .collect(Collectors.joining(", ", "(", ")"));
    }
}
