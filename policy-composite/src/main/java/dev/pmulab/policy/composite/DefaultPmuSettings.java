package dev.pmulab.policy.composite;

import dev.pmulab.api.SettingsSchema;

/**
 * The typed settings of {@code default-pmu}.
 *
 * @param nrCounters the guest's PMCR_EL0.N through SET_NR_COUNTERS, or -1 to leave it alone
 */
public record DefaultPmuSettings(int nrCounters) {
    public static final SettingsSchema<DefaultPmuSettings> SCHEMA = SettingsSchema.of(
            DefaultPmuSettings.class, s -> new DefaultPmuSettings(s.getInt(NrCounters.NAME)), NrCounters.SPEC);

    public DefaultPmuSettings {
        String problem = NrCounters.problem(nrCounters);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
