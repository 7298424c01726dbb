package dev.pmulab.sim.scenario;

import java.util.Locale;

/**
 * The named workloads a scenario can run. Each is an event-rate profile the engine owns (how many
 * cycles, instructions, cache refills... per second of running, at EL0 and EL1) plus how often it
 * leaves the CPU; a scenario may override any rate ({@link Workload#ratesPerSecond()}).
 */
public enum WorkloadProfile {
    /** A steady CPU-bound loop: no I/O, rare exits. */
    CPU_BOUND("a steady CPU-bound loop: no I/O, rare VM exits"),
    /**
     * gzip compressing a file in tmpfs: CPU-bound with a large working set (the v1 cover letter's
     * benchmark 1, partitioning-and-policies.md §2.1).
     */
    COMPRESSION("gzip compressing a file in tmpfs: CPU-bound, large working set"),
    /** A long CPU-bound suite of mixed integer programs, SPECint2017-like (benchmark 2, §2.1). */
    SPEC_INT("a long CPU-bound suite of mixed integer programs, SPECint2017-like"),
    /** stress-ng --cpu 0: every CPU method in turn, on every CPU it is given (benchmark 3, §2.1). */
    STRESS_NG_CPU("stress-ng --cpu: every CPU stressor in turn"),
    /**
     * Many VM exits (I/O, IPIs): hackbench in a 64-vCPU guest took about 16 k exits/s per vCPU
     * (perf-core-and-costs.md §6), so vcpu_put/vcpu_load run often.
     */
    EXIT_HEAVY("exit-heavy (hackbench-like): about 16 k VM exits per second per vCPU"),
    /** Nothing to run: the CPUs sit in WFI, so vCPUs are put and loaded around every wake-up. */
    IDLE("nothing to run: CPUs wait in WFI");

    private final String description;

    WorkloadProfile(String description) {
        this.description = description;
    }

    /** {@code cpu-bound}, {@code stress-ng-cpu}: the scenario spelling. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    /** The profile spelled {@code name}, or null. */
    static WorkloadProfile fromConfigName(String name) {
        for (WorkloadProfile p : values()) {
            if (p.configName().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
