package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.regs.PmevtyperEl0;
import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What runs in a VM or a host task.
 *
 * @param profile the named event-rate profile
 * @param threads how many runnable threads: a VM's busy vCPUs, a host task's threads
 * @param load the fraction of time each thread wants the CPU, 0..1 (0 for an idle profile)
 * @param ratesPerSecond overrides of the profile's rates, by PMUv3 event number, in events per
 *     second of running (so {@code cycles: 3e9} is a 3 GHz clock); ascending event numbers
 * @param exitsPerSecond an override of the profile's VM exits per second per vCPU, not counting
 *     those the PMU itself causes; only meaningful for a VM
 * @param contextSwitchesPerSecond an override of the profile's context switches of the measured
 *     task per second of its running (perf's context-switches over its task-clock); a VM's only
 */
public record Workload(
        WorkloadProfile profile,
        int threads,
        double load,
        Map<Integer, Long> ratesPerSecond,
        OptionalLong exitsPerSecond,
        OptionalLong contextSwitchesPerSecond) {

    public Workload {
        requireNonNull(profile, "profile is null");
        requireNonNull(exitsPerSecond, "exitsPerSecond is null");
        requireNonNull(contextSwitchesPerSecond, "contextSwitchesPerSecond is null");
        if (contextSwitchesPerSecond.isPresent() && contextSwitchesPerSecond.getAsLong() < 0) {
            throw new IllegalArgumentException("context switches per second >= 0, was " + contextSwitchesPerSecond);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("a workload has at least one thread, was " + threads);
        }
        if (!(load >= 0.0 && load <= 1.0)) {
            throw new IllegalArgumentException("load is a fraction 0..1, was " + load);
        }
        ratesPerSecond = Collections.unmodifiableMap(new TreeMap<>(ratesPerSecond));
        for (Map.Entry<Integer, Long> e : ratesPerSecond.entrySet()) {
            if (e.getKey() < 0 || e.getKey() > PmevtyperEl0.EVTCOUNT_MASK || e.getValue() < 0) {
                throw new IllegalArgumentException("bad rate " + e);
            }
        }
    }

    /** Without a context-switch override: the profile's. */
    public Workload(
            WorkloadProfile profile,
            int threads,
            double load,
            Map<Integer, Long> ratesPerSecond,
            OptionalLong exitsPerSecond) {
        this(profile, threads, load, ratesPerSecond, exitsPerSecond, OptionalLong.empty());
    }

    /** The profile at its own rates: full load, or none for {@link WorkloadProfile#IDLE}. */
    public static Workload of(WorkloadProfile profile, int threads) {
        return new Workload(
                profile, threads, profile == WorkloadProfile.IDLE ? 0.0 : 1.0, Map.of(), OptionalLong.empty());
    }
}
