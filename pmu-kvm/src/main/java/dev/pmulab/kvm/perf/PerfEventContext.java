package dev.pmulab.kvm.perf;

/**
 * {@code struct perf_event_context}: the events of one CPU (the CPU context) or one task (its task
 * context), split per PMU into {@link PerfEventPmuContext}s. Its clock {@code time} advances only
 * while it is active (EVENT_TIME), which is what makes a task event accrue nothing while its task
 * is scheduled out (perf-core-and-costs.md §1.6).
 */
final class PerfEventContext {
    static final int EVENT_FLEXIBLE = 0x1;
    static final int EVENT_PINNED = 0x2;
    static final int EVENT_TIME = 0x4;
    static final int EVENT_ALL = EVENT_FLEXIBLE | EVENT_PINNED;
    /** Not a context bit: tells ctx_resched that a CPU event caused it. */
    static final int EVENT_CPU = 0x10;

    /** The owning task, or null for a CPU context. */
    final PerfTask task;
    /** The CPU of a CPU context; -1 for a task context. */
    final int cpu;

    final PerfEventPmuContext[] epcs;

    int isActive;
    long time;
    long timestamp;
    int nrEvents;
    /** Pinned groups of every PMU and CPU: a task sched-in pushes CPU-flexible groups out when this is non-zero. */
    int nrPinnedGroups;
    /** Events for which ArmPmuV3.delAfterAdd cannot stand in (64-bit, or switched by KVM): PerfCore.enableAll checks a CPU context by it. */
    int nrNotDelAfterAdd;
    /**
     * Counts the changes to this context that can move what a walk over it does (PerfCore's
     * {@code changed}): a CPU remembers it with its last walk to know the walk would change nothing.
     */
    long gen;

    PerfEventContext(PerfTask task, int cpu, int pmuCount) {
        this.task = task;
        this.cpu = cpu;
        this.epcs = new PerfEventPmuContext[pmuCount];
    }

    /** The context clock at {@code now}: frozen while inactive. */
    long timeNow(long now) {
        return (isActive & EVENT_TIME) != 0 ? time + (now - timestamp) : time;
    }

    PerfEventPmuContext epc(PerfPmu pmu) {
        return epcs[pmu.index()];
    }

    PerfEventPmuContext epcOrCreate(PerfPmu pmu) {
        PerfEventPmuContext epc = epcs[pmu.index()];
        if (epc == null) {
            epc = new PerfEventPmuContext(this, pmu);
            epcs[pmu.index()] = epc;
        }
        return epc;
    }
}
