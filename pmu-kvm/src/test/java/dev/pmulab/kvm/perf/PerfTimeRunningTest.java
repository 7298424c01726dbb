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

    /**
     * The op mix: CPU groups of events a quarter 64-bit, half sampling with short periods;
     * KVM-like task counters, one in three disabled, sampling at a distance of up to 3 ms or up to
     * 2^32; enables, disables, releases, task switches and reschedules.
     */
    private static final TwinPerfHosts.Mix MIX = new TwinPerfHosts.Mix(
            EVENTS,
            List.of(
                    new Share(Op.OPEN_GROUP, 10),
                    new Share(Op.KERNEL_COUNTER, 35),
                    new Share(Op.ENABLE, 50),
                    new Share(Op.DISABLE, 60),
                    new Share(Op.CLOSE, 65),
                    new Share(Op.SWITCH, 90),
                    new Share(Op.RESCHED, 100)),
            true,
            true,
            r -> r.nextInt(3) == 0,
            r -> 1 + r.nextLong(r.nextBoolean() ? 3_000_000 : 1L << 32));

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void timeRunningLeavesWhatReadLeaves(long seed) {
        SplittableRandom setup = new SplittableRandom(seed);
        int n = 4 + setup.nextInt(4);
        PmuVersion version = setup.nextBoolean() ? PmuVersion.P5 : PmuVersion.P1;
        TwinPerfHosts twins = new TwinPerfHosts(CPUS, TASKS, n, version, MIX);
        Host fast = twins.fast;
        Host full = twins.full;
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        long now = 0;
        int timeRunningCalls = 0;
        for (int op = 0; op < OPS; op++) {
            String what = twins.step(r, now);
            now += 1 + r.nextInt(r.nextInt(8) == 0 ? 3_000_000 : 40_000);
            String where = twins.where(seed, op, what);
            for (Host h : List.of(fast, full)) {
                for (int cpu = 0; cpu < CPUS; cpu++) {
                    h.takeInterrupts(cpu, now);
                }
            }
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
                    h.switchContext(cpu, now, level);
                }
            }
            twins.compare(where, op % 10 == 9 ? now : -1, PerfTimeRunningTest::placement, PerfTimeRunningTest::counts);
        }
        assertThat(timeRunningCalls).as("seed %d: timeRunning ran", seed).isPositive();
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
