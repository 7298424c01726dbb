package dev.pmulab.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a policy declares it supports or does, as Trino connectors declare their behaviours: the
 * policy contract kit skips, and says it skips, what a policy does not claim, and holds it to what
 * it claims. {@link PolicyDescriptor#behaviors()} returns {@link #defaults()} unless overridden.
 */
@Stable(since = "0.1")
public enum PolicyBehavior {
    /**
     * Runs on a host with more than one core type, with vCPUs migrating between them. On by
     * default: every policy of a heterogeneous SoC meets this.
     */
    SUPPORTS_HETEROGENEOUS_HOSTS(true),
    /**
     * Runs on an nVHE host (the kernel at EL1), where no counter partition is possible. On by
     * default.
     */
    SUPPORTS_NVHE_HOSTS(true),
    /**
     * Partitions the PMU on a VHE host (HPMN below N, guests reach counters directly). Such a policy
     * may be refused on an nVHE host, cleanly, with the rule {@code VHE only}; a policy that does
     * not declare it must run there without any refusal. Off by default.
     */
    PARTITIONS_PMU(false),
    /**
     * Acts on administrator writes of the {@code reserved_host_counters} knob at run time (the
     * partitioning series' sysfs file), through {@link AllocationPolicy#adminWrite}. Off by default:
     * a policy without the knob rejects the write.
     */
    RESERVED_HOST_COUNTERS_KNOB(false);

    private final boolean byDefault;

    PolicyBehavior(boolean byDefault) {
        this.byDefault = byDefault;
    }

    /** Whether a descriptor that does not override {@link PolicyDescriptor#behaviors()} has it. */
    public boolean byDefault() {
        return byDefault;
    }

    /** The behaviours a policy has unless it says otherwise. */
    public static Set<PolicyBehavior> defaults() {
        Set<PolicyBehavior> out = EnumSet.noneOf(PolicyBehavior.class);
        for (PolicyBehavior b : values()) {
            if (b.byDefault) {
                out.add(b);
            }
        }
        return out;
    }

    /** The defaults plus {@code extra}: what a partitioning policy usually returns. */
    public static Set<PolicyBehavior> defaultsAnd(PolicyBehavior... extra) {
        Set<PolicyBehavior> out = defaults();
        out.addAll(Set.of(extra));
        return out;
    }
}
