package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A host process competing with the vCPUs: {@code threads} threads (its workload's) allowed on
 * {@code cpus}.
 *
 * @param name unique among host tasks and VMs; a task perf session names it
 * @param cpus the CPUs its threads may run on, ascending
 * @param workload what it runs
 */
public record HostTask(String name, List<Integer> cpus, Workload workload) {
    public HostTask {
        requireNonNull(name, "name is null");
        cpus = List.copyOf(cpus);
        requireNonNull(workload, "workload is null");
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("host task " + name + " has no CPU");
        }
    }
}
