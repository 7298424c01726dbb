package dev.pmulab.sim.plugin;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.PolicyKind;
import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import dev.pmulab.sim.report.RunPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** {@code name(key=value, ...)} with every setting, as reports label a run ({@link RunPolicy#label()}). */
    public String label() {
        return runPolicy().label();
    }

    /** The policy as reports show it: name, settings, declared defaults, source and version. */
    public RunPolicy runPolicy() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (SettingSpec s : policy.descriptor().settings()) {
            defaults.put(s.name(), s.defaultValue());
        }
        PolicySource source = policy.source();
        return new RunPolicy(
                name(),
                settings.asMap(),
                defaults,
                source.external() ? source.location() : RunPolicy.BUILT_IN,
                policy.descriptor().getClass().getPackage() == null
                        ? null
                        : policy.descriptor().getClass().getPackage().getImplementationVersion());
    }
}
