package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

/** How long a run lasts: a fixed simulated time, or until a VM has done a fixed amount of work. */
public sealed interface RunLength permits RunLength.FixedDuration, RunLength.UntilWorkDone {

    /** The latest simulated time the run can reach, in ns: what scheduled times must lie before. */
    long limitNs();

    /** The run lasts {@code durationNs} of simulated time; the metrics are rates and shares over it. */
    record FixedDuration(long durationNs) implements RunLength {
        public FixedDuration {
            if (durationNs <= 0) {
                throw new IllegalArgumentException("a run lasts a positive time, was " + durationNs);
            }
        }

        @Override
        public long limitNs() {
            return durationNs;
        }
    }

    /**
     * The run ends when VM {@code vm}'s guest has retired {@code instructions} instructions (all its
     * vCPUs together), so what the policies change is how long that takes, like the real time of a
     * benchmark (partitioning-and-policies.md §2.1). Time the vCPUs spend trapped, or not running,
     * does no work.
     *
     * @param timeLimitNs the run is stopped, and reported as unfinished, if it gets this far
     */
    record UntilWorkDone(String vm, long instructions, long timeLimitNs) implements RunLength {
        /** One simulated hour. */
        public static final long DEFAULT_TIME_LIMIT_NS = 3_600_000_000_000L;

        public UntilWorkDone {
            requireNonNull(vm, "vm is null");
            if (instructions < 1 || timeLimitNs <= 0) {
                throw new IllegalArgumentException(
                        "work and time limit must be positive: " + instructions + ", " + timeLimitNs);
            }
        }

        @Override
        public long limitNs() {
            return timeLimitNs;
        }
    }
}
