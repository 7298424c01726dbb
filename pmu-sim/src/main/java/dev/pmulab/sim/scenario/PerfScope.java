package dev.pmulab.sim.scenario;

import java.util.Locale;

/** Which perf context a session's events live in (perf-core-and-costs.md §1.1). */
public enum PerfScope {
    /** perf -a (or -C): one CPU-bound event per event per CPU, in the CPU context. */
    SYSTEM,
    /** perf -p or perf -- command: task-bound events, counting only while the task runs. */
    TASK;

    /** {@code system}, {@code task}: the scenario spelling. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
