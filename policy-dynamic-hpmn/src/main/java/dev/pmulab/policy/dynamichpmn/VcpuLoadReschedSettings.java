package dev.pmulab.policy.dynamichpmn;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.SettingsSchema;

/**
 * The typed settings of {@code vcpu-load-resched}; its constructor is the one place they are checked.
 *
 * @param reservedHostCounters event counters a guest may never take on a CPU (so a guest gets at
 *     most N minus it), or -1 for no partition
 * @param optIn only vCPUs of VMs that asked for a partitioned PMU get direct counters
 */
public record VcpuLoadReschedSettings(int reservedHostCounters, boolean optIn) {
    public static final String RESERVED_HOST_COUNTERS = DynamicHpmnRules.RESERVED_HOST_COUNTERS;
    public static final String OPT_IN = DynamicHpmnRules.OPT_IN;

    /**
     * 0, not the series' -1: from v7 the parameter is only the upper limit of what a guest may take
     * (§6.3), and James Clark suggested 0 as its default on v8 (2026-07-20, known from a digest),
     * so that choosing this policy partitions; -1 still turns partitioning off.
     */
    public static final int DEFAULT_RESERVED_HOST_COUNTERS = 0;

    public static final SettingsSchema<VcpuLoadReschedSettings> SCHEMA = SettingsSchema.of(
            VcpuLoadReschedSettings.class,
            s -> new VcpuLoadReschedSettings(s.getInt(RESERVED_HOST_COUNTERS), s.getBoolean(OPT_IN)),
            SettingSpec.integer(
                    RESERVED_HOST_COUNTERS,
                    DEFAULT_RESERVED_HOST_COUNTERS,
                    "upper limit, as counters the host always keeps: a loaded vCPU takes at most N minus it"
                            + " (and at most its VM's nr_counters); -1: no partition, every guest emulated"),
            DynamicHpmnRules.OPT_IN_SPEC);

    public VcpuLoadReschedSettings {
        DynamicHpmnRules.requireValidReserved(reservedHostCounters);
    }

    public boolean partitioned() {
        return reservedHostCounters != DynamicHpmnRules.NO_PARTITION;
    }
}
