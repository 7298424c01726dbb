package dev.pmulab.kvm.perf;

/**
 * {@code struct perf_cpu_context} with its one {@code perf_cpu_pmu_context}: on Arm every CPU is
 * covered by exactly one hardware PMU (the PMU of its core type), so the model keeps one per CPU.
 * It holds the CPU context, the running task's context while that is scheduled in
 * ({@code cpuctx->task_ctx}), the multiplexing hrtimer, and the driver state of the CPU.
 */
final class PerfCpuContext {
    final int cpu;
    final PerfPmu pmu;
    final ArmPmuV3 hw;
    final PerfEventContext cpuCtx;
    /** The task running here, whether or not it has perf events. */
    PerfTask currentTask;
    /** {@code cpuctx->task_ctx}: the running task's context while it is active. */
    PerfEventContext taskCtx;

    /** {@code perf_cpu_pmu_context.hrtimer}: armed after a flexible failure, forwarded while rotation is needed. */
    boolean hrtimerActive;

    long hrtimerExpires;

    /**
     * The last {@code ctx_resched} walk on this CPU, for {@code PerfCore.walkSettled}: whether one is
     * recorded, its task context and event type, what its outcome depended on (the two contexts'
     * {@code gen}, the task context it left active, {@code cntr_mask}, the allocation order), and
     * whether a flexible group failed in it (so it armed the hrtimer if idle).
     */
    boolean settled;

    PerfEventContext settledTaskCtx;
    int settledType;
    PerfEventContext settledActiveTaskCtx;
    long settledCpuGen;
    long settledTaskGen;
    long settledCntrMask;
    CounterAllocationOrder settledOrder;
    boolean settledFlexibleFailed;

    /**
     * The last enable's resched put groups on a counter mask only (PerfCore.enableAll), for the
     * next enable's resched to take off: the events it put on.
     */
    boolean groupsWaiting;

    final PerfEvent[] waitingEvents = new PerfEvent[32];
    int waitingCount;

    PerfCpuContext(int cpu, PerfPmu pmu, ArmPmuV3 hw, int pmuCount) {
        this.cpu = cpu;
        this.pmu = pmu;
        this.hw = hw;
        this.cpuCtx = new PerfEventContext(null, cpu, pmuCount);
    }
}
