package dev.pmulab.policy.composite;

import dev.pmulab.api.SettingSpec;

/** The {@code nr_counters} setting shared by default-pmu and set-pmu: KVM_ARM_VCPU_PMU_V3_SET_NR_COUNTERS. */
final class NrCounters {
    static final String NAME = "nr_counters";
    /** Not set: the guest's PMCR.N is the PMU's counter count. */
    static final int UNSET = -1;
    /** ARMV8_PMU_MAX_GENERAL_COUNTERS. */
    static final int MAX = 31;

    static final SettingSpec SPEC = SettingSpec.integer(
            NAME,
            UNSET,
            "the guest's PMCR_EL0.N through SET_NR_COUNTERS, 0..31; -1 leaves it at the PMU's counter count");

    private NrCounters() {}

    /** What is wrong with {@code n} as nr_counters (-1 or 0..31), or null when nothing is. */
    static String problem(int n) {
        if (n != UNSET && (n < 0 || n > MAX)) {
            return NAME + " must be -1 (leave PMCR_EL0.N alone) or 0.." + MAX + ", not " + n;
        }
        return null;
    }
}
