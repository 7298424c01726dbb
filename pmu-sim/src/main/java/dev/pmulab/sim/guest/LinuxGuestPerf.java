package dev.pmulab.sim.guest;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevcntrEl0;
import dev.pmulab.kvm.perf.CounterAllocationOrder;
import dev.pmulab.kvm.perf.GroupValidation;
import dev.pmulab.kvm.perf.PerfEventAttr;
import dev.pmulab.kvm.perf.PerfPeriod;
import dev.pmulab.kvm.perf.PerfPmu;
import dev.pmulab.kvm.perf.PerfSampleLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The perf core of a Linux guest on one of its vCPUs, with every perf user the guest runs there
 * ({@link GuestPerfSession}s: {@code perf stat}, {@code perf record}, with or without {@code -a})
 * and the hard-lockup NMI watchdog, through the arm_pmuv3 driver. It issues the driver's register
 * accesses through the vPMU port, in the driver's order:
 * <ul>
 * <li>probe and {@code armv8pmu_reset};
 * <li>{@code armpmu_start}: {@code armpmu_event_set_period} (the counter write, from
 * {@code period_left}), then {@code armv8pmu_enable_event} (type, interrupt enable, counter
 * enable); {@code armpmu_stop}: {@code armv8pmu_disable_event} (counter disable, interrupt
 * disable, its overflow flag cleared), then {@code armpmu_event_update} (the counter read), once
 * per stop (PERF_HES_STOPPED);
 * <li>{@code armv8pmu_start}: PMUSERENR_EL0 written with 0 (no user access), then PMCR_EL0.E set by
 * read-modify-write; {@code armv8pmu_stop}: PMCR_EL0.E cleared.
 * </ul>
 * Its contexts are the kernel's: the CPU context holds the watchdog (pinned) and every
 * {@code -a} session's groups (flexible); the workload task's context holds the task sessions'
 * groups, and is scheduled in and out with the task ({@code perf_event_task_sched_in/out}). Groups
 * go on in {@code ctx_sched_in}'s order (CPU pinned, CPU flexible, task flexible), all members or
 * none, CPU_CYCLES on PMCCNTR when free; a flexible pass stops at the first group that does not
 * fit and marks its context for rotation, and every tick rotates the contexts that need it
 * ({@code perf_rotate_context}). Each event keeps its {@code period_left} across every stop and
 * start ({@link PerfPeriod}). At every tick {@code perf_event_task_tick} unthrottles and re-tunes
 * frequency-mode events ({@code perf_adjust_freq_unthr_context}, per context); fixed-period
 * ({@code -c}) events keep their period. The overflow handler is {@code armv8pmu_handle_irq},
 * timed in guest time for {@code perf_sample_event_took}; an event whose interrupts in one tick
 * reach {@code max_samples_per_tick} is throttled with its group
 * ({@code __perf_event_account_interrupt}). The sampling limits are the guest kernel's, shared by
 * its vCPUs ({@link PerfSampleLimits}). A {@code perf stat -I} session's reads come at its interval
 * ({@link #timer}): {@code armpmu_read} of each of its events on a counter here, which the tool's
 * read of the event makes the kernel run on this CPU.
 */
public final class LinuxGuestPerf implements GuestPmuModel {
    private static final int CYCLE_IDX = Pe.CYCLE_COUNTER;
    /**
     * {@code arm_pmu_event_max_period} of every event here: perf's events and the watchdog's are
     * 32-bit events (no {@code config1} "long"), whatever the counter's width.
     */
    private static final long MAX_PERIOD = PmevcntrEl0.LOW32;
    /**
     * What {@code armv8pmu_start} writes to PMUSERENR_EL0 when user access is off (the default
     * {@code kernel.perf_user_access} = 0, and perf stat/record never ask for it):
     * {@code armv8pmu_disable_user_access} writes 0. The write arrived with user-space counter
     * access (Rob Herring, "arm64: perf: Enable PMU counter userspace access for perf event",
     * December 2021, merged for Linux 5.17); before it armv8pmu_start only set PMCR.E.
     */
    private static final long PMUSERENR_NO_USER_ACCESS = 0;
    /**
     * {@code SAFE_MAX_CPU_FREQ} (arch/arm64/kernel/watchdog_hld.c): the CPU frequency
     * {@code hw_nmi_get_sample_period} assumes when cpufreq reports none, as in a KVM guest, which
     * has no cpufreq driver.
     */
    public static final long SAFE_MAX_CPU_FREQ_HZ = 5_000_000_000L;

    private final int hz;
    private final long tickNsec;
    private final boolean longCounters;
    private final PerfSampleLimits limits;
    private final PerfSampleLimits.Cpu limitsCpu;
    private final List<GuestPerfSession> sessions;
    /** The first perf record session's -F as asked and as opened (0 without one), for tests and reports. */
    private final long requestedFreq;

    private final long sampleFreq;
    /** The CPU context: the watchdog (pinned) and the -a sessions' groups (flexible, in open order). */
    private final List<Group> cpuPinned = new ArrayList<>();

    private final List<Group> cpuFlexible = new ArrayList<>();
    /** The workload task's context on this CPU: the task sessions' groups; empty without a task here. */
    private final List<Group> taskFlexible = new ArrayList<>();
    /** Every event of every session, in open order (not the watchdog). */
    private final List<GuestEvent> toolEvents = new ArrayList<>();
    /** The events of the perf stat -I session, read at its interval. */
    private final List<GuestEvent> intervalEvents = new ArrayList<>();

    private final long intervalNs;
    private final GuestEvent watchdog;
    private final GuestEvent[] onCounter = new GuestEvent[32];
    /** The counters whose onCounter entry is set. */
    private long onCounterMask;
    /** The counters whose event counts on the hardware (set, not hwStopped): those flushTruth adds to. */
    private long truthMask;

    private int nCounters;
    /**
     * The contexts' time for the scheduling operation under way ({@code ctx->time} as
     * update_context_time last set it): every event's times are brought up to it, not to the
     * clock, so the operation's own register accesses split no event's enabled from its running.
     */
    private long ctxTime;
    /** {@code rotate_necessary} of the CPU and the task context. */
    private boolean cpuRotate;

    private boolean taskRotate;
    /** The task context is scheduled in on this CPU (its task runs here). */
    private boolean taskIn;

    private boolean booted;
    /** {@code perf_throttled_seq}: this CPU's tick count, which starts each event's interrupt count afresh. */
    private long throttledSeq;
    /** {@code perf_throttled_count}: events throttled on this CPU since the last tick. */
    private int throttledCount;

    private long pmis;
    /** PMU interrupts the handler found no overflow flag for (it returns IRQ_NONE); /proc/interrupts counts them too. */
    private long spuriousPmis;

    private long throttles;
    /**
     * Samples per session, in {@link #sessions} order; their sum is {@link #samples()} (the
     * watchdog writes none). Throttles per session too; {@link #throttles} also counts the
     * watchdog's.
     */
    private final long[] samplesBySession;

    private final long[] throttlesBySession;
    private long intervalReads;
    /**
     * Execution not yet added to the ground truth of the events counting, per rates: every guest
     * access accounts a few ns, and the truth is an exact sum of (ns x rate) pieces, so the order
     * and grouping of the pieces do not change it. Time at the same rates is summed, in three slots
     * because a guest alternates between its user and kernel rates (at every interrupt) and the
     * refill after each exit, and added once, before the events counting change or a truth is read.
     */
    private static final int PENDING_SLOTS = 3;

    private final EventRates[] pendingRates = new EventRates[PENDING_SLOTS];
    private final long[] pendingNs = new long[PENDING_SLOTS];

    /** One perf event of the guest: {@code perf_event} with its {@code hw_perf_event}. */
    private static final class GuestEvent {
        final int event;
        final boolean sampling;
        /** {@code is_event_in_freq_mode}. */
        final boolean freq;
        /** {@code attr.sample_freq} of a frequency-mode event, as opened. */
        final long sampleFreq;

        Group group;
        int idx = -1;
        /** PERF_HES_STOPPED: not counting on its counter (never started, stopped, or throttled). */
        boolean hwStopped = true;

        long samplePeriod;
        long periodLeft;
        long lastPeriod;
        long prevCount; // the counter value at the last set_period or update, 32 bits
        long count; // event->count: what the driver accumulated while on a counter
        long freqCountStamp;
        /** The last interrupt's time, or -1 before the first (the tool starts long after boot). */
        long freqTimeStamp = -1;

        long interrupts;
        long interruptsSeq = -1;
        /** {@code hw.interrupts == MAX_INTERRUPTS}. */
        boolean throttled;

        final GroundTruth truth = new GroundTruth();
        long truthAtRead; // ground truth when the driver last read the counter

        GuestEvent(int event, boolean sampling, boolean freq, long sampleFreq, long samplePeriod) {
            this.event = event;
            this.sampling = sampling;
            this.freq = freq;
            this.sampleFreq = sampleFreq;
            this.samplePeriod = samplePeriod;
            this.lastPeriod = samplePeriod;
            this.periodLeft = samplePeriod;
        }
    }

    /** A group: on the PMU with all its members or not at all. */
    private static final class Group {
        /** The leader first; shrinks at open when perf stat skips a member the PMU cannot take. */
        GuestEvent[] members;

        final boolean pinned;
        /** The perf user that opened it; null for the watchdog. */
        final GuestPerfSession session;
        /** Its index in {@link #sessions}; -1 for the watchdog. */
        final int sessionIndex;

        boolean active;
        /** A pinned group that did not fit (PERF_EVENT_STATE_ERROR): never scheduled again. */
        boolean error;
        /**
         * {@code total_time_enabled} and {@code total_time_running} of each member (a group's members
         * change state together, so they share them), up to {@link #tstamp}: what
         * {@code perf_event_update_time} keeps, and {@code perf_event_read_value} reports.
         */
        long timeEnabled;

        long timeRunning;
        long tstamp;
        /**
         * PERF_EVENT_STATE_ACTIVE for the times: set before {@code armpmu_add} and cleared after
         * {@code armpmu_del}, as event_sched_in and event_sched_out change the state around the
         * PMU's callbacks, so the time of the register accesses counts as running.
         */
        boolean timeActive;

        Group(GuestEvent[] members, boolean pinned, GuestPerfSession session, int sessionIndex) {
            this.members = members;
            this.pinned = pinned;
            this.session = session;
            this.sessionIndex = sessionIndex;
            for (GuestEvent e : members) {
                e.group = this;
            }
        }
    }

    /** A guest's perf on one vCPU, built by {@link #builder}. */
    public static final class Builder {
        private final int hz;
        private final PerfSampleLimits limits;
        private boolean longCounters;
        private long watchdogPeriod;
        private boolean runsTask = true;
        private final List<GuestPerfSession> sessions = new ArrayList<>();

        private Builder(int hz, PerfSampleLimits limits) {
            if (hz <= 0) {
                throw new IllegalArgumentException("hz must be positive");
            }
            this.hz = hz;
            this.limits = requireNonNull(limits, "limits is null");
        }

        /** The guest's PMU has 64-bit event counters (PMUv3p5): the driver sets PMCR_EL0.LP. */
        public Builder longCounters(boolean longCounters) {
            this.longCounters = longCounters;
            return this;
        }

        /**
         * The hard-lockup detector: one pinned CPU_CYCLES event on every CPU with a fixed period of
         * {@code hw_nmi_get_sample_period(watchdog_thresh)} cycles ({@link #watchdogPeriod}).
         */
        public Builder watchdog(long periodCycles) {
            if (periodCycles <= 0) {
                throw new IllegalArgumentException("the watchdog's period is positive, was " + periodCycles);
            }
            this.watchdogPeriod = periodCycles;
            return this;
        }

        /** A perf user; sessions open their events in the order they are added. */
        public Builder session(GuestPerfSession session) {
            sessions.add(requireNonNull(session, "session is null"));
            return this;
        }

        /**
         * Whether the workload's task runs on this vCPU (default true): without it the task
         * sessions have no events here; only the CPU context's are.
         */
        public Builder runsTask(boolean runsTask) {
            this.runsTask = runsTask;
            return this;
        }

        public LinuxGuestPerf build() {
            return new LinuxGuestPerf(this);
        }
    }

    /** A guest perf core for one vCPU of a kernel with CONFIG_HZ {@code hz} and sampling limits {@code limits}. */
    public static Builder builder(int hz, PerfSampleLimits limits) {
        return new Builder(hz, limits);
    }

    /**
     * {@code hw_nmi_get_sample_period} on arm64: the CPU's maximum frequency times
     * watchdog_thresh; a guest, without cpufreq, takes {@link #SAFE_MAX_CPU_FREQ_HZ}.
     *
     * @param threshSeconds kernel.watchdog_thresh
     */
    public static long watchdogPeriod(long threshSeconds) {
        return Math.multiplyExact(SAFE_MAX_CPU_FREQ_HZ, threshSeconds);
    }

    private LinuxGuestPerf(Builder b) {
        this.hz = b.hz;
        this.tickNsec = PerfPeriod.tickNsec(b.hz);
        this.longCounters = b.longCounters;
        this.limits = b.limits;
        this.limitsCpu = b.limits.newCpu();
        this.sessions = List.copyOf(b.sessions);
        if (b.watchdogPeriod > 0) {
            // A sampling event with a fixed period: the watchdog's handler writes no sample.
            watchdog = new GuestEvent(Events.CPU_CYCLES, true, false, 0, b.watchdogPeriod);
            cpuPinned.add(new Group(new GuestEvent[] {watchdog}, true, null, -1));
        } else {
            watchdog = null;
        }
        long requested = 0;
        long opened = 0;
        long interval = 0;
        this.samplesBySession = new long[sessions.size()];
        this.throttlesBySession = new long[sessions.size()];
        for (int si = 0; si < sessions.size(); si++) {
            GuestPerfSession s = sessions.get(si);
            boolean here = s.scope() == GuestPerfSession.Scope.SYSTEM || b.runsTask;
            // record_opts__config_freq (tools/perf/util/record.c): a -F above the current
            // perf_event_max_sample_rate is lowered to it, with a warning, unless --strict-freq.
            long freq = s.frequency() ? Math.min(s.sample(), limits.maxSampleRate()) : 0;
            if (s.tool() == GuestPerfSession.Tool.RECORD && requested == 0) {
                requested = s.frequency() ? s.sample() : 0;
                opened = freq;
            }
            if (s.intervalNs() > 0) {
                interval = s.intervalNs();
            }
            if (!here) {
                continue;
            }
            List<Group> ctx = s.scope() == GuestPerfSession.Scope.SYSTEM ? cpuFlexible : taskFlexible;
            for (List<Integer> g : s.groups()) {
                GuestEvent[] members = new GuestEvent[g.size()];
                for (int i = 0; i < members.length; i++) {
                    members[i] = newEvent(s, g.get(i), freq);
                    toolEvents.add(members[i]);
                    if (s.intervalNs() > 0) {
                        intervalEvents.add(members[i]);
                    }
                }
                ctx.add(new Group(members, false, s, si));
            }
        }
        this.requestedFreq = requested;
        this.sampleFreq = opened;
        this.intervalNs = interval;
    }

    private static GuestEvent newEvent(GuestPerfSession s, int event, long freq) {
        if (s.tool() == GuestPerfSession.Tool.STAT) {
            // __hw_perf_event_init: a counting event interrupts at half the counter range.
            return new GuestEvent(event, false, false, 0, MAX_PERIOD >>> 1);
        }
        if (s.frequency()) {
            // The kernel starts a frequency-mode event at a period of 1 and ramps it up at its first
            // interrupts; the model starts at one sample's worth at an assumed 1 GHz and lets the
            // ticks re-tune it.
            return new GuestEvent(event, true, true, freq, Math.max(1, 1_000_000_000L / freq));
        }
        // perf record -c: attr.sample_period, never re-tuned.
        return new GuestEvent(event, true, false, 0, s.sample());
    }

    @Override
    public int hz() {
        return hz;
    }

    /** 64-bit counter under a 32-bit event: PMCCNTR (PMCR.LC) or any counter with PMCR.LP. */
    private boolean needsBias(int idx) {
        return idx == CYCLE_IDX || longCounters;
    }

    /**
     * Probe and reset, the tools' perf_event_open (arm_pmu's {@code validate_group} against this
     * PMU: perf stat leaves out a member that does not fit, as "not supported"; perf record opens
     * nothing and exits), then {@code ctx_sched_in} of the CPU context and, if the task runs here,
     * its context.
     */
    @Override
    public void boot(GuestPmuPort port) {
        // armv8pmu_probe_pmu: PMCR_EL0.N is how many counters this guest has.
        nCounters = PmcrEl0.n(port.read(PmuRegister.PMCR_EL0));
        port.read(PmuRegister.PMCEID0_EL0);
        port.read(PmuRegister.PMCEID1_EL0);
        // armv8pmu_reset: disable every counter and interrupt, clear overflows, reset counters.
        port.write(PmuRegister.PMCNTENCLR_EL0, 0xffff_ffffL);
        port.write(PmuRegister.PMINTENCLR_EL1, 0xffff_ffffL);
        port.write(PmuRegister.PMOVSCLR_EL0, 0xffff_ffffL);
        port.write(PmuRegister.PMCR_EL0, PmcrEl0.P | PmcrEl0.C | PmcrEl0.LC | (longCounters ? PmcrEl0.LP : 0));
        validateGroups(cpuFlexible);
        validateGroups(taskFlexible);
        booted = true;
        taskIn = !taskFlexible.isEmpty();
        // perf_event_open's tstamp: every event's times start at the tool's open (here the boot).
        ctxTime = port.now();
        stampAll(cpuPinned, ctxTime);
        stampAll(cpuFlexible, ctxTime);
        stampAll(taskFlexible, ctxTime);
        for (int i = 0, n = cpuPinned.size(); i < n; i++) {
            Group g = cpuPinned.get(i);
            if (!groupSchedIn(port, g)) {
                g.error = true; // a pinned group that cannot go on goes to ERROR
            }
        }
        cpuRotate = flexibleSchedIn(port, cpuFlexible);
        if (taskIn) {
            taskRotate = flexibleSchedIn(port, taskFlexible);
        }
        armpmuEnable(port);
    }

    /**
     * perf_event_open of each member after the first: arm_pmu's {@code validate_group} (the host
     * perf core's own rule, {@link GroupValidation}) on this PMU's counters. perf stat marks a member
     * that fails "not supported" and opens the rest of its group ({@code stat_handle_error}); perf
     * record fails to open and exits, so none of its groups is left.
     */
    private void validateGroups(List<Group> ctx) {
        long mask = PerfPmu.probeCntrMask(nCounters);
        PmuVersion version = longCounters ? PmuVersion.P5 : PmuVersion.V3;
        for (int i = 0; i < ctx.size(); i++) {
            Group g = ctx.get(i);
            List<PerfEventAttr> open = new ArrayList<>();
            List<GuestEvent> kept = new ArrayList<>();
            for (GuestEvent e : g.members) {
                open.add(PerfEventAttr.builder(0, e.event).build());
                if (GroupValidation.validateGroup(mask, version, CounterAllocationOrder.LOW_TO_HIGH, open)) {
                    kept.add(e);
                } else {
                    open.remove(open.size() - 1);
                }
            }
            if (kept.size() == g.members.length) {
                continue;
            }
            if (g.session.tool() == GuestPerfSession.Tool.RECORD) {
                removeSession(ctx, g.session);
                i = -1; // its groups are gone: look at what is left from the start
                continue;
            }
            for (GuestEvent e : g.members) {
                if (!kept.contains(e)) {
                    toolEvents.remove(e);
                    intervalEvents.remove(e);
                }
            }
            g.members = kept.toArray(new GuestEvent[0]);
        }
    }

    /** perf record could not open a group: the whole tool exits, its events with it. */
    private void removeSession(List<Group> ctx, GuestPerfSession session) {
        ctx.removeIf(g -> {
            boolean its = g.session == session;
            if (its) {
                for (GuestEvent e : g.members) {
                    toolEvents.remove(e);
                }
            }
            return its;
        });
    }

    /**
     * The guest's timer tick: {@code perf_event_task_tick} (a new throttle sequence; each context
     * re-tuned when it has frequency events on counters or something was throttled:
     * {@code perf_adjust_freq_unthr_context}), then the rotation of the contexts that multiplex.
     */
    @Override
    public void tick(GuestPmuPort port) {
        if (!booted) {
            return;
        }
        throttledSeq++;
        boolean unthrottle = throttledCount != 0;
        throttledCount = 0;
        adjustFreqUnthrContext(port, cpuPinned, cpuFlexible, unthrottle);
        if (taskIn) {
            adjustFreqUnthrContext(port, null, taskFlexible, unthrottle);
        }
        if (cpuRotate || (taskIn && taskRotate)) {
            rotate(port);
        }
    }

    /**
     * {@code perf_adjust_freq_unthr_context} of one context (its pinned and flexible groups): skipped
     * unless a frequency event of it is on a counter ({@code ctx->nr_freq}) or something was
     * throttled; then, with the PMU stopped, each of its events on a counter is unthrottled and
     * re-tuned.
     */
    private void adjustFreqUnthrContext(
            GuestPmuPort port, List<Group> pinned, List<Group> flexible, boolean unthrottle) {
        int onPmu = 0;
        int freq = 0;
        for (int pass = 0; pass < 2; pass++) {
            List<Group> groups = pass == 0 ? pinned : flexible;
            if (groups == null) {
                continue;
            }
            for (int i = 0, n = groups.size(); i < n; i++) {
                for (GuestEvent e : groups.get(i).members) {
                    if (e.idx >= 0) {
                        onPmu++;
                        if (e.freq) {
                            freq++;
                        }
                    }
                }
            }
        }
        if (onPmu == 0 || !(freq > 0 || unthrottle)) {
            return;
        }
        armpmuDisable(port);
        for (int pass = 0; pass < 2; pass++) {
            List<Group> groups = pass == 0 ? pinned : flexible;
            if (groups == null) {
                continue;
            }
            for (int i = 0, n = groups.size(); i < n; i++) {
                for (GuestEvent e : groups.get(i).members) {
                    if (e.idx >= 0) {
                        adjustFreqUnthrEvent(port, e);
                    }
                }
            }
        }
        armpmuEnable(port);
    }

    /**
     * One event of {@code perf_adjust_freq_unthr_events}: a throttled event is unthrottled (and
     * started, unless the frequency path below starts it); a frequency event is stopped, its period
     * re-tuned from the events of the last tick, and started again from what is left of its period.
     */
    private void adjustFreqUnthrEvent(GuestPmuPort port, GuestEvent e) {
        if (e.throttled) {
            e.throttled = false;
            e.interrupts = 0;
            if (!e.freq) {
                armpmuStart(port, e);
            }
        }
        if (!e.freq) {
            return;
        }
        armpmuStop(port, e);
        long delta = e.count - e.freqCountStamp;
        e.freqCountStamp = e.count;
        if (delta > 0) {
            adjustPeriod(port, e, tickNsec, delta, false);
        }
        armpmuStart(port, e);
    }

    /**
     * {@code perf_adjust_period}: the period moves an eighth of the way toward the event's
     * {@code sample_freq} at the observed rate; {@code period_left} is reset only when more than
     * eight new periods are left (then, from the interrupt path, with a stop and start around it).
     */
    private void adjustPeriod(GuestPmuPort port, GuestEvent e, long nsec, long count, boolean disable) {
        long period = PerfPeriod.calculatePeriod(e.sampleFreq, nsec, count);
        e.samplePeriod = PerfPeriod.adjustedSamplePeriod(e.samplePeriod, period);
        if (PerfPeriod.resetsPeriodLeft(e.periodLeft, e.samplePeriod)) {
            if (disable) {
                armpmuStop(port, e);
            }
            e.periodLeft = 0;
            if (disable) {
                armpmuStart(port, e);
            }
        }
    }

    /**
     * {@code perf_rotate_context}, with the PMU stopped: the task context's flexible groups off (also
     * when only the CPU context rotates, since CPU flexible outranks them), the CPU context's if it
     * rotates; in each rotating context the first group on the PMU (or the first, if none is) moves
     * to the end; then CPU flexible and task flexible back on greedily. Every event keeps its
     * {@code period_left}.
     */
    private void rotate(GuestPmuPort port) {
        boolean task = taskIn && taskRotate;
        boolean cpu = cpuRotate;
        ctxTime = port.now();
        armpmuDisable(port);
        if (taskIn && (task || cpu)) {
            flexibleSchedOut(port, taskFlexible);
        }
        if (cpu) {
            flexibleSchedOut(port, cpuFlexible);
        }
        if (task) {
            rotateList(taskFlexible);
        }
        if (cpu) {
            rotateList(cpuFlexible);
            cpuRotate = flexibleSchedIn(port, cpuFlexible);
        }
        if (taskIn && (task || cpu)) {
            taskRotate = flexibleSchedIn(port, taskFlexible);
        }
        armpmuEnable(port);
    }

    /** {@code ctx_event_to_rotate} and {@code rotate_ctx}: the first active group, else the first, to the end. */
    private static void rotateList(List<Group> groups) {
        int pick = 0;
        for (int i = 0, n = groups.size(); i < n; i++) {
            if (groups.get(i).active) {
                pick = i;
                break;
            }
        }
        groups.add(groups.remove(pick));
    }

    /**
     * {@code ctx_flexible_sched_in}: groups in list order until the first that does not fit
     * (perf-core-and-costs.md §1.3); returns whether one did not ({@code rotate_necessary}).
     */
    private boolean flexibleSchedIn(GuestPmuPort port, List<Group> groups) {
        for (int i = 0, n = groups.size(); i < n; i++) {
            Group g = groups.get(i);
            if (g.active) {
                continue;
            }
            if (!groupSchedIn(port, g)) {
                return true;
            }
        }
        return false;
    }

    /** {@code __pmu_ctx_sched_out} of the flexible groups: each member off its counter ({@code armpmu_del}). */
    private void flexibleSchedOut(GuestPmuPort port, List<Group> groups) {
        for (int i = 0, n = groups.size(); i < n; i++) {
            groupSchedOut(port, groups.get(i));
        }
    }

    /**
     * {@code group_sched_in}: {@code armpmu_add} of the leader, then each sibling; if one finds no
     * counter, the members already added come off again ({@code group_error}). False when the group
     * did not go on.
     */
    private boolean groupSchedIn(GuestPmuPort port, Group g) {
        if (g.error) {
            return false;
        }
        updateTime(g, ctxTime);
        g.timeActive = true;
        GuestEvent[] m = g.members;
        for (int i = 0; i < m.length; i++) {
            if (!assign(m[i])) {
                for (int j = i - 1; j >= 0; j--) {
                    armpmuStop(port, m[j]);
                    release(m[j]);
                }
                updateTime(g, ctxTime);
                g.timeActive = false;
                return false;
            }
            eventSchedIn(port, m[i]);
        }
        g.active = true;
        return true;
    }

    private void groupSchedOut(GuestPmuPort port, Group g) {
        if (!g.active) {
            return;
        }
        for (GuestEvent e : g.members) {
            armpmuStop(port, e);
            release(e);
        }
        updateTime(g, ctxTime);
        g.timeActive = false;
        g.active = false;
    }

    /**
     * {@code perf_event_task_sched_out}: the workload's task leaves this CPU (it sleeps; the CPU goes
     * idle), so its context comes off the PMU, with the PMU stopped around it.
     */
    @Override
    public void taskSchedOut(GuestPmuPort port) {
        if (!booted || !taskIn) {
            return;
        }
        ctxTime = port.now();
        armpmuDisable(port);
        flexibleSchedOut(port, taskFlexible);
        // The task context's time stops (ctx_sched_out's update_context_time): bring the groups that
        // were already off the PMU up to date, so their enabled time ends here too.
        updateTimes(taskFlexible, ctxTime);
        taskIn = false;
        taskRotate = false;
        armpmuEnable(port);
    }

    /**
     * {@code perf_event_task_sched_in}: the task runs here again; its context's groups go on with
     * the counters the CPU context leaves (its pinned groups would first push CPU flexible off; a
     * tool's groups are never pinned).
     */
    @Override
    public void taskSchedIn(GuestPmuPort port) {
        if (!booted || taskIn || taskFlexible.isEmpty()) {
            return;
        }
        ctxTime = port.now();
        armpmuDisable(port);
        // The task context's time resumes: nothing accrued while the task was away.
        stampAll(taskFlexible, ctxTime);
        taskIn = true;
        taskRotate = flexibleSchedIn(port, taskFlexible);
        armpmuEnable(port);
    }

    /**
     * A context switch of the workload's task while it keeps running here (another task of the
     * guest ran in between, at the rate its profile gives): {@code perf_event_task_sched_out}, then
     * {@code perf_event_task_sched_in}, each with the PMU stopped around it; the task sessions'
     * events come off the PMU and back, each with its {@code period_left}. The CPU context (the
     * watchdog, -a sessions) stays. (A switch between two tasks with clone-equivalent contexts
     * swaps them without touching the PMU, {@code context_equiv}; the measured task is switched
     * against unrelated tasks.)
     */
    @Override
    public void taskSwitch(GuestPmuPort port) {
        if (!booted || !taskIn) {
            return;
        }
        taskSchedOut(port);
        taskSchedIn(port);
    }

    /** The task sessions have events here: they leave and return with the task. */
    @Override
    public boolean followsTask() {
        return !taskFlexible.isEmpty();
    }

    /** Whether the vCPU's task context is on this CPU now. */
    public boolean taskScheduledIn() {
        return taskIn;
    }

    @Override
    public long timerPeriodNs() {
        return intervalNs;
    }

    /**
     * {@code perf stat -I}: at each interval the tool reads every event; the kernel reads each one
     * that is on a counter on the CPU it is on ({@code perf_event_read} → {@code __perf_event_read}
     * → {@code armpmu_read} → {@code armpmu_event_update}): one counter read each, here. An event of
     * a task that is not running, or multiplexed out, is not on a counter and is not read.
     */
    @Override
    public void timer(GuestPmuPort port) {
        if (!booted) {
            return;
        }
        for (int i = 0, n = intervalEvents.size(); i < n; i++) {
            GuestEvent e = intervalEvents.get(i);
            if (e.idx >= 0) {
                update(port, e);
                intervalReads++;
            }
        }
    }

    /**
     * The CPU context has events on every CPU ({@code -a} sessions, the watchdog): the kernel
     * installs them on a CPU with nothing to run too, waking it (an IPI), so such a vCPU boots.
     */
    @Override
    public boolean bootsWithoutTask() {
        return !cpuPinned.isEmpty() || !cpuFlexible.isEmpty();
    }

    /** The interval's reads are of CPU-context events, which stay on the counters of an idle CPU. */
    @Override
    public boolean timerWakesIdleVcpu() {
        for (int i = 0, n = intervalEvents.size(); i < n; i++) {
            if (intervalEvents.get(i).group != null && cpuFlexible.contains(intervalEvents.get(i).group)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code event_sched_in}: a throttled event is unthrottled, since it may have missed ticks
     * while off the PMU; then {@code armpmu_add} starts it.
     */
    private void eventSchedIn(GuestPmuPort port, GuestEvent e) {
        if (e.throttled) {
            e.throttled = false;
            e.interrupts = 0;
        }
        armpmuStart(port, e);
    }

    /** armv8pmu_get_event_idx: CPU_CYCLES on PMCCNTR when free, otherwise the lowest free counter. */
    private boolean assign(GuestEvent e) {
        flushTruth();
        if (e.event == Events.CPU_CYCLES && onCounter[CYCLE_IDX] == null) {
            e.idx = CYCLE_IDX;
            onCounter[CYCLE_IDX] = e;
            onCounterChanged(e);
            return true;
        }
        for (int i = 0; i < nCounters; i++) {
            if (onCounter[i] == null) {
                e.idx = i;
                onCounter[i] = e;
                onCounterChanged(e);
                return true;
            }
        }
        return false;
    }

    private void release(GuestEvent e) {
        flushTruth();
        onCounter[e.idx] = null;
        onCounterMask &= ~(1L << e.idx);
        truthMask &= ~(1L << e.idx);
        e.idx = -1;
    }

    /** Brings onCounterMask and truthMask up to date with {@code e}'s counter (after a change of either). */
    private void onCounterChanged(GuestEvent e) {
        int idx = e.idx;
        if (idx < 0 || onCounter[idx] != e) {
            return;
        }
        long bit = 1L << idx;
        onCounterMask |= bit;
        truthMask = e.hwStopped ? truthMask & ~bit : truthMask | bit;
    }

    private static PmuRegister counterRegister(int idx) {
        return idx == CYCLE_IDX ? PmuRegister.PMCCNTR_EL0 : PmuRegister.PMEVCNTR_EL0;
    }

    /**
     * {@code armpmu_start}: the PMUv3 driver always reprograms the period
     * ({@code armpmu_event_set_period}), then {@code armv8pmu_enable_event} writes the type and
     * enables the interrupt and the counter.
     */
    private void armpmuStart(GuestPmuPort port, GuestEvent e) {
        flushTruth();
        e.hwStopped = false;
        onCounterChanged(e);
        setPeriod(port, e);
        int idx = e.idx;
        if (idx == CYCLE_IDX) {
            port.write(PmuRegister.PMCCFILTR_EL0, 0);
        } else {
            port.write(PmuRegister.PMEVTYPER_EL0, idx, e.event);
        }
        port.write(PmuRegister.PMINTENSET_EL1, 1L << idx);
        port.write(PmuRegister.PMCNTENSET_EL0, 1L << idx);
    }

    /**
     * {@code armpmu_event_set_period}: programs the counter to overflow after what is left of the
     * period (a new period only if this one elapsed), at most half the counter range; on a 64-bit
     * counter with the upper half set so that it overflows with the low 32 bits
     * ({@code armv8pmu_bias_long_counter}). Returns whether a period elapsed.
     */
    private boolean setPeriod(GuestPmuPort port, GuestEvent e) {
        long left = e.periodLeft;
        boolean elapsed = PerfPeriod.periodElapsed(left);
        if (elapsed) {
            left = PerfPeriod.periodLeftAfterSetPeriod(left, e.samplePeriod);
            e.periodLeft = left;
            e.lastPeriod = e.samplePeriod;
        }
        left = PerfPeriod.counterLeft(left, MAX_PERIOD);
        long value = -left & MAX_PERIOD;
        e.prevCount = value;
        port.write(counterRegister(e.idx), e.idx, needsBias(e.idx) ? value | ~MAX_PERIOD : value);
        return elapsed;
    }

    /**
     * {@code armpmu_stop}: if the event is counting, {@code armv8pmu_disable_event} (counter off,
     * interrupt off, its overflow flag cleared: {@code armv8pmu_disable_intens}) and
     * {@code armpmu_event_update}.
     */
    private void armpmuStop(GuestPmuPort port, GuestEvent e) {
        if (e.hwStopped) {
            return;
        }
        long bit = 1L << e.idx;
        port.write(PmuRegister.PMCNTENCLR_EL0, bit);
        port.write(PmuRegister.PMINTENCLR_EL1, bit);
        port.write(PmuRegister.PMOVSCLR_EL0, bit);
        update(port, e);
        e.hwStopped = true;
        onCounterChanged(e);
    }

    /**
     * {@code armpmu_event_update}: read the counter (its low 32 bits: {@code armv8pmu_unbias_long_counter})
     * and add what it counted since the last read to the count, and take it off the period left.
     */
    private void update(GuestPmuPort port, GuestEvent e) {
        long now = port.read(counterRegister(e.idx), e.idx) & MAX_PERIOD;
        long delta = (now - e.prevCount) & MAX_PERIOD;
        e.prevCount = now;
        e.count += delta;
        e.periodLeft -= delta;
        // Compare like with like: what the guest has read against what had happened by then.
        flushTruth();
        e.truthAtRead = e.truth.events();
    }

    /** {@code perf_pmu_disable} → {@code armpmu_disable} → {@code armv8pmu_stop}. */
    private static void armpmuDisable(GuestPmuPort port) {
        armv8pmuStop(port);
    }

    /** {@code perf_pmu_enable} → {@code armpmu_enable}: the PMU is started only if a counter is in use. */
    private void armpmuEnable(GuestPmuPort port) {
        if (onCounterMask != 0) {
            armv8pmuStart(port);
        }
    }

    private static void armv8pmuStop(GuestPmuPort port) {
        long pmcr = port.read(PmuRegister.PMCR_EL0);
        port.write(PmuRegister.PMCR_EL0, pmcr & ~PmcrEl0.E & PmcrEl0.MASK);
    }

    /** {@code armv8pmu_start}: user access off (PMUSERENR_EL0 = 0), then PMCR_EL0.E set. */
    private static void armv8pmuStart(GuestPmuPort port) {
        port.write(PmuRegister.PMUSERENR_EL0, PMUSERENR_NO_USER_ACCESS);
        long pmcr = port.read(PmuRegister.PMCR_EL0);
        port.write(PmuRegister.PMCR_EL0, (pmcr | PmcrEl0.E) & PmcrEl0.MASK);
    }

    /**
     * {@code armpmu_dispatch_irq}: {@code armv8pmu_handle_irq}, timed with the guest's clock, which
     * runs through every trap the handler takes, and the time given to {@code perf_sample_event_took},
     * spurious interrupts included.
     */
    @Override
    public void pmuInterrupt(GuestPmuPort port) {
        if (!booted) {
            return;
        }
        long start = port.now();
        long flags = port.readAndClearOverflows();
        if (flags != 0) {
            handleIrq(port, flags);
        } else {
            spuriousPmis++;
        }
        limitsCpu.sampleEventTook(port.now() - start);
    }

    /**
     * {@code armv8pmu_handle_irq} after the flags were read and cleared: stop the PMU; for each
     * overflowed counter update the count and re-arm the period, and if a period elapsed call
     * {@code perf_event_overflow}; start the PMU.
     */
    private void handleIrq(GuestPmuPort port, long flags) {
        pmis++;
        armv8pmuStop(port);
        for (int idx = 0; idx < 32; idx++) {
            GuestEvent e = onCounter[idx];
            if ((flags & (1L << idx)) == 0 || e == null) {
                continue;
            }
            update(port, e);
            if (!setPeriod(port, e)) {
                continue;
            }
            perfEventOverflow(port, e);
        }
        armv8pmuStart(port);
    }

    /**
     * {@code __perf_event_overflow} for a sampling event: {@code __perf_event_account_interrupt}
     * counts the interrupt in this tick and at {@code max_samples_per_tick} throttles the event's
     * group ({@code perf_event_throttle_group}: {@code pmu->stop} of every member, so their counters
     * are stopped until the next tick or their next sched-in), re-tunes a frequency event from the
     * time since its previous interrupt when that is under two ticks; then the sample is written,
     * throttled or not. Counting events only fold their counts here.
     */
    private void perfEventOverflow(GuestPmuPort port, GuestEvent e) {
        if (!e.sampling) {
            return;
        }
        if (e.interruptsSeq != throttledSeq) {
            e.interruptsSeq = throttledSeq;
            e.interrupts = 1;
        } else {
            e.interrupts++;
        }
        if (limits.throttles(e.interrupts)) {
            throttledCount++;
            for (GuestEvent m : e.group.members) {
                armpmuStop(port, m);
                m.throttled = true;
            }
            throttles++;
            if (e.group.sessionIndex >= 0) {
                throttlesBySession[e.group.sessionIndex]++;
            }
        }
        if (e.freq) {
            long now = port.now();
            long delta = e.freqTimeStamp < 0 ? Long.MAX_VALUE : now - e.freqTimeStamp;
            e.freqTimeStamp = now;
            if (delta > 0 && delta < 2 * tickNsec) {
                adjustPeriod(port, e, delta, e.lastPeriod, true);
            }
        }
        if (e != watchdog) {
            samplesBySession[e.group.sessionIndex]++; // perf_event_output; the watchdog writes no sample
        }
    }

    @Override
    public void accountExecution(ExceptionLevel el, EventRates rates, long ns) {
        // perf's default event counts the guest's user and kernel levels, so every level counts.
        if (ns <= 0) {
            return;
        }
        for (int k = 0; k < PENDING_SLOTS; k++) {
            if (rates == pendingRates[k]) {
                pendingNs[k] += ns;
                return;
            }
        }
        // New rates: the pending time goes to the truth, and the rates take the first slot.
        flushTruth();
        System.arraycopy(pendingRates, 0, pendingRates, 1, PENDING_SLOTS - 1);
        pendingRates[0] = rates;
        pendingNs[0] = ns;
    }

    /**
     * Adds the pending execution to the ground truth of every event counting on a counter, each
     * slot's (ns x rate) piece in turn: one pass over the events, however many slots are pending.
     */
    private void flushTruth() {
        long pending = 0;
        for (long ns : pendingNs) {
            pending |= ns;
        }
        if (pending == 0) {
            return;
        }
        for (long m = truthMask; m != 0; m &= m - 1) {
            GuestEvent e = onCounter[Long.numberOfTrailingZeros(m)];
            for (int k = 0; k < PENDING_SLOTS; k++) {
                if (pendingNs[k] != 0) {
                    e.truth.add(pendingNs[k], pendingRates[k].rateQ32(e.event));
                }
            }
        }
        Arrays.fill(pendingNs, 0);
    }

    /**
     * {@code perf_event_update_time} of one group: time_enabled grows while the event is enabled
     * and its context is scheduled in (state INACTIVE or ACTIVE: a CPU context always, the task's
     * while its task runs here), time_running only while it is on the PMU (ACTIVE). A pinned group
     * in ERROR accrues neither. No allocation: called at every sched in and out.
     */
    private void updateTime(Group g, long now) {
        long delta = now - g.tstamp;
        if (delta > 0) {
            if (!g.error && contextIn(g)) {
                g.timeEnabled += delta;
                if (g.timeActive) {
                    g.timeRunning += delta;
                }
            }
            g.tstamp = now;
        }
    }

    private void updateTimes(List<Group> groups, long now) {
        for (int i = 0, n = groups.size(); i < n; i++) {
            updateTime(groups.get(i), now);
        }
    }

    private static void stampAll(List<Group> groups, long now) {
        for (int i = 0, n = groups.size(); i < n; i++) {
            groups.get(i).tstamp = now;
        }
    }

    /** Whether the group's context is scheduled in: the CPU context once booted, the task's while its task runs. */
    private boolean contextIn(Group g) {
        return booted && (g.session == null || g.session.scope() == GuestPerfSession.Scope.SYSTEM || taskIn);
    }

    /**
     * Each tool event's {@code total_time_enabled} and {@code total_time_running} at {@code now},
     * as {@code perf_event_read_value} gives them to perf stat (which prints running / enabled as
     * the percentage after a multiplexed count), in session order; the watchdog is not a tool's.
     */
    @Override
    public List<PerfEventTimes> perfEventTimes(long now) {
        List<PerfEventTimes> out = new ArrayList<>();
        for (GuestEvent e : toolEvents) {
            Group g = e.group;
            long enabled = g.timeEnabled;
            long running = g.timeRunning;
            long delta = now - g.tstamp;
            if (delta > 0 && !g.error && contextIn(g)) {
                enabled += delta;
                if (g.timeActive) {
                    running += delta;
                }
            }
            out.add(new PerfEventTimes(sessionIndex(g.session), e.event, enabled, running));
        }
        return out;
    }

    /** By identity: two sessions with the same options are still two perf processes. */
    private int sessionIndex(GuestPerfSession s) {
        for (int i = 0; i < sessions.size(); i++) {
            if (sessions.get(i) == s) {
                return i;
            }
        }
        throw new IllegalStateException("an event of no session");
    }

    @Override
    public List<Accuracy> accuracy() {
        flushTruth();
        List<Accuracy> out = new ArrayList<>();
        for (GuestEvent e : toolEvents) {
            long truth = e.truthAtRead;
            if (truth > 0) {
                out.add(new Accuracy(e.event, truth, e.count));
            }
        }
        return out;
    }

    /** Events on counters now (for tests and debugging). */
    public int eventsOnCounters() {
        int c = 0;
        for (GuestEvent e : onCounter) {
            if (e != null) {
                c++;
            }
        }
        return c;
    }

    /** Which counters hold an event now: bit n for PMEVCNTR<n>, bit 31 for PMCCNTR. */
    public long countersInUse() {
        long mask = 0;
        for (int i = 0; i < onCounter.length; i++) {
            if (onCounter[i] != null) {
                mask |= 1L << i;
            }
        }
        return mask;
    }

    /** Whether a context multiplexes (a flexible group waits for a counter). */
    public boolean multiplexing() {
        return cpuRotate || (taskIn && taskRotate);
    }

    /** The current sample period of a tool event (the first opened with that number), for tests. */
    public long currentPeriod(int event) {
        return find(event).samplePeriod;
    }

    /** The period left of a tool event ({@code hw_perf_event.period_left}), for tests. */
    public long periodLeft(int event) {
        return find(event).periodLeft;
    }

    /** Whether a tool event is throttled now. */
    public boolean throttled(int event) {
        return find(event).throttled;
    }

    /** The frequency the first perf record asked for with -F; 0 without one, or for -c. */
    public long requestedFrequency() {
        return requestedFreq;
    }

    /** That perf record's frequency as opened: -F, lowered to perf_event_max_sample_rate if above it. */
    public long sampleFrequency() {
        return sampleFreq;
    }

    /** The watchdog's sample period in cycles; 0 without one. */
    public long watchdogSamplePeriod() {
        return watchdog == null ? 0 : watchdog.samplePeriod;
    }

    /** PMU interrupts the driver handled (spurious ones left out). */
    public long pmis() {
        return pmis;
    }

    /** PMU interrupts the driver found no overflow in ({@code armv8pmu_handle_irq} returned IRQ_NONE). */
    public long spuriousPmis() {
        return spuriousPmis;
    }

    /**
     * What this vCPU's guest kernel counted, as its /proc/interrupts, perf report and sysctl show it:
     * every PMU interrupt its handler took (spurious ones included, as {@code handle_percpu_devid_irq}
     * counts an interrupt before the handler looks at it), the samples written, the throttles, and
     * the kernel's {@code perf_event_max_sample_rate} now.
     */
    @Override
    public Optional<LinuxPerfCounts> linuxPerfCounts() {
        return Optional.of(new LinuxPerfCounts(pmis + spuriousPmis, samples(), throttles, limits.maxSampleRate()));
    }

    @Override
    public List<SessionCounts> perfSessionCounts() {
        List<SessionCounts> out = new ArrayList<>(sessions.size());
        for (int i = 0; i < sessions.size(); i++) {
            out.add(new SessionCounts(i, samplesBySession[i], throttlesBySession[i]));
        }
        return out;
    }

    /** Samples the perf record sessions got: periods that elapsed on their events (not the watchdog's). */
    public long samples() {
        long samples = 0;
        for (long s : samplesBySession) {
            samples += s;
        }
        return samples;
    }

    /** Times an event's group was throttled. */
    public long throttles() {
        return throttles;
    }

    /** Counter reads perf stat -I made here. */
    public long intervalReads() {
        return intervalReads;
    }

    private GuestEvent find(int event) {
        for (GuestEvent e : toolEvents) {
            if (e.event == event) {
                return e;
            }
        }
        throw new IllegalArgumentException("no event 0x" + Integer.toHexString(event));
    }
}
