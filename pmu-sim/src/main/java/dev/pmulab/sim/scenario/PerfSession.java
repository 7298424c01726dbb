package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One host perf session ({@code perf stat} or {@code perf record}) as the host's perf core sees it.
 *
 * @param name unique among the host's sessions; reports name it
 * @param mode stat or record
 * @param scope system-wide or one task
 * @param cpus the CPUs a system-wide session opens events on, ascending; empty for a task session
 * @param task the host task or VM (its vCPU threads) a task session follows; empty for a system one
 * @param groups the event groups, in the order perf opens them (which is the rotation order)
 * @param pinned every group is pinned: it gets counters before flexible ones, or goes to ERROR
 * @param sampling how a record session samples; empty for stat
 * @param excludeGuest {@code exclude_guest}: do not count while a guest runs on the CPU
 * @param excludeHost {@code exclude_host}: count only while a guest runs
 * @param startNs when perf opens the events
 * @param stopNs when perf closes them; empty to keep them to the end of the run
 */
public record PerfSession(
        String name,
        PerfMode mode,
        PerfScope scope,
        List<Integer> cpus,
        Optional<String> task,
        List<EventGroup> groups,
        boolean pinned,
        Optional<Sampling> sampling,
        boolean excludeGuest,
        boolean excludeHost,
        long startNs,
        OptionalLong stopNs) {

    public PerfSession {
        requireNonNull(name, "name is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(scope, "scope is null");
        cpus = List.copyOf(cpus);
        requireNonNull(task, "task is null");
        groups = List.copyOf(groups);
        requireNonNull(sampling, "sampling is null");
        requireNonNull(stopNs, "stopNs is null");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("perf session " + name + " has no event");
        }
        if ((mode == PerfMode.RECORD) != sampling.isPresent()) {
            throw new IllegalArgumentException("perf session " + name + ": record samples and stat does not");
        }
        if ((scope == PerfScope.TASK) != task.isPresent()) {
            throw new IllegalArgumentException("perf session " + name + ": a task session names its task");
        }
        if (startNs < 0 || (stopNs.isPresent() && stopNs.getAsLong() <= startNs)) {
            throw new IllegalArgumentException("perf session " + name + ": 0 <= start < stop");
        }
    }

    /** Every event of every group, in order. */
    public List<EventRef> events() {
        return groups.stream().flatMap(g -> g.events().stream()).toList();
    }
}
