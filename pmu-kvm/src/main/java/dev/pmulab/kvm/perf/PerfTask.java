package dev.pmulab.kvm.perf;

import static java.util.Objects.requireNonNull;

/**
 * A task as perf sees it: something that runs on one CPU at a time and may own a task context
 * ({@code task->perf_event_ctxp}) holding task-bound events, such as a vCPU thread holding KVM's
 * guest-counter events. The caller creates tasks; {@link PerfCore#schedIn}/{@link PerfCore#schedOut}
 * say where they run.
 */
public final class PerfTask {
    private final int pid;
    private final String comm;
    PerfEventContext ctx;
    int cpu = -1;

    public PerfTask(int pid, String comm) {
        this.pid = pid;
        this.comm = requireNonNull(comm, "comm is null");
    }

    public int pid() {
        return pid;
    }

    public String comm() {
        return comm;
    }

    /** The CPU it runs on, or -1 while it is scheduled out. */
    public int cpu() {
        return cpu;
    }

    @Override
    public String toString() {
        return comm + "[" + pid + "]";
    }
}
