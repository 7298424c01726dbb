package dev.pmulab.policy.dynamichpmn;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.SettingsSchema;

/**
 * The typed settings of {@code sysfs-writable}; its constructor is the one place they are checked.
 *
 * @param reservedHostCounters the knob's value at boot: event counters the host keeps on every
 *     CPU, or -1 for no partition until an administrator writes one
 * @param optIn only vCPUs of VMs that asked for a partitioned PMU get direct counters
 */
public record SysfsWritableSettings(int reservedHostCounters, boolean optIn) {
    public static final String RESERVED_HOST_COUNTERS = DynamicHpmnRules.RESERVED_HOST_COUNTERS;
    public static final String OPT_IN = DynamicHpmnRules.OPT_IN;

    public static final SettingsSchema<SysfsWritableSettings> SCHEMA = SettingsSchema.of(
            SysfsWritableSettings.class,
            s -> new SysfsWritableSettings(s.getInt(RESERVED_HOST_COUNTERS), s.getBoolean(OPT_IN)),
            SettingSpec.integer(
                    RESERVED_HOST_COUNTERS,
                    DynamicHpmnRules.NO_PARTITION,
                    "the knob's value at boot (the series' boot parameter made writable): event counters the"
                            + " host keeps on every CPU, guests get HPMN = N minus it; -1: no partition until"
                            + " the scenario writes the knob"),
            DynamicHpmnRules.OPT_IN_SPEC);

    public SysfsWritableSettings {
        DynamicHpmnRules.requireValidReserved(reservedHostCounters);
    }
}
