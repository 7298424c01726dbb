package dev.pmulab.sim.engine;

/**
 * The kinds of event in the run's {@link EventQueue} (its int kind field), which
 * {@link Simulation}'s loop dispatches. The queue's int argument is a CPU id, a thread id or an
 * index as each kind says; its stamp, where used, is a generation that marks the event stale once
 * its owner reprogrammed it.
 */
final class EventKind {
    /** The host scheduler's tick on a CPU (arg: CPU id). */
    static final int SCHED_TICK = 1;
    /** A guest's timer tick (arg: thread id; stamp: the vCPU's tick generation). */
    static final int GUEST_TICK = 2;
    /** A PMU counter overflow raises the CPU's PMU interrupt (arg: CPU id; stamp: {@link CpuTimers}'). */
    static final int HW_OVERFLOW = 3;
    /** perf's multiplexing hrtimer expires (arg: CPU id; stamp: {@link CpuTimers}'). */
    static final int PERF_MUX = 4;
    /** A vCPU thread's periodic migration (arg: thread id). */
    static final int MIGRATE = 5;
    /** An administrator's sysfs write (arg: its index in the scenario). */
    static final int ADMIN_WRITE = 6;
    /** A measured vCPU may have retired its share of the work (arg: thread id; stamp: its work generation). */
    static final int WORK_DONE = 7;
    /** The run's time limit. */
    static final int END = 8;
    /** A partly loaded thread wakes (arg: thread id; stamp: its sleep generation). */
    static final int WAKE = 9;
    /** A partly loaded thread sleeps (arg: thread id; stamp: its sleep generation). */
    static final int SLEEP = 10;
    /** The VMM re-places a vCPU whose entry failed (arg: thread id). */
    static final int RETRY_ENTRY = 11;
    /** A guest's own timer, such as perf stat -I's (arg: thread id; stamp: the vCPU's timer generation). */
    static final int GUEST_TIMER = 12;
    /** A host perf session starts: perf opens its events (arg: its index in the scenario). */
    static final int HOST_PERF_START = 13;
    /** A host perf session stops: perf closes its events (arg: its index in the scenario). */
    static final int HOST_PERF_STOP = 14;

    private EventKind() {}
}
