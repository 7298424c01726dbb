package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Two identical perf hosts driven by one seeded random operation stream, for the tests that hold a
 * shortcut against the path it stands for: {@link #fast} takes the shortcut under test, {@link
 * #full} the reference path. Each op draws its choices once and applies them to both hosts; a
 * test fixes its {@link Mix} (which ops, how often, how their attributes are drawn), so a seed
 * replays the same sequence every time.
 */
final class TwinPerfHosts {
    /** One host: a testbed, its tasks, and its events in creation order (both hosts create the same). */
    static final class Host {
        final PerfTestbed bed;
        final PerfTask[] tasks;
        final List<PerfEvent> events = new ArrayList<>();

        Host(int cpus, int tasks, int n, PmuVersion version) {
            bed = PerfTestbed.homogeneous(cpus, n, version);
            this.tasks = new PerfTask[tasks];
            for (int i = 0; i < tasks; i++) {
                this.tasks[i] = new PerfTask(100 + i, "vcpu" + i);
            }
        }

        /**
         * Overflow interrupts and hrtimer expiries due on {@code cpu} up to {@code to}, each at its
         * time; the PE is brought only that far, so no overflow is due between it and {@code to}.
         */
        void takeInterrupts(int cpu, long to) {
            Pe pe = bed.pes.get(cpu);
            while (true) {
                long t = Math.min(bed.perf.nextOverflowTime(cpu), bed.perf.nextRotationTime(cpu));
                if (t > to) {
                    break;
                }
                t = Math.max(t, pe.now());
                pe.advanceTo(t);
                bed.perf.handleIrq(cpu, t);
                bed.perf.perfMuxHrtimerHandler(cpu, t);
                if (bed.perf.nextOverflowTime(cpu) <= t && bed.perf.nextRotationTime(cpu) <= t) {
                    break; // nothing more happens at this instant
                }
            }
        }

        /** The PE of {@code cpu} runs on at {@code level} from {@code to} (from its own time if later). */
        void switchContext(int cpu, long to, ExceptionLevel level) {
            Pe pe = bed.pes.get(cpu);
            pe.switchContext(Math.max(to, pe.now()), level, PerfTestbed.RATES);
        }

        /** The live events of {@code task}, by index, in creation order. */
        List<Integer> eventsOf(PerfTask task) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                PerfEvent e = events.get(i);
                if (e != null && e.task() == task) {
                    out.add(i);
                }
            }
            return out;
        }
    }

    /** The operations {@link #step} can take. */
    enum Op {
        /** Open a CPU group of one to three events on the chosen CPU. */
        OPEN_GROUP,
        /** kvm_pmu_create_perf_event: a pinned, exclude_host, task-bound kernel counter. */
        KERNEL_COUNTER,
        /**
         * KVM at a guest PMCR_EL0.E or PMCNTENSET write: a running task's events disabled, one
         * re-created, then all enabled; {@link #fast} as one run with enableAll, {@link #full} one
         * by one.
         */
        KVM_BURST,
        ENABLE,
        DISABLE,
        CLOSE,
        /** A context switch of the chosen CPU to a task that does not run, or to no task. */
        SWITCH,
        /** perf_pmu_resched on the chosen CPU. */
        RESCHED,
        /** A new cntr_mask (all implemented counters, or a random subset) on the chosen CPU. */
        CNTR_MASK,
        READ;

        /** Whether the op picks an existing event, so it is passed over while there is none. */
        boolean picksAnEvent() {
            return this == ENABLE || this == DISABLE || this == CLOSE || this == READ;
        }
    }

    /** {@code op} is taken when the step's draw from [0, 100) is below {@code below} and no earlier op took it. */
    record Share(Op op, int below) {}

    /**
     * What a test's op stream is made of: the events drawn from, the ops with their cumulative
     * shares (in order; a draw no op takes is "nothing"), whether CPU group events may be 64-bit
     * and may sample, and how a KVM-like kernel counter's disabled bit and sample period are
     * drawn.
     */
    record Mix(
            int[] events,
            List<Share> shares,
            boolean groupLongCounters,
            boolean groupSampling,
            Predicate<SplittableRandom> kernelDisabled,
            ToLongFunction<SplittableRandom> kernelPeriod) {
        Mix {
            events = events.clone();
            shares = List.copyOf(shares);
            for (int i = 1; i < shares.size(); i++) {
                if (shares.get(i).below() <= shares.get(i - 1).below()) {
                    throw new IllegalArgumentException("shares not increasing at " + shares.get(i));
                }
            }
        }
    }

    final Host fast;
    final Host full;
    private final Mix mix;
    /** The hosts' PMU, for the assertion messages. */
    private final String pmu;

    TwinPerfHosts(int cpus, int tasks, int n, PmuVersion version, Mix mix) {
        this.mix = mix;
        pmu = "N=" + n + ", " + version;
        fast = new Host(cpus, tasks, n, version);
        full = new Host(cpus, tasks, n, version);
    }

    /** Where a failure happened, for the assertion messages. */
    String where(long seed, int op, String what) {
        return "seed " + seed + " (" + pmu + "), op " + op + " (" + what + ")";
    }

    /** One random operation, applied to both hosts; returns its description. */
    String step(SplittableRandom r, long now) {
        int kind = r.nextInt(100);
        int cpu = r.nextInt(fast.bed.pes.size());
        int live = fast.events.size();
        for (Share s : mix.shares()) {
            if (kind < s.below() && (live > 0 || !s.op().picksAnEvent())) {
                return apply(s.op(), r, cpu, live, now);
            }
        }
        return "nothing";
    }

    private String apply(Op op, SplittableRandom r, int cpu, int live, long now) {
        return switch (op) {
            case OPEN_GROUP -> openGroup(r, cpu, now);
            case KERNEL_COUNTER -> kernelCounter(r, cpu, now);
            case KVM_BURST -> kvmBurst(r, cpu, now);
            case ENABLE -> onEvent(r, live, "enable", (h, i) -> h.bed.perf.enable(cpu, h.events.get(i), now));
            case DISABLE -> onEvent(r, live, "disable", (h, i) -> h.bed.perf.disable(cpu, h.events.get(i), now));
            case CLOSE ->
                onEvent(r, live, "close", (h, i) -> {
                    h.bed.perf.close(cpu, h.events.get(i), now);
                    h.events.set(i, null);
                });
            case READ -> onEvent(r, live, "read", (h, i) -> h.bed.perf.read(h.events.get(i), now));
            case SWITCH -> contextSwitch(r, cpu, now);
            case RESCHED -> {
                fast.bed.perf.perfPmuResched(cpu, now);
                full.bed.perf.perfPmuResched(cpu, now);
                yield "perf_pmu_resched on CPU " + cpu;
            }
            case CNTR_MASK -> {
                long implemented = fast.bed.perf.pmuOfCpu(cpu).implementedMask();
                long mask = implemented & (r.nextInt(3) == 0 ? r.nextLong() : -1L);
                fast.bed.perf.setCntrMask(cpu, mask);
                full.bed.perf.setCntrMask(cpu, mask);
                yield "cntr_mask 0x" + Long.toHexString(mask) + " on CPU " + cpu;
            }
        };
    }

    /** What an op does to one host's event at index {@code i}. */
    private interface EventAction {
        void apply(Host h, int i);
    }

    /** An op on one random event slot, on both hosts unless the slot was released. */
    private String onEvent(SplittableRandom r, int live, String verb, EventAction action) {
        int i = r.nextInt(live);
        if (fast.events.get(i) != null) {
            action.apply(fast, i);
            action.apply(full, i);
        }
        return verb + " event " + i;
    }

    private String openGroup(SplittableRandom r, int cpu, long now) {
        boolean pinned = r.nextInt(3) == 0;
        int size = 1 + r.nextInt(3);
        int[] ev = new int[size];
        boolean[] longCounter = new boolean[size];
        long[] period = new long[size];
        for (int i = 0; i < size; i++) {
            ev[i] = mix.events()[r.nextInt(mix.events().length)];
            longCounter[i] = r.nextInt(4) == 0 && mix.groupLongCounters();
            // Short sampling periods, so a period may have elapsed when a resched re-arms it.
            period[i] = mix.groupSampling() && r.nextBoolean() ? 1 + r.nextInt(2_000_000) : 0;
        }
        for (Host h : List.of(fast, full)) {
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

    private String kernelCounter(SplittableRandom r, int cpu, long now) {
        int task = r.nextInt(fast.tasks.length);
        int event = mix.events()[r.nextInt(mix.events().length)];
        boolean disabled = mix.kernelDisabled().test(r);
        long period = mix.kernelPeriod().applyAsLong(r);
        boolean longCounter = r.nextBoolean();
        for (Host h : List.of(fast, full)) {
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

    private String kvmBurst(SplittableRandom r, int cpu, long now) {
        // KVM at a guest PMCR_EL0.E write: every event of a running task disabled, one re-created
        // disabled, then every one enabled in turn.
        int task = r.nextInt(fast.tasks.length);
        if (fast.tasks[task].cpu() < 0) {
            return "no burst (task " + task + " not running)";
        }
        int recreate = r.nextInt(8);
        // A third of the bursts are a guest PMCNTENSET write: no disables first, so events the
        // task already has on counters (counting since an earlier instant) are re-armed in the run.
        boolean disableFirst = r.nextInt(3) != 0;
        // KVM enables in counter order, which re-creation makes differ from the list order.
        long order = r.nextLong();
        int runCpu = fast.tasks[task].cpu();
        for (Host h : List.of(fast, full)) {
            if (h == fast) {
                // KVM's calls at one instant as one run on the vCPU's CPU (PerfCore.beginPmuRun).
                h.bed.perf.beginPmuRun(runCpu);
            }
            List<Integer> mine = h.eventsOf(h.tasks[task]);
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
            List<Integer> enabling = h.eventsOf(h.tasks[task]);
            Collections.shuffle(enabling, new Random(order));
            if (h == fast) {
                // As kvm_pmu_reprogram_counter_mask: the enables in one call (PerfCore.enableAll).
                PerfEvent[] all = new PerfEvent[enabling.size()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = h.events.get(enabling.get(i));
                }
                h.bed.perf.enableAll(cpu, all, all.length, now);
                h.bed.perf.endPmuRun(runCpu);
            } else {
                for (int i : enabling) {
                    h.bed.perf.enable(cpu, h.events.get(i), now);
                }
            }
        }
        return "KVM burst on task " + task + (disableFirst ? "" : " without disables");
    }

    private String contextSwitch(SplittableRandom r, int cpu, long now) {
        int tasks = fast.tasks.length;
        int task = r.nextInt(tasks + 1);
        PerfTask next = task == tasks ? null : fast.tasks[task];
        if (next != null && next.cpu() >= 0) {
            return "no switch (task " + task + " runs)";
        }
        fast.bed.perf.contextSwitch(cpu, next, now);
        full.bed.perf.contextSwitch(cpu, task == tasks ? null : full.tasks[task], now);
        return "switch CPU " + cpu + " to task " + task;
    }

    /**
     * Both hosts must agree: the same event slots released; each live event on {@code always}
     * and, when {@code readAt >= 0}, after both read it at {@code readAt}, on {@code afterRead};
     * every PE's whole architectural state and hrtimer; every cost charged; the resched count.
     */
    void compare(String where, long readAt, Function<PerfEvent, Object> always, Function<PerfEvent, Object> afterRead) {
        assertThat(fast.events).as(where).hasSameSizeAs(full.events);
        for (int i = 0; i < fast.events.size(); i++) {
            PerfEvent x = fast.events.get(i);
            PerfEvent y = full.events.get(i);
            if (x == null || y == null) {
                assertThat(x == null)
                        .as("%s: event %d released on both", where, i)
                        .isEqualTo(y == null);
                continue;
            }
            if (readAt >= 0 && x.state() != PerfEventState.DEAD) {
                fast.bed.perf.read(x, readAt);
                full.bed.perf.read(y, readAt);
                assertThat(afterRead.apply(x))
                        .as("%s: event %d after a read", where, i)
                        .isEqualTo(afterRead.apply(y));
            }
            assertThat(always.apply(x)).as("%s: event %d", where, i).isEqualTo(always.apply(y));
        }
        for (int cpu = 0; cpu < fast.bed.pes.size(); cpu++) {
            assertThat(fast.bed.hw(cpu)).as("%s: PE %d", where, cpu).isEqualTo(full.bed.hw(cpu));
            assertThat(fast.bed.perf.nextRotationTime(cpu))
                    .as("%s: hrtimer of CPU %d", where, cpu)
                    .isEqualTo(full.bed.perf.nextRotationTime(cpu));
        }
        assertThat(fast.bed.costs.charges()).as("%s: costs", where).isEqualTo(full.bed.costs.charges());
        assertThat(fast.bed.perf.reschedCount()).as("%s: rescheds", where).isEqualTo(full.bed.perf.reschedCount());
    }
}
