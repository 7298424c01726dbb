package dev.pmulab.sim.engine;

import dev.pmulab.kvm.perf.PerfCore;
import java.util.Arrays;

/**
 * Each CPU's next PMU overflow interrupt and next perf multiplexing hrtimer expiry, as the perf
 * core computes them from the counters, kept as at most one pending event of each kind per CPU.
 * When a reprogramming moves a time, the pending event's generation goes stale and its handler
 * ignores it ({@link #overflowDue}, {@link #rotationDue}).
 */
final class CpuTimers {
    private final PerfCore perf;
    private final EventQueue queue;
    /** Events after the run's time limit are never scheduled. */
    private final long limitNs;
    private final long[] overflowGen;
    private final long[] scheduledOverflow;
    private final long[] muxGen;
    private final long[] scheduledMux;

    CpuTimers(PerfCore perf, EventQueue queue, int cpus, long limitNs) {
        this.perf = perf;
        this.queue = queue;
        this.limitNs = limitNs;
        this.overflowGen = new long[cpus];
        this.scheduledOverflow = new long[cpus];
        this.muxGen = new long[cpus];
        this.scheduledMux = new long[cpus];
        Arrays.fill(scheduledOverflow, Long.MAX_VALUE);
        Arrays.fill(scheduledMux, Long.MAX_VALUE);
    }

    /** Brings {@code c}'s pending overflow and rotation events to the times perf now computes. */
    void reschedule(SimCpu c) {
        int id = c.id;
        long ov = perf.nextOverflowTime(id);
        if (ov != scheduledOverflow[id]) {
            overflowGen[id]++;
            scheduledOverflow[id] = ov;
            if (ov != Long.MAX_VALUE && ov <= limitNs) {
                queue.schedule(Math.max(ov, c.pe.now()), EventKind.HW_OVERFLOW, id, overflowGen[id]);
            }
        }
        long mux = perf.nextRotationTime(id);
        if (mux != scheduledMux[id]) {
            muxGen[id]++;
            scheduledMux[id] = mux;
            if (mux != Long.MAX_VALUE && mux <= limitNs) {
                queue.schedule(Math.max(mux, c.pe.now()), EventKind.PERF_MUX, id, muxGen[id]);
            }
        }
    }

    /** True when the overflow event with {@code stamp} is {@code cpu}'s pending one, which it then no longer is. */
    boolean overflowDue(int cpu, long stamp) {
        if (stamp != overflowGen[cpu]) {
            return false;
        }
        scheduledOverflow[cpu] = Long.MAX_VALUE;
        return true;
    }

    /** True when the rotation event with {@code stamp} is {@code cpu}'s pending one, which it then no longer is. */
    boolean rotationDue(int cpu, long stamp) {
        if (stamp != muxGen[cpu]) {
            return false;
        }
        scheduledMux[cpu] = Long.MAX_VALUE;
        return true;
    }
}
