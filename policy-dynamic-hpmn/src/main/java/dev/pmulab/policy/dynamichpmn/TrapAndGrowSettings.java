package dev.pmulab.policy.dynamichpmn;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.SettingsSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed settings of {@code trap-and-grow}; its constructor is the one place they are checked.
 *
 * @param start event counters every guest gets at vcpu_load
 * @param cap the most event counters a guest may grow to
 * @param displaceFlexible whether a guest may grow over counters flexible host events hold
 * @param optIn only vCPUs of VMs that asked for a partitioned PMU get direct counters
 */
public record TrapAndGrowSettings(int start, int cap, boolean displaceFlexible, boolean optIn) {
    public static final String START = "start";
    public static final String CAP = "cap";
    public static final String DISPLACE_FLEXIBLE = "displace_flexible";
    public static final String OPT_IN = DynamicHpmnRules.OPT_IN;

    public static final SettingsSchema<TrapAndGrowSettings> SCHEMA = SettingsSchema.of(
            TrapAndGrowSettings.class,
            s -> new TrapAndGrowSettings(
                    s.getInt(START), s.getInt(CAP), s.getBoolean(DISPLACE_FLEXIBLE), s.getBoolean(OPT_IN)),
            SettingSpec.integer(
                    START,
                    1,
                    "event counters every guest gets at vcpu_load before it traps for more (0 means only PMCCNTR,"
                            + " and becomes 1 on CPUs without FEAT_HPMN0)"),
            SettingSpec.integer(
                    CAP,
                    DynamicHpmnRules.MAX_EVENT_COUNTERS,
                    "the most event counters a guest may grow to; the default 31 means every counter of each CPU,"
                            + " the proposal's default limit"),
            SettingSpec.bool(
                    DISPLACE_FLEXIBLE,
                    true,
                    "whether a guest may grow over counters that flexible host events hold (they are rescheduled"
                            + " and may lose their counter); pinned host events are never displaced"),
            DynamicHpmnRules.OPT_IN_SPEC);

    public TrapAndGrowSettings {
        List<String> problems = new ArrayList<>();
        int max = DynamicHpmnRules.MAX_EVENT_COUNTERS;
        if (start < 0 || start > max) {
            problems.add(START + " must be 0.." + max + ", not " + start);
        }
        if (cap < 0 || cap > max) {
            problems.add(CAP + " must be 0.." + max + ", not " + cap);
        }
        if (problems.isEmpty() && start > cap) {
            problems.add(START + " (" + start + ") must not exceed " + CAP + " (" + cap + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }
}
