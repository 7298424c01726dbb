package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.kvm.perf.TwinPerfHosts.Host;
import dev.pmulab.kvm.perf.TwinPerfHosts.Op;
import dev.pmulab.kvm.perf.TwinPerfHosts.Share;
import java.util.List;
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
        TwinPerfHosts twins = new TwinPerfHosts(CPUS, TASKS, n, version, mix(hostGroups32));
        Host fast = twins.fast;
        Host full = twins.full;
        fast.bed.perf.reschedInPlace = true;
        full.bed.perf.reschedInPlace = false;
        // One op stream drives both; each op draws its choices once and applies them to both hosts.
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        long now = 0;
        for (int op = 0; op < OPS; op++) {
            String what = twins.step(r, now);
            now += 1 + r.nextInt(r.nextInt(8) == 0 ? 3_000_000 : 20_000);
            String where = twins.where(seed, op, what);
            advance(fast, now);
            advance(full, now);
            twins.compare(
                    where,
                    op % 10 == 9 ? now : -1,
                    PerfReschedInPlaceTest::state,
                    e -> List.of(e.timeEnabled(), e.timeRunning()));
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

    /**
     * The op mix: CPU groups (with {@code hostGroups32}, of 32-bit events that may sample with
     * short periods, so a period may have elapsed when a resched re-arms it; else of counting
     * events, a quarter 64-bit); KVM-like task counters, three in four disabled, sampling at a
     * 32-bit or any distance; KVM bursts; enables, disables, releases, task switches, reschedules,
     * cntr_mask changes and reads.
     */
    private static TwinPerfHosts.Mix mix(boolean hostGroups32) {
        return new TwinPerfHosts.Mix(
                EVENTS,
                List.of(
                        new Share(Op.OPEN_GROUP, 8),
                        new Share(Op.KERNEL_COUNTER, 30),
                        new Share(Op.KVM_BURST, 45),
                        new Share(Op.ENABLE, 55),
                        new Share(Op.DISABLE, 63),
                        new Share(Op.CLOSE, 68),
                        new Share(Op.SWITCH, 82),
                        new Share(Op.RESCHED, 88),
                        new Share(Op.CNTR_MASK, 91),
                        new Share(Op.READ, 100)),
                !hostGroups32,
                hostGroups32,
                r -> r.nextInt(4) != 0,
                r -> 1 + r.nextLong(r.nextBoolean() ? 1L << 32 : Long.MAX_VALUE));
    }

    /**
     * Time passes on every CPU up to {@code to}: overflow interrupts are taken when due, the
     * multiplexing hrtimer fires, and the PE counts on (at EL0 or EL1, the level chosen per CPU
     * from the time, so both hosts agree).
     */
    private static void advance(Host h, long to) {
        for (int cpu = 0; cpu < CPUS; cpu++) {
            h.takeInterrupts(cpu, to);
            h.switchContext(cpu, to, ((to / 7_919) & 1) == 0 ? ExceptionLevel.EL0 : ExceptionLevel.EL1);
        }
    }

    /** What must agree at every step: placement and the driver's period state (times only once read). */
    private static String state(PerfEvent e) {
        return e.state() + " idx=" + e.idx + (e.chained ? " chained" : "") + " oncpu=" + e.oncpu + " count=" + e.count
                + " prev=" + e.prevCount + " left=" + e.periodLeft + " last=" + e.lastPeriod + " sample="
                + e.samplePeriod + " stopped=" + e.hwStopped;
    }
}
