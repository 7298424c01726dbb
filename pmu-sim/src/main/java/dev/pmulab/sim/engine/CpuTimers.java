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
    private final Pending overflow;
    private final Pending rotation;

    /** @param limitNs the run's time limit: events after it are never scheduled */
    CpuTimers(PerfCore perf, EventQueue queue, int cpus, long limitNs) {
        this.perf = perf;
        this.overflow = new Pending(queue, EventKind.HW_OVERFLOW, cpus, limitNs);
        this.rotation = new Pending(queue, EventKind.PERF_MUX, cpus, limitNs);
    }

    /** Brings {@code c}'s pending overflow and rotation events to the times perf now computes. */
    void reschedule(SimCpu c) {
        overflow.moveTo(c, perf.nextOverflowTime(c.id));
        rotation.moveTo(c, perf.nextRotationTime(c.id));
    }

    /** True when the overflow event with {@code stamp} is {@code cpu}'s pending one, which it then no longer is. */
    boolean overflowDue(int cpu, long stamp) {
        return overflow.due(cpu, stamp);
    }

    /** True when the rotation event with {@code stamp} is {@code cpu}'s pending one, which it then no longer is. */
    boolean rotationDue(int cpu, long stamp) {
        return rotation.due(cpu, stamp);
    }

    /** One kind of timer event: per CPU, the time it is pending for and its generation. */
    private static final class Pending {
        private final EventQueue queue;
        private final int kind;
        private final long limitNs;
        private final long[] generation;
        private final long[] scheduled;

        Pending(EventQueue queue, int kind, int cpus, long limitNs) {
            this.queue = queue;
            this.kind = kind;
            this.limitNs = limitNs;
            this.generation = new long[cpus];
            this.scheduled = new long[cpus];
            Arrays.fill(scheduled, Long.MAX_VALUE);
        }

        /** The event for {@code c} is now due at {@code at} (never: Long.MAX_VALUE); a changed time starts a generation. */
        void moveTo(SimCpu c, long at) {
            int id = c.id;
            if (at == scheduled[id]) {
                return;
            }
            generation[id]++;
            scheduled[id] = at;
            if (at != Long.MAX_VALUE && at <= limitNs) {
                queue.schedule(Math.max(at, c.pe.now()), kind, id, generation[id]);
            }
        }

        boolean due(int cpu, long stamp) {
            if (stamp != generation[cpu]) {
                return false;
            }
            scheduled[cpu] = Long.MAX_VALUE;
            return true;
        }
    }
}
