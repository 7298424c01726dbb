package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link PerfCore#timeRunning} (time_running without reading the counter) against {@link
 * PerfCore#read}: two perf cores over identical hosts take the same seeded random operations (CPU
 * groups and KVM-like task events, sampling with short periods or counting, task switches,
 * enables, disables, releases, reschedules, overflow interrupts, rotations, Exception level
 * changes), and at random instants one asks {@code timeRunning} where the other reads. The reads
 * come while the PE has not been brought up to the instant yet (as in a run, where the next
 * access brings it there), so the read folds counts the other host folds later. Both must return
 * the same time_running, leave the same PE state, charges and placements at every step and, at
 * checkpoints where both read every event, the same counts, period state and times.
 */
@Execution(ExecutionMode.CONCURRENT)
final class PerfTimeRunningTest {
    private static final int[] EVENTS = {
        Events.INST_RETIRED, Events.L1D_CACHE, Events.BR_RETIRED, Events.CPU_CYCLES, Events.BR_MIS_PRED
    };
    private static final int CPUS = 2;
    private static final int TASKS = 3;
    private static final int OPS = 300;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 100);
    }

    private static final class Host {
        final PerfTestbed bed;
        final PerfTask[] tasks = new PerfTask[TASKS];
        final List<PerfEvent> events = new ArrayList<>();

        Host(int n, PmuVersion version) {
            bed = PerfTestbed.homogeneous(CPUS, n, version);
            for (int i = 0; i < TASKS; i++) {
                tasks[i] = new PerfTask(100 + i, "vcpu" + i);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void timeRunningLeavesWhatReadLeaves(long seed) {
        SplittableRandom setup = new SplittableRandom(seed);
        int n = 4 + setup.nextInt(4);
        PmuVersion version = setup.nextBoolean() ? PmuVersion.P5 : PmuVersion.P1;
        Host fast = new Host(n, version);
        Host full = new Host(n, version);
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        long now = 0;
        int timeRunningCalls = 0;
        for (int op = 0; op < OPS; op++) {
            String what = step(r, fast, full, now);
            now += 1 + r.nextInt(r.nextInt(8) == 0 ? 3_000_000 : 40_000);
            String where = "seed " + seed + " (N=" + n + ", " + version + "), op " + op + " (" + what + ")";
            takeInterrupts(fast, now);
            takeInterrupts(full, now);
            // The reads at `now`, before the PEs are switched (and so brought) to `now`.
            int reads = r.nextInt(4);
            for (int k = 0; k < reads && !fast.events.isEmpty(); k++) {
                int i = r.nextInt(fast.events.size());
                PerfEvent x = fast.events.get(i);
                PerfEvent y = full.events.get(i);
                if (x == null) {
                    continue;
                }
                long running = fast.bed.perf.timeRunning(x, now);
                full.bed.perf.read(y, now);
                timeRunningCalls++;
                assertThat(running).as("%s: time_running of event %d", where, i).isEqualTo(y.timeRunning());
                assertThat(new long[] {x.timeEnabled(), x.timeRunning()})
                        .as("%s: times of event %d", where, i)
                        .containsExactly(y.timeEnabled(), y.timeRunning());
            }
            ExceptionLevel level = r.nextBoolean() ? ExceptionLevel.EL0 : ExceptionLevel.EL1;
            for (Host h : List.of(fast, full)) {
                for (int cpu = 0; cpu < CPUS; cpu++) {
                    Pe pe = h.bed.pes.get(cpu);
                    pe.switchContext(Math.max(now, pe.now()), level, PerfTestbed.RATES);
                }
            }
            compare(fast, full, where, op % 10 == 9 ? now : -1);
        }
        assertThat(timeRunningCalls).as("seed %d: timeRunning ran", seed).isPositive();
    }

    private static String step(SplittableRandom r, Host a, Host b, long now) {
        int kind = r.nextInt(100);
        int cpu = r.nextInt(CPUS);
        if (kind < 10) {
            boolean pinned = r.nextInt(3) == 0;
            int size = 1 + r.nextInt(3);
            int[] ev = new int[size];
            boolean[] longCounter = new boolean[size];
            long[] period = new long[size];
            for (int i = 0; i < size; i++) {
                ev[i] = EVENTS[r.nextInt(EVENTS.length)];
                longCounter[i] = r.nextInt(4) == 0;
                period[i] = r.nextBoolean() ? 1 + r.nextInt(2_000_000) : 0;
            }
            for (Host h : List.of(a, b)) {
                PerfEvent leader = null;
                for (int i = 0; i < size; i++) {
                    PerfEventAttr.Builder attr =
                            PerfTestbed.a76(ev[i]).pinned(pinned).longCounter(longCounter[i]);
                    if (period[i] > 0) {
                        attr.samplePeriod(period[i]);
                    }
                    try {
                        PerfEvent e = h.bed.perf.open(cpu, attr.build(), null, cpu, leader, now);
                        h.events.add(e);
                        if (leader == null) {
                            leader = e;
                        }
                    } catch (PerfEventOpenException e) {
                        h.events.add(null);
                    }
                }
            }
            return "open a CPU group of " + size;
        }
        if (kind < 35) {
            // kvm_pmu_create_perf_event: pinned, exclude_host, task-bound, sampling at the guest's distance.
            int task = r.nextInt(TASKS);
            int event = EVENTS[r.nextInt(EVENTS.length)];
            boolean disabled = r.nextInt(3) == 0;
            long period = 1 + r.nextLong(r.nextBoolean() ? 3_000_000 : 1L << 32);
            boolean longCounter = r.nextBoolean();
            for (Host h : List.of(a, b)) {
                PerfEventAttr attr = PerfTestbed.a76(event)
                        .pinned(true)
                        .disabled(disabled)
                        .excludeHost(true)
                        .excludeHv(true)
                        .longCounter(longCounter)
                        .samplePeriod(period)
                        .build();
                h.events.add(h.bed.perf.createKernelCounter(cpu, attr, -1, h.tasks[task], (e, c, t) -> {}, now));
            }
            return "create a kernel counter for task " + task;
        }
        int live = a.events.size();
        if (kind < 50 && live > 0) {
            int i = r.nextInt(live);
            if (a.events.get(i) != null) {
                a.bed.perf.enable(cpu, a.events.get(i), now);
                b.bed.perf.enable(cpu, b.events.get(i), now);
            }
            return "enable event " + i;
        }
        if (kind < 60 && live > 0) {
            int i = r.nextInt(live);
            if (a.events.get(i) != null) {
                a.bed.perf.disable(cpu, a.events.get(i), now);
                b.bed.perf.disable(cpu, b.events.get(i), now);
            }
            return "disable event " + i;
        }
        if (kind < 65 && live > 0) {
            int i = r.nextInt(live);
            if (a.events.get(i) != null) {
                a.bed.perf.close(cpu, a.events.get(i), now);
                b.bed.perf.close(cpu, b.events.get(i), now);
                a.events.set(i, null);
                b.events.set(i, null);
            }
            return "close event " + i;
        }
        if (kind < 90) {
            int task = r.nextInt(TASKS + 1);
            PerfTask next = task == TASKS ? null : a.tasks[task];
            if (next != null && next.cpu() >= 0) {
                return "no switch (task " + task + " runs)";
            }
            a.bed.perf.contextSwitch(cpu, next, now);
            b.bed.perf.contextSwitch(cpu, task == TASKS ? null : b.tasks[task], now);
            return "switch CPU " + cpu + " to task " + task;
        }
        a.bed.perf.perfPmuResched(cpu, now);
        b.bed.perf.perfPmuResched(cpu, now);
        return "perf_pmu_resched on CPU " + cpu;
    }

    /**
     * Overflow interrupts and hrtimer expiries due up to {@code to}, each at its time; the PE is
     * brought only that far, so no overflow is due between it and {@code to}.
     */
    private static void takeInterrupts(Host h, long to) {
        for (int cpu = 0; cpu < CPUS; cpu++) {
            Pe pe = h.bed.pes.get(cpu);
            while (true) {
                long t = Math.min(h.bed.perf.nextOverflowTime(cpu), h.bed.perf.nextRotationTime(cpu));
                if (t > to) {
                    break;
                }
                t = Math.max(t, pe.now());
                pe.advanceTo(t);
                h.bed.perf.handleIrq(cpu, t);
                h.bed.perf.perfMuxHrtimerHandler(cpu, t);
                if (h.bed.perf.nextOverflowTime(cpu) <= t && h.bed.perf.nextRotationTime(cpu) <= t) {
                    break;
                }
            }
        }
    }

    private static void compare(Host a, Host b, String where, long readAt) {
        for (int i = 0; i < a.events.size(); i++) {
            PerfEvent x = a.events.get(i);
            PerfEvent y = b.events.get(i);
            if (x == null) {
                continue;
            }
            if (readAt >= 0 && x.state() != PerfEventState.DEAD) {
                a.bed.perf.read(x, readAt);
                b.bed.perf.read(y, readAt);
                assertThat(counts(x)).as("%s: event %d after a read", where, i).isEqualTo(counts(y));
            }
            assertThat(placement(x)).as("%s: event %d", where, i).isEqualTo(placement(y));
        }
        for (int cpu = 0; cpu < CPUS; cpu++) {
            assertThat(a.bed.hw(cpu)).as("%s: PE %d", where, cpu).isEqualTo(b.bed.hw(cpu));
        }
        assertThat(a.bed.costs.charges()).as("%s: costs", where).isEqualTo(b.bed.costs.charges());
    }

    /** What must agree at every step: the fold may wait, so count, prev_count and period_left only after a read. */
    private static String placement(PerfEvent e) {
        return e.state() + " idx=" + e.idx + (e.chained ? " chained" : "") + " oncpu=" + e.oncpu + " enabled="
                + e.totalTimeEnabled + " running=" + e.totalTimeRunning + " overflows=" + e.overflows;
    }

    private static String counts(PerfEvent e) {
        return placement(e) + " count=" + e.count + " prev=" + e.prevCount + " left=" + e.periodLeft + " last="
                + e.lastPeriod + " sample=" + e.samplePeriod + " stopped=" + e.hwStopped;
    }
}
