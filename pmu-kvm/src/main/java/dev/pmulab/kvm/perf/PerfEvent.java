package dev.pmulab.kvm.perf;

import dev.pmulab.hw.regs.PmevcntrEl0;
import java.util.ArrayList;
import java.util.List;

/**
 * One perf event ({@code struct perf_event} with its {@code hw_perf_event}), created by
 * {@link PerfCore#open} or {@link PerfCore#createKernelCounter}. Its getters show the state as of
 * the last operation that touched it; {@link PerfCore#read} brings count and times up to a given
 * time first.
 */
public final class PerfEvent {
    private final int id;
    final PerfEventAttr attr;
    final PerfPmu pmu;
    /** The CPU it is bound to, or -1 for any CPU (a task event). */
    final int cpu;
    /** The task it is bound to, or null for a CPU event. */
    final PerfTask task;

    final PerfEventContext ctx;
    final PerfEventPmuContext epc;
    final PerfOverflowHandler overflowHandler;

    // The attr facts the scheduling walk and the driver test at every event moved, copied here so
    // the walk reads them from the event it is moving instead of loading the attr behind it.
    /** {@code attr.config}: the event number (at most 16 bits, PerfEventAttr checks it). */
    final int config;
    /** {@code attr.pinned}: for a leader, whether its group is pinned. */
    final boolean pinned;
    /** {@link PerfEventAttr#is64Bit}. */
    final boolean is64Bit;
    /** {@link PerfEventAttr#userRead}. */
    final boolean userRead;

    final boolean excludeUser;
    final boolean excludeHost;
    final boolean excludeGuest;
    /** {@code attr.freq}: frequency mode. */
    final boolean freq;

    PerfEvent groupLeader;
    /** Siblings, for a group leader; allocated on the first sibling. */
    ArrayList<PerfEvent> siblings;

    PerfEventState state;

    // Time accounting in context time (__perf_update_times).
    long totalTimeEnabled;
    long totalTimeRunning;
    long tstamp;

    long count;
    int oncpu = -1;

    // hw_perf_event
    /** {@code config_base}: the PMEVTYPER value, event number plus filter bits (armv8pmu_set_event_filter). */
    final long configBase;
    /** {@code arm_pmu_event_max_period}: 2^32-1, or 2^64-1 (all ones) for a 64-bit event. */
    final long maxPeriod;

    int idx = -1;
    boolean chained;
    boolean hwStopped = true;
    long prevCount;
    long periodLeft;
    long samplePeriod;
    long lastPeriod;
    long freqTimeStamp;
    long freqCountStamp;
    long samples;
    long overflows;

    /**
     * The held run ({@code ArmPmuV3.runSerial}) whose add last programmed this event, and the PE
     * time of that add; 0 once it is read, stopped or deleted (ArmPmuV3.readdInPlace).
     */
    long addedInRun;

    long addedAt;

    /** Marks the operation that last moved this event, so a cost counts each event once. */
    int touchEpoch;

    PerfEvent(
            int id,
            PerfEventAttr attr,
            PerfPmu pmu,
            int cpu,
            PerfTask task,
            PerfEventContext ctx,
            PerfEventPmuContext epc,
            PerfOverflowHandler overflowHandler,
            long configBase) {
        this.id = id;
        this.attr = attr;
        this.pmu = pmu;
        this.cpu = cpu;
        this.task = task;
        this.ctx = ctx;
        this.epc = epc;
        this.overflowHandler = overflowHandler;
        this.configBase = configBase;
        this.config = attr.config();
        this.pinned = attr.pinned();
        this.is64Bit = attr.is64Bit();
        this.userRead = attr.userRead();
        this.excludeUser = attr.excludeUser();
        this.excludeHost = attr.excludeHost();
        this.excludeGuest = attr.excludeGuest();
        this.freq = attr.freq();
        this.maxPeriod = attr.is64Bit() ? -1L : PmevcntrEl0.LOW32;
        this.state = attr.disabled() ? PerfEventState.OFF : PerfEventState.INACTIVE;
        if (attr.isSampling()) {
            // perf_event_alloc: frequency mode starts from a period of 1 and is re-tuned (§1.8).
            samplePeriod = attr.freq() ? 1 : attr.samplePeriod();
        } else {
            // __hw_perf_event_init: a counting event still interrupts, at half the counter range, so
            // the count never laps the previous read.
            samplePeriod = maxPeriod >>> 1;
        }
        lastPeriod = samplePeriod;
        periodLeft = samplePeriod;
    }

    public int id() {
        return id;
    }

    public PerfEventAttr attr() {
        return attr;
    }

    public PerfPmu pmu() {
        return pmu;
    }

    /** The CPU it is bound to, or -1. */
    public int cpu() {
        return cpu;
    }

    /** The task it is bound to, or null for a CPU event. */
    public PerfTask task() {
        return task;
    }

    public PerfEvent groupLeader() {
        return groupLeader;
    }

    public boolean isGroupLeader() {
        return groupLeader == this;
    }

    /** The siblings of a group leader, in group order; empty otherwise. */
    public List<PerfEvent> siblings() {
        return siblings == null ? List.of() : List.copyOf(siblings);
    }

    public PerfEventState state() {
        return state;
    }

    /** Whether the group is pinned: {@code get_event_type} goes by the leader. */
    public boolean isPinnedGroup() {
        return groupLeader.pinned;
    }

    /** {@code event->count} as of the last update. */
    public long count() {
        return count;
    }

    /** {@code total_time_enabled} in ns as of the last update. */
    public long timeEnabled() {
        return totalTimeEnabled;
    }

    /** {@code total_time_running} in ns as of the last update. */
    public long timeRunning() {
        return totalTimeRunning;
    }

    /** time_running / time_enabled as of the last update; 1 when never enabled. */
    public double coverage() {
        return totalTimeEnabled == 0 ? 1.0 : (double) totalTimeRunning / totalTimeEnabled;
    }

    /** The count scaled as perf user space does (see {@link PerfEventReadValue#scaled()}). */
    public long scaledCount() {
        return scale(count, totalTimeEnabled, totalTimeRunning);
    }

    /** The hardware counter index while ACTIVE (31 = PMCCNTR; the odd, high half of a chained pair), else -1. */
    public int hwIdx() {
        return idx;
    }

    /** Whether it occupies a chained pair (idx-1 low half, idx high half counting CHAIN). */
    public boolean isChained() {
        return chained;
    }

    /** The CPU it is ACTIVE on, or -1. */
    public int oncpu() {
        return oncpu;
    }

    /** {@code hw.sample_period}: the current sampling period (re-tuned in frequency mode). */
    public long samplePeriod() {
        return samplePeriod;
    }

    /** Samples written by the default overflow handler. */
    public long samples() {
        return samples;
    }

    /** Period overflows delivered to perf_event_overflow (samples, or calls of the kernel handler). */
    public long overflows() {
        return overflows;
    }

    static long scale(long value, long enabled, long running) {
        if (running == 0) {
            return 0;
        }
        if (running < enabled) {
            return (long) ((double) value * enabled / running);
        }
        return value;
    }

    @Override
    public String toString() {
        return "PerfEvent[" + id + " " + pmu.name() + " 0x" + Integer.toHexString(attr.config())
                + (task != null ? " task=" + task : "") + (cpu >= 0 ? " cpu=" + cpu : "")
                + (attr.pinned() ? " pinned" : "") + " " + state + (idx >= 0 ? " idx=" + idx : "") + "]";
    }
}
