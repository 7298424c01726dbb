package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Where a VM's vCPU threads may run.
 *
 * @param cpus the pCPUs the vCPU threads are allowed on, ascending
 * @param pinned each vCPU is pinned to one pCPU: vCPU i to {@code cpus[i % cpus.size()]};
 *     otherwise the host scheduler places them within {@code cpus}
 * @param initCpu the pCPU the VMM thread runs on when it initialises the vCPUs, which picks KVM's
 *     default PMU on a heterogeneous host (partitioning-and-policies.md §6.6)
 * @param migrate forced migrations, on top of what the host scheduler does; never with {@code pinned}
 */
public record Placement(List<Integer> cpus, boolean pinned, int initCpu, Optional<Migration> migrate) {
    /**
     * Every {@code everyNs}, each running vCPU moves to another pCPU of {@link #cpus()}.
     *
     * @param everyNs the interval between two forced migrations of a vCPU
     * @param acrossCoreTypes move to a pCPU of another core type each time (the big.LITTLE case
     *     where counters stop under the default PMU); otherwise stay on the same core type
     */
    public record Migration(long everyNs, boolean acrossCoreTypes) {
        public Migration {
            if (everyNs <= 0) {
                throw new IllegalArgumentException("migration interval must be positive, was " + everyNs);
            }
        }
    }

    public Placement {
        cpus = List.copyOf(cpus);
        requireNonNull(migrate, "migrate is null");
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("a placement has at least one CPU");
        }
        if (pinned && migrate.isPresent()) {
            throw new IllegalArgumentException("a pinned vCPU does not migrate");
        }
        if (initCpu < 0) {
            throw new IllegalArgumentException("init CPU must be a CPU number, was " + initCpu);
        }
    }

    /** The pCPU vCPU {@code vcpu} is pinned to; only for a pinned placement. */
    public int pinnedCpu(int vcpu) {
        if (!pinned) {
            throw new IllegalStateException("placement is not pinned");
        }
        return cpus.get(vcpu % cpus.size());
    }
}
