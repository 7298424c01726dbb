package dev.pmulab.policy.statichpmn;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.SettingSpec;
import dev.pmulab.api.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * The typed settings of {@code static-hpmn}.
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

    static final List<SettingSpec> SPECS = List.of(
            SettingSpec.integer(RESERVED_HOST_COUNTERS, DEFAULT_RESERVED_HOST_COUNTERS,
                    "event counters the host keeps on every CPU (kvm.reserved_host_counters); guests get HPMN = N"
                            + " minus it, or 0 (FEAT_HPMN0) / 1 when it reaches N; -1: no partition, every guest"
                            + " emulated"),
            SettingSpec.bool(OPT_IN, true,
                    "true: only vCPUs of VMs that ask for a partitioned PMU (the per-VM opt-in) get direct"
                            + " counters; false: every vCPU with a PMU does, as v1's command line alone did"));

    public StaticHpmnSettings {
        List<String> problems = check(reservedHostCounters);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** The settings the core validated for this run. */
    public static StaticHpmnSettings from(Settings settings) {
        requireNonNull(settings, "settings is null");
        List<String> problems = validate(settings);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new StaticHpmnSettings(settings.getInt(RESERVED_HOST_COUNTERS), settings.getBoolean(OPT_IN));
    }

    /** One message per problem, naming the setting. */
    static List<String> validate(Settings settings) {
        requireNonNull(settings, "settings is null");
        return check(settings.getLong(RESERVED_HOST_COUNTERS));
    }

    private static List<String> check(long reserved) {
        List<String> problems = new ArrayList<>();
        if (reserved != NO_PARTITION && (reserved < 0 || reserved > MAX_EVENT_COUNTERS)) {
            problems.add(RESERVED_HOST_COUNTERS + " must be -1 (no partition) or 0.." + MAX_EVENT_COUNTERS + ", not "
                    + reserved);
        }
        return problems;
    }

    /** False for {@link #NO_PARTITION}: the policy then leaves the host as upstream KVM has it. */
    public boolean partitioned() {
        return reservedHostCounters != NO_PARTITION;
    }
}
