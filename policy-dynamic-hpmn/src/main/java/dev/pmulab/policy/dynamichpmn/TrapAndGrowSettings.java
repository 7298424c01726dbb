package dev.pmulab.policy.dynamichpmn;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed settings of {@code trap-and-grow}.
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

    static final List<SettingSpec> SPECS = List.of(
            SettingSpec.integer(START, 1,
                    "event counters every guest gets at vcpu_load before it traps for more (0 means only PMCCNTR,"
                            + " and becomes 1 on CPUs without FEAT_HPMN0)"),
            SettingSpec.integer(CAP, DynamicHpmnRules.MAX_EVENT_COUNTERS,
                    "the most event counters a guest may grow to; the default 31 means every counter of each CPU,"
                            + " the proposal's default limit"),
            SettingSpec.bool(DISPLACE_FLEXIBLE, true,
                    "whether a guest may grow over counters that flexible host events hold (they are rescheduled"
                            + " and may lose their counter); pinned host events are never displaced"),
            DynamicHpmnRules.OPT_IN_SPEC);

    public TrapAndGrowSettings {
        List<String> problems = check(start, cap);
        if (!problems.isEmpty()) {
            throw DynamicHpmnRules.invalid(problems);
        }
    }

    public static TrapAndGrowSettings from(Settings settings) {
        List<String> problems = validate(settings);
        if (!problems.isEmpty()) {
            throw DynamicHpmnRules.invalid(problems);
        }
        return new TrapAndGrowSettings(settings.getInt(START), settings.getInt(CAP),
                settings.getBoolean(DISPLACE_FLEXIBLE), settings.getBoolean(OPT_IN));
    }

    static List<String> validate(Settings settings) {
        requireNonNull(settings, "settings is null");
        return check(settings.getLong(START), settings.getLong(CAP));
    }

    private static List<String> check(long start, long cap) {
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
        return problems;
    }
}
