package dev.pmulab.sim.engine;

import dev.pmulab.sim.scenario.WorkloadProfile;

/**
 * A workload's own guest kernel activity, as its profile gives it: the share of its CPU time in its
 * own syscalls (guest sys time, process context), and how often its task is switched out and back
 * in (context switches per second) or forks a child that inherits its perf events (forks per
 * second). With a task-scope guest perf session, each switch runs {@code perf_event_task_sched_out}
 * and {@code perf_event_task_sched_in} (kernel/events/core.c) on the guest's PMU; a fork is
 * counted as one more switch (the child, whose inherited events {@code perf_event_init_task}
 * cloned, is switched in and out once; the inherit itself touches no PMU register and is not
 * charged). Every number is a model parameter with its reasoning; none is fitted to a benchmark.
 *
 * @param syscallShare share of the workload's guest CPU time spent in its syscalls, 0..1
 * @param switchesPerSecond context switches of the measured task per second of its running
 * @param forksPerSecond forks of the measured task (or its children) per second
 */
record GuestKernelActivity(double syscallShare, double switchesPerSecond, double forksPerSecond) {
    /** Nothing: a vCPU that runs no workload. */
    static final GuestKernelActivity NONE = new GuestKernelActivity(0, 0, 0);

    /**
     * Estimate: the background rate of a quiet Linux guest's own tasks waking on the workload's
     * CPU (kworkers, RCU, timers, and perf's own thread draining its buffer), about 50 switches a
     * second. No published per-workload figure was found.
     */
    static final double QUIET_GUEST_SWITCHES_PER_SECOND = 50;

    GuestKernelActivity {
        if (!(syscallShare >= 0 && syscallShare < 1) || switchesPerSecond < 0 || forksPerSecond < 0) {
            throw new IllegalArgumentException(
                    "bad guest kernel activity: " + syscallShare + ", " + switchesPerSecond + ", " + forksPerSecond);
        }
    }

    /**
     * With the scenario's {@code context_switches_per_second} in place of the profile's, when it
     * gives one (a perf stat's context-switches over its task-clock).
     */
    GuestKernelActivity withSwitchesPerSecond(java.util.OptionalLong switches) {
        return switches.isPresent()
                ? new GuestKernelActivity(syscallShare, switches.getAsLong(), forksPerSecond)
                : this;
    }

    /** The profile's activity. */
    static GuestKernelActivity of(WorkloadProfile p) {
        return switch (p) {
            // A loop with no syscalls, by definition.
            case CPU_BOUND -> new GuestKernelActivity(0, QUIET_GUEST_SWITCHES_PER_SECOND, 0);
            // gzip -c of a 64 MiB file in tmpfs (estimate): 64 MiB read and about as much written at
            // ~10 GB/s of copy_from/to_user (~13 ms) plus ~4 k read/write calls of 32 KiB at ~1 us
            // each (~4 ms), about 17 ms of a ~3 s job: 0.6 %. One process, no forks.
            case COMPRESSION -> new GuestKernelActivity(0.006, QUIET_GUEST_SWITCHES_PER_SECOND, 0);
            // SPECint2017 rate, one copy (estimate): the benchmarks are CPU-bound and do little I/O
            // once their inputs are read; runcpu/specinvoke start each benchmark and input as a new
            // process, a few hundred over an hour's run: about 0.1 fork per second; 0.5 % syscalls.
            case SPEC_INT -> new GuestKernelActivity(0.005, QUIET_GUEST_SWITCHES_PER_SECOND, 0.1);
            // stress-ng --cpu (estimate): the stressors compute in user space; the parent sleeps.
            case STRESS_NG_CPU -> new GuestKernelActivity(0, QUIET_GUEST_SWITCHES_PER_SECOND, 0);
            // hackbench-like (estimate): messaging through sockets and pipes is mostly kernel time,
            // and every message wakes a receiver: 80 % sys and 10 k switches per second per CPU.
            case EXIT_HEAVY -> new GuestKernelActivity(0.8, 10_000, 0);
            case IDLE -> NONE;
        };
    }
}
