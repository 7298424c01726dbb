package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resched shortcuts ({@code ctxReschedInPlace} for an install that changes no walk,
 * {@code ctxReschedFrom} for a task-pinned enable after a settled walk, and a KVM burst's calls
 * as one run that keeps the PMU stopped, {@code beginPmuRun}) against the full
 * {@code ctx_resched} walk: two perf cores over identical hosts take the same seeded random
 * sequence of operations (CPU groups, KVM-like disabled pinned task events re-created and
 * enabled in bursts, enables, disables, releases, task switches, reschedules, cntr_mask changes,
 * time passing under changing Exception levels, overflow interrupts and rotations), one with the
 * shortcuts and one without. After every operation both must agree on every event (state,
 * counter, count, period state), every PE's whole architectural state, every cost charged and the
 * resched count; at checkpoints, on every event's count and times read up to now.
 */
@Execution(ExecutionMode.CONCURRENT)
final class PerfReschedInPlaceTest {
    private static final int[] EVENTS = {
        Events.INST_RETIRED,
        Events.L1D_CACHE,
        Events.BR_RETIRED,
        Events.CPU_CYCLES,
        Events.L1D_CACHE_REFILL,
        Events.BR_MIS_PRED
    };
    private static final int CPUS = 2;
    private static final int TASKS = 3;
    private static final int OPS = 400;

    /** Over all seeds: how often enableAll left a flexible sched-in on a mask (it must have, see {@link #checkCoverage}). */
    private static final AtomicLong FLEXIBLE_INS_WITHOUT_HW = new AtomicLong();
    /** Over all seeds: how many pinned groups enableAll put on a mask only. */
    private static final AtomicLong PINNED_INS_WITHOUT_HW = new AtomicLong();
    /** Over all seeds: how often a readd in place skipped an event its add in the same held run left as it was. */
    private static final AtomicLong READDS_AS_ADDED = new AtomicLong();

    @AfterAll
    static void checkCoverage() {
        assertThat(FLEXIBLE_INS_WITHOUT_HW.get())
                .as("enableAll's flexible sched-in on a mask ran")
                .isPositive();
        assertThat(PINNED_INS_WITHOUT_HW.get())
                .as("enableAll put pinned groups on a mask")
                .isPositive();
        assertThat(READDS_AS_ADDED.get())
                .as("a readd in place found an event as its add in the run left it")
                .isPositive();
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 150);
    }

    /** One host: a testbed, its tasks, and its events in creation order (both hosts create the same). */
    private static final class Host {
        final PerfTestbed bed;
        final PerfTask[] tasks = new PerfTask[TASKS];
        final List<PerfEvent> events = new ArrayList<>();

        Host(int n, PmuVersion version, boolean shortcuts) {
            bed = PerfTestbed.homogeneous(CPUS, n, version);
            bed.perf.reschedInPlace = shortcuts;
            for (int i = 0; i < TASKS; i++) {
                tasks[i] = new PerfTask(100 + i, "vcpu" + i);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shortcutsLeaveWhatTheFullWalkLeaves(long seed) {
        run(seed, false);
    }

    /**
     * The same with host CPU groups of 32-bit events only, as {@code perf stat} opens them: the
     * flexible groups enableAll may leave on a counter mask between two enables.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void enableAllWithThirtyTwoBitHostGroupsLeavesWhatOneByOneLeaves(long seed) {
        run(seed + 1_000, true);
    }

    private static void run(long seed, boolean hostGroups32) {
        SplittableRandom setup = new SplittableRandom(seed);
        int n = 4 + setup.nextInt(5);
        PmuVersion version = setup.nextBoolean() ? PmuVersion.P5 : PmuVersion.P1;
        Host fast = new Host(n, version, true);
        Host full = new Host(n, version, false);
        // One op stream drives both; each op draws its choices once and applies them to both hosts.
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        long now = 0;
        for (int op = 0; op < OPS; op++) {
            String what = step(r, fast, full, now, hostGroups32);
            now += 1 + r.nextInt(r.nextInt(8) == 0 ? 3_000_000 : 20_000);
            String where = "seed " + seed + " (N=" + n + ", " + version + "), op " + op + " (" + what + ")";
            advance(fast, now);
            advance(full, now);
            compare(fast, full, where, op % 10 == 9 ? now : -1);
        }
        assertThat(fast.bed.perf.inPlaceRescheds + fast.bed.perf.reschedsFrom)
                .as("seed %d: the shortcuts ran", seed)
                .isPositive();
        assertThat(full.bed.perf.inPlaceRescheds + full.bed.perf.reschedsFrom).isZero();
        FLEXIBLE_INS_WITHOUT_HW.addAndGet(fast.bed.perf.flexibleInsWithoutHw);
        PINNED_INS_WITHOUT_HW.addAndGet(fast.bed.perf.pinnedInsWithoutHw);
        READDS_AS_ADDED.addAndGet(fast.bed.perf.readdsAsAdded());
        assertThat(full.bed.perf.readdsAsAdded()).isZero();
    }

    /** One random operation, applied to both hosts; returns its description. */
    private static String step(SplittableRandom r, Host a, Host b, long now, boolean hostGroups32) {
        int kind = r.nextInt(100);
        int cpu = r.nextInt(CPUS);
        if (kind < 8) {
            boolean pinned = r.nextInt(3) == 0;
            int size = 1 + r.nextInt(3);
            int[] ev = new int[size];
            boolean[] longCounter = new boolean[size];
            long[] period = new long[size];
            for (int i = 0; i < size; i++) {
                ev[i] = EVENTS[r.nextInt(EVENTS.length)];
                longCounter[i] = r.nextInt(4) == 0 && !hostGroups32;
                // Short sampling periods, so a period may have elapsed when a resched re-arms it.
                period[i] = hostGroups32 && r.nextBoolean() ? 1 + r.nextInt(2_000_000) : 0;
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
                        h.events.add(null); // the group did not fit: the same on both
                    }
                }
            }
            return "open a CPU group of " + size;
        }
        if (kind < 30) {
            // kvm_pmu_create_perf_event: pinned, exclude_host, task-bound, mostly disabled.
            int task = r.nextInt(TASKS);
            int event = EVENTS[r.nextInt(EVENTS.length)];
            boolean disabled = r.nextInt(4) != 0;
            long period = 1 + r.nextLong(r.nextBoolean() ? 1L << 32 : Long.MAX_VALUE);
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
            return "create a kernel counter for task " + task + (disabled ? ", disabled" : "");
        }
        if (kind < 45) {
            // KVM at a guest PMCR_EL0.E write: every event of a running task disabled, one re-created
            // disabled, then every one enabled in turn.
            int task = r.nextInt(TASKS);
            if (a.tasks[task].cpu() < 0) {
                return "no burst (task " + task + " not running)";
            }
            int recreate = r.nextInt(8);
            // A third of the bursts are a guest PMCNTENSET write: no disables first, so events the
            // task already has on counters (counting since an earlier instant) are re-armed in the run.
            boolean disableFirst = r.nextInt(3) != 0;
            // KVM enables in counter order, which re-creation makes differ from the list order.
            long order = r.nextLong();
            int runCpu = a.tasks[task].cpu();
            for (Host h : List.of(a, b)) {
                if (h == a) {
                    // KVM's calls at one instant as one run on the vCPU's CPU (PerfCore.beginPmuRun).
                    h.bed.perf.beginPmuRun(runCpu);
                }
                List<Integer> mine = eventsOf(h, h.tasks[task]);
                if (disableFirst) {
                    for (int i : mine) {
                        h.bed.perf.disable(cpu, h.events.get(i), now);
                    }
                }
                if (disableFirst && recreate < mine.size()) {
                    int i = mine.get(recreate);
                    PerfEvent old = h.events.get(i);
                    h.bed.perf.close(cpu, old, now);
                    h.events.set(i, null);
                    PerfEventAttr attr = old.attr().toBuilder().disabled(true).build();
                    h.events.add(h.bed.perf.createKernelCounter(cpu, attr, -1, h.tasks[task], (e, c, t) -> {}, now));
                }
                List<Integer> enabling = eventsOf(h, h.tasks[task]);
                Collections.shuffle(enabling, new Random(order));
                if (h == a) {
                    // As kvm_pmu_reprogram_counter_mask: the enables in one call (PerfCore.enableAll).
                    PerfEvent[] all = new PerfEvent[enabling.size()];
                    for (int i = 0; i < all.length; i++) {
                        all[i] = h.events.get(enabling.get(i));
                    }
                    h.bed.perf.enableAll(cpu, all, all.length, now);
                } else {
                    for (int i : enabling) {
                        h.bed.perf.enable(cpu, h.events.get(i), now);
                    }
                }
                if (h == a) {
                    h.bed.perf.endPmuRun(runCpu);
                }
            }
            return "KVM burst on task " + task + (disableFirst ? "" : " without disables");
        }
        int live = a.events.size();
        if (kind < 55 && live > 0) {
            int i = r.nextInt(live);
            if (a.events.get(i) != null) {
                a.bed.perf.enable(cpu, a.events.get(i), now);
                b.bed.perf.enable(cpu, b.events.get(i), now);
            }
            return "enable event " + i;
        }
        if (kind < 63 && live > 0) {
            int i = r.nextInt(live);
            if (a.events.get(i) != null) {
                a.bed.perf.disable(cpu, a.events.get(i), now);
                b.bed.perf.disable(cpu, b.events.get(i), now);
            }
            return "disable event " + i;
        }
        if (kind < 68 && live > 0) {
            int i = r.nextInt(live);
            if (a.events.get(i) != null) {
                a.bed.perf.close(cpu, a.events.get(i), now);
                b.bed.perf.close(cpu, b.events.get(i), now);
                a.events.set(i, null);
                b.events.set(i, null);
            }
            return "close event " + i;
        }
        if (kind < 82) {
            int task = r.nextInt(TASKS + 1);
            PerfTask next = task == TASKS ? null : a.tasks[task];
            if (next != null && next.cpu() >= 0) {
                return "no switch (task " + task + " runs)";
            }
            a.bed.perf.contextSwitch(cpu, next, now);
            b.bed.perf.contextSwitch(cpu, task == TASKS ? null : b.tasks[task], now);
            return "switch CPU " + cpu + " to task " + task;
        }
        if (kind < 88) {
            a.bed.perf.perfPmuResched(cpu, now);
            b.bed.perf.perfPmuResched(cpu, now);
            return "perf_pmu_resched on CPU " + cpu;
        }
        if (kind < 91) {
            long implemented = a.bed.perf.pmuOfCpu(cpu).implementedMask();
            long mask = implemented & (r.nextInt(3) == 0 ? r.nextLong() : -1L);
            a.bed.perf.setCntrMask(cpu, mask);
            b.bed.perf.setCntrMask(cpu, mask);
            return "cntr_mask 0x" + Long.toHexString(mask) + " on CPU " + cpu;
        }
        if (live > 0) {
            int i = r.nextInt(live);
            if (a.events.get(i) != null) {
                a.bed.perf.read(a.events.get(i), now);
                b.bed.perf.read(b.events.get(i), now);
            }
            return "read event " + i;
        }
        return "nothing";
    }

    /** The live events of {@code task}, by index, in creation order. */
    private static List<Integer> eventsOf(Host h, PerfTask task) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < h.events.size(); i++) {
            PerfEvent e = h.events.get(i);
            if (e != null && e.task() == task) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * Time passes on every CPU up to {@code to}: the PE counts (at EL0 or EL1, the level chosen per
     * CPU from the time, so both hosts agree), overflow interrupts are taken when due and the
     * multiplexing hrtimer fires.
     */
    private static void advance(Host h, long to) {
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
                    break; // nothing more happens at this instant
                }
            }
            ExceptionLevel level = ((to / 7_919) & 1) == 0 ? ExceptionLevel.EL0 : ExceptionLevel.EL1;
            pe.switchContext(Math.max(to, pe.now()), level, PerfTestbed.RATES);
        }
    }

    private static void compare(Host a, Host b, String where, long readAt) {
        assertThat(a.events).as(where).hasSameSizeAs(b.events);
        for (int i = 0; i < a.events.size(); i++) {
            PerfEvent x = a.events.get(i);
            PerfEvent y = b.events.get(i);
            if (x == null || y == null) {
                assertThat(x == null)
                        .as("%s: event %d released on both", where, i)
                        .isEqualTo(y == null);
                continue;
            }
            if (readAt >= 0 && x.state() != PerfEventState.DEAD) {
                a.bed.perf.read(x, readAt);
                b.bed.perf.read(y, readAt);
                assertThat(new long[] {x.timeEnabled(), x.timeRunning()})
                        .as("%s: event %d times", where, i)
                        .containsExactly(y.timeEnabled(), y.timeRunning());
            }
            assertThat(state(x)).as("%s: event %d", where, i).isEqualTo(state(y));
        }
        for (int cpu = 0; cpu < CPUS; cpu++) {
            assertThat(a.bed.hw(cpu)).as("%s: PE %d", where, cpu).isEqualTo(b.bed.hw(cpu));
            assertThat(a.bed.perf.nextRotationTime(cpu))
                    .as("%s: hrtimer of CPU %d", where, cpu)
                    .isEqualTo(b.bed.perf.nextRotationTime(cpu));
        }
        assertThat(a.bed.costs.charges()).as("%s: costs", where).isEqualTo(b.bed.costs.charges());
        assertThat(a.bed.perf.reschedCount()).as("%s: rescheds", where).isEqualTo(b.bed.perf.reschedCount());
    }

    /** What must agree at every step: placement and the driver's period state (times only once read). */
    private static String state(PerfEvent e) {
        return e.state() + " idx=" + e.idx + (e.chained ? " chained" : "") + " oncpu=" + e.oncpu + " count=" + e.count
                + " prev=" + e.prevCount + " left=" + e.periodLeft + " last=" + e.lastPeriod + " sample="
                + e.samplePeriod + " stopped=" + e.hwStopped;
    }
}
