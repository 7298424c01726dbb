package dev.pmulab.policy.dynamichpmn;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.List;

/**
 * The typed settings of {@code sysfs-writable}.
 *
 * @param reservedHostCounters the knob's value at boot: event counters the host keeps on every
 *     CPU, or -1 for no partition until an administrator writes one
 * @param optIn only vCPUs of VMs that asked for a partitioned PMU get direct counters
 */
public record SysfsWritableSettings(int reservedHostCounters, boolean optIn) {
    public static final String RESERVED_HOST_COUNTERS = DynamicHpmnRules.RESERVED_HOST_COUNTERS;
    public static final String OPT_IN = DynamicHpmnRules.OPT_IN;

    static final List<SettingSpec> SPECS = List.of(
            SettingSpec.integer(RESERVED_HOST_COUNTERS, DynamicHpmnRules.NO_PARTITION,
                    "the knob's value at boot (the series' boot parameter made writable): event counters the"
                            + " host keeps on every CPU, guests get HPMN = N minus it; -1: no partition until"
                            + " the scenario writes the knob"),
            DynamicHpmnRules.OPT_IN_SPEC);

    public SysfsWritableSettings {
        List<String> problems = DynamicHpmnRules.checkReserved(reservedHostCounters);
        if (!problems.isEmpty()) {
            throw DynamicHpmnRules.invalid(problems);
        }
    }

    public static SysfsWritableSettings from(Settings settings) {
        List<String> problems = validate(settings);
        if (!problems.isEmpty()) {
            throw DynamicHpmnRules.invalid(problems);
        }
        return new SysfsWritableSettings(settings.getInt(RESERVED_HOST_COUNTERS), settings.getBoolean(OPT_IN));
    }

    static List<String> validate(Settings settings) {
        requireNonNull(settings, "settings is null");
        return DynamicHpmnRules.checkReserved(settings.getLong(RESERVED_HOST_COUNTERS));
    }
}
