package dev.pmulab.policy.statichpmn;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.SettingsSchema;

/**
 * The typed settings of {@code static-hpmn}; its constructor is the one place they are checked.
 *
 * @param reservedHostCounters event counters the host keeps on every CPU, or
 *     {@link #NO_PARTITION}
 * @param optIn only vCPUs of VMs that asked for a partitioned PMU get direct counters
 */
public record StaticHpmnSettings(int reservedHostCounters, boolean optIn) {
    public static final String RESERVED_HOST_COUNTERS = "reserved_host_counters";
    public static final String OPT_IN = "opt_in";

    /** The series' default from v3 on: -1 means no partition, so that 0 is unambiguous (§3.3). */
    public static final int NO_PARTITION = -1;

    /** PMCR_EL0.N is five bits: no PMU has more than 31 event counters. */
    public static final int MAX_EVENT_COUNTERS = 31;
    /**
     * pmulab's default: the host keeps two counters (a perf stat group of two, or the NMI watchdog and
     * one more). The kernel's own default is {@link #NO_PARTITION}, which would make the policy
     * behave exactly as the emulated baseline in a comparison at default settings.
     */
    public static final int DEFAULT_RESERVED_HOST_COUNTERS = 2;

    public static final SettingsSchema<StaticHpmnSettings> SCHEMA = SettingsSchema.of(
            StaticHpmnSettings.class,
            s -> new StaticHpmnSettings(s.getInt(RESERVED_HOST_COUNTERS), s.getBoolean(OPT_IN)),
            SettingSpec.integer(
                    RESERVED_HOST_COUNTERS,
                    DEFAULT_RESERVED_HOST_COUNTERS,
                    "event counters the host keeps on every CPU (kvm.reserved_host_counters); guests get HPMN = N"
                            + " minus it, or 0 (FEAT_HPMN0) / 1 when it reaches N; -1: no partition, every guest"
                            + " emulated"),
            SettingSpec.bool(
                    OPT_IN,
                    true,
                    "true: only vCPUs of VMs that ask for a partitioned PMU (the per-VM opt-in) get direct"
                            + " counters; false: every vCPU with a PMU does, as v1's command line alone did"));

    public StaticHpmnSettings {
        if (reservedHostCounters != NO_PARTITION
                && (reservedHostCounters < 0 || reservedHostCounters > MAX_EVENT_COUNTERS)) {
            throw new IllegalArgumentException(RESERVED_HOST_COUNTERS + " must be -1 (no partition) or 0.."
                    + MAX_EVENT_COUNTERS + ", not " + reservedHostCounters);
        }
    }

    /** False for {@link #NO_PARTITION}: the policy then leaves the host as upstream KVM has it. */
    public boolean partitioned() {
        return reservedHostCounters != NO_PARTITION;
    }
}
