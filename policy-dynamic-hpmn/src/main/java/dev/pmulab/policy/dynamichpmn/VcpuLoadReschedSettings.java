package dev.pmulab.policy.dynamichpmn;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.List;

/**
 * The typed settings of {@code vcpu-load-resched}.
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

    static final List<SettingSpec> SPECS = List.of(
            SettingSpec.integer(RESERVED_HOST_COUNTERS, DEFAULT_RESERVED_HOST_COUNTERS,
                    "upper limit, as counters the host always keeps: a loaded vCPU takes at most N minus it"
                            + " (and at most its VM's nr_counters); -1: no partition, every guest emulated"),
            DynamicHpmnRules.OPT_IN_SPEC);

    public VcpuLoadReschedSettings {
        List<String> problems = DynamicHpmnRules.checkReserved(reservedHostCounters);
        if (!problems.isEmpty()) {
            throw DynamicHpmnRules.invalid(problems);
        }
    }

    public static VcpuLoadReschedSettings from(Settings settings) {
        List<String> problems = validate(settings);
        if (!problems.isEmpty()) {
            throw DynamicHpmnRules.invalid(problems);
        }
        return new VcpuLoadReschedSettings(settings.getInt(RESERVED_HOST_COUNTERS), settings.getBoolean(OPT_IN));
    }

    static List<String> validate(Settings settings) {
        requireNonNull(settings, "settings is null");
        return DynamicHpmnRules.checkReserved(settings.getLong(RESERVED_HOST_COUNTERS));
    }

    public boolean partitioned() {
        return reservedHostCounters != DynamicHpmnRules.NO_PARTITION;
    }
}
