package dev.pmulab.sim.guest;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.kvm.perf.PerfPeriod;
import dev.pmulab.kvm.perf.PerfSampleLimits;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevcntrEl0;
import java.util.ArrayList;
import java.util.List;

/**
 * A Linux guest running {@code perf stat} or {@code perf record} (and optionally the hard-lockup
 * NMI watchdog) on its vCPU, through the arm_pmuv3 driver. The guest's perf core lives here and
 * issues the driver's register accesses through the vPMU port, in the driver's order:
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
 * Its perf core schedules events as the host's does (pinned first; flexible groups greedy in list
 * order, stopping at the first that does not fit; CPU_CYCLES on PMCCNTR when free), rotates the
 * flexible list at every tick when it multiplexes, and keeps each event's {@code period_left}
 * across every stop and start ({@link PerfPeriod}). At every tick {@code perf_event_task_tick}
 * unthrottles and re-tunes frequency-mode events ({@code perf_adjust_freq_unthr_events}). The
 * overflow handler is {@code armv8pmu_handle_irq}, timed in guest time for
 * {@code perf_sample_event_took}; an event whose interrupts in one tick reach
 * {@code max_samples_per_tick} is throttled ({@code __perf_event_account_interrupt}). The sampling
 * limits are the guest kernel's, shared by its vCPUs ({@link PerfSampleLimits}).
 */
public final class LinuxGuestPerf implements GuestPmuModel {
    /** How the guest tool uses its events. */
    public enum Mode {
        /** {@code perf stat}: counting; the driver still arms each counter at half its range. */
        STAT,
        /** {@code perf record -F freq}: sampling in frequency mode. */
        RECORD,
        /** No tool: only the NMI watchdog, if enabled. */
        NONE
    }

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
    /** Watchdog period: watchdog_thresh (10 s) at the guest's CPU frequency (perf-core-and-costs.md §6). */
    private static final long WATCHDOG_THRESH_NS = 10_000_000_000L;

    private final Mode mode;
    private final int hz;
    private final long tickNsec;
    private final long requestedFreq;
    private final long sampleFreq;
    private final boolean longCounters;
    private final PerfSampleLimits limits;
    private final PerfSampleLimits.Cpu limitsCpu;
    private final List<GuestEvent> flexible = new ArrayList<>();
    private final GuestEvent watchdog;
    private final GuestEvent[] onCounter = new GuestEvent[32];
    private int nCounters;
    private boolean multiplexing;
    private boolean booted;
    /** {@code perf_throttled_seq}: this CPU's tick count, which starts each event's interrupt count afresh. */
    private long throttledSeq;
    /** {@code perf_throttled_count}: events throttled on this CPU since the last tick. */
    private int throttledCount;
    private long pmis;
    private long samples;
    private long throttles;
    /**
     * Execution not yet added to the ground truth of the events counting, per rates: every guest
     * access accounts a few ns, and the truth is an exact sum of (ns x rate) pieces, so the order
     * and grouping of the pieces do not change it. Time at the same rates is summed, in two slots
     * because a guest alternates between its user and kernel rates (at every interrupt), and added
     * once, before the events counting change or a truth is read.
     */
    private EventRates pendingRates;
    private long pendingNs;
    private EventRates pendingRates2;
    private long pendingNs2;

    /** One perf event of the guest: {@code perf_event} with its {@code hw_perf_event}. */
    private static final class GuestEvent {
        final int event;
        final boolean sampling;
        /** {@code is_event_in_freq_mode}. */
        final boolean freq;
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

        GuestEvent(int event, boolean sampling, boolean freq, long samplePeriod) {
            this.event = event;
            this.sampling = sampling;
            this.freq = freq;
            this.samplePeriod = samplePeriod;
            this.lastPeriod = samplePeriod;
            this.periodLeft = samplePeriod;
        }
    }

    /**
     * @param mode what the guest tool does
     * @param events PMUv3 event numbers the tool opens, in its order (one event per group)
     * @param sampleFreq {@code perf record -F}: samples per second per event in record mode; perf
     *     lowers it to the guest kernel's {@code perf_event_max_sample_rate} at open
     * @param hz the guest kernel's tick frequency
     * @param longCounters the guest's PMU has 64-bit event counters (PMUv3p5): the driver sets LP
     * @param watchdog the hard-lockup NMI watchdog is on (one pinned CPU_CYCLES event)
     * @param cpuHz the CPU frequency the watchdog period is computed from
     * @param limits the guest kernel's sampling limits, shared by all its vCPUs
     */
    public LinuxGuestPerf(Mode mode, int[] events, long sampleFreq, int hz, boolean longCounters, boolean watchdog,
            long cpuHz, PerfSampleLimits limits) {
        this.mode = requireNonNull(mode, "mode is null");
        requireNonNull(events, "events is null");
        this.limits = requireNonNull(limits, "limits is null");
        if (hz <= 0) {
            throw new IllegalArgumentException("hz must be positive");
        }
        if (mode == Mode.RECORD && sampleFreq <= 0) {
            throw new IllegalArgumentException("perf record needs a sampling frequency");
        }
        this.hz = hz;
        this.tickNsec = PerfPeriod.tickNsec(hz);
        this.requestedFreq = sampleFreq;
        // record_opts__config_freq (tools/perf/util/record.c): a -F above the current
        // perf_event_max_sample_rate is lowered to it, with a warning, unless --strict-freq.
        this.sampleFreq = mode == Mode.RECORD ? Math.min(sampleFreq, limits.maxSampleRate()) : 0;
        this.longCounters = longCounters;
        this.limitsCpu = limits.newCpu();
        if (mode != Mode.NONE) {
            for (int e : events) {
                if (mode == Mode.RECORD) {
                    // The kernel starts a frequency-mode event at a period of 1 and ramps it up at
                    // its first interrupts; the model starts at one sample's worth at an assumed
                    // 1 GHz and lets the ticks re-tune it.
                    flexible.add(new GuestEvent(e, true, true, Math.max(1, 1_000_000_000L / this.sampleFreq)));
                } else {
                    // __hw_perf_event_init: a counting event interrupts at half the counter range.
                    flexible.add(new GuestEvent(e, false, false, MAX_PERIOD >>> 1));
                }
            }
        }
        // hw_nmi_get_sample_period: watchdog_thresh seconds of cycles, a fixed period.
        this.watchdog = watchdog
                ? new GuestEvent(Events.CPU_CYCLES, true, false, cpuHz * (WATCHDOG_THRESH_NS / 1_000_000_000L))
                : null;
    }

    @Override
    public int hz() {
        return hz;
    }

    /** 64-bit counter under a 32-bit event: PMCCNTR (PMCR.LC) or any counter with PMCR.LP. */
    private boolean needsBias(int idx) {
        return idx == CYCLE_IDX || longCounters;
    }

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
        booted = true;
        schedIn(port, true);
        armpmuEnable(port);
    }

    /**
     * The guest's timer tick: {@code perf_event_task_tick} (a new throttle sequence; the CPU
     * context, where the watchdog lives, only when something was throttled; the tool's context when
     * it has frequency events or something was throttled), then the multiplexing rotation.
     */
    @Override
    public void tick(GuestPmuPort port) {
        if (!booted) {
            return;
        }
        throttledSeq++;
        boolean unthrottle = throttledCount != 0;
        throttledCount = 0;
        if (watchdog != null && watchdog.idx >= 0 && unthrottle) {
            armpmuDisable(port);
            adjustFreqUnthrEvent(port, watchdog);
            armpmuEnable(port);
        }
        if (!flexible.isEmpty() && (activeFreqEvents() > 0 || unthrottle)) {
            armpmuDisable(port);
            for (int i = 0, n = flexible.size(); i < n; i++) {
                GuestEvent e = flexible.get(i);
                if (e.idx >= 0) {
                    adjustFreqUnthrEvent(port, e);
                }
            }
            armpmuEnable(port);
        }
        if (multiplexing) {
            rotate(port);
        }
    }

    /** {@code ctx->nr_freq}: frequency-mode events scheduled in. */
    private int activeFreqEvents() {
        int n = 0;
        for (int i = 0, size = flexible.size(); i < size; i++) {
            GuestEvent e = flexible.get(i);
            if (e.idx >= 0 && e.freq) {
                n++;
            }
        }
        return n;
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
     * {@code perf_adjust_period}: the period moves an eighth of the way toward {@code sample_freq}
     * at the observed rate; {@code period_left} is reset only when more than eight new periods are
     * left (then, from the interrupt path, with a stop and start around it).
     */
    private void adjustPeriod(GuestPmuPort port, GuestEvent e, long nsec, long count, boolean disable) {
        long period = PerfPeriod.calculatePeriod(sampleFreq, nsec, count);
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
     * {@code perf_rotate_context}: every active flexible event off ({@code armpmu_del}), the first
     * moved to the end, back on greedily ({@code armpmu_add}); each keeps its {@code period_left}.
     */
    private void rotate(GuestPmuPort port) {
        armpmuDisable(port);
        for (int i = 0, n = flexible.size(); i < n; i++) {
            GuestEvent e = flexible.get(i);
            if (e.idx >= 0) {
                armpmuStop(port, e);
                release(e);
            }
        }
        flexible.add(flexible.remove(0));
        schedIn(port, false);
        armpmuEnable(port);
    }

    /**
     * A context switch of the measured task, whose tool events are task-bound (perf stat and perf
     * record of a command, inherited by its children): {@code perf_event_task_sched_out} →
     * {@code perf_event_context_sched_out} → {@code ctx_sched_out} takes every active event off
     * ({@code armpmu_del}: stopped, read, counter freed) between {@code perf_pmu_disable} and
     * {@code perf_pmu_enable}; when the task comes back, {@code perf_event_task_sched_in} →
     * {@code ctx_sched_in} puts them back greedily ({@code armpmu_add}, each with its
     * {@code period_left}) under another disable/enable pair. The watchdog is a CPU event and stays.
     * (A switch between two tasks with clone-equivalent contexts swaps them without touching the
     * PMU, {@code context_equiv}; the measured task is switched against unrelated tasks.)
     */
    @Override
    public void taskSwitch(GuestPmuPort port) {
        if (mode == Mode.NONE || flexible.isEmpty()) {
            return;
        }
        armpmuDisable(port);
        for (int i = 0, n = flexible.size(); i < n; i++) {
            GuestEvent e = flexible.get(i);
            if (e.idx >= 0) {
                armpmuStop(port, e);
                release(e);
            }
        }
        armpmuEnable(port);
        armpmuDisable(port);
        schedIn(port, false);
        armpmuEnable(port);
    }

    /** ctx_sched_in: the pinned watchdog first (at boot), then flexible events in list order. */
    private void schedIn(GuestPmuPort port, boolean boot) {
        if (boot && watchdog != null) {
            if (assign(watchdog)) {
                eventSchedIn(port, watchdog);
            }
        }
        multiplexing = false;
        for (int i = 0, n = flexible.size(); i < n; i++) {
            GuestEvent e = flexible.get(i);
            if (!assign(e)) {
                // Flexible scheduling stops at the first event that does not fit (perf-core-and-costs.md §1.3).
                multiplexing = true;
                break;
            }
            eventSchedIn(port, e);
        }
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
            return true;
        }
        for (int i = 0; i < nCounters; i++) {
            if (onCounter[i] == null) {
                e.idx = i;
                onCounter[i] = e;
                return true;
            }
        }
        return false;
    }

    private void release(GuestEvent e) {
        flushTruth();
        onCounter[e.idx] = null;
        e.idx = -1;
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
        for (GuestEvent e : onCounter) {
            if (e != null) {
                armv8pmuStart(port);
                return;
            }
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
     * counts the interrupt in this tick and throttles the event at {@code max_samples_per_tick}
     * ({@code perf_event_throttle_group}: {@code pmu->stop}, so its counter is stopped until the
     * next tick or its next sched-in), re-tunes a frequency event from the time since its previous
     * interrupt when that is under two ticks; then the sample is written, throttled or not.
     * Counting events only fold their counts here.
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
            armpmuStop(port, e);
            e.throttled = true;
            throttles++;
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
            samples++; // perf_event_output; the watchdog's handler writes no sample
        }
    }

    @Override
    public void accountExecution(ExceptionLevel el, EventRates rates, long ns) {
        // perf's default event counts the guest's user and kernel levels, so every level counts.
        if (ns <= 0) {
            return;
        }
        if (rates == pendingRates) {
            pendingNs += ns;
        } else if (rates == pendingRates2) {
            pendingNs2 += ns;
        } else {
            flushTruth();
            pendingRates2 = pendingRates;
            pendingRates = rates;
            pendingNs = ns;
        }
    }

    /** Adds the pending execution to the ground truth of every event counting on a counter. */
    private void flushTruth() {
        if (pendingNs != 0) {
            addTruth(pendingNs, pendingRates);
            pendingNs = 0;
        }
        if (pendingNs2 != 0) {
            addTruth(pendingNs2, pendingRates2);
            pendingNs2 = 0;
        }
    }

    private void addTruth(long ns, EventRates rates) {
        for (GuestEvent e : onCounter) {
            if (e != null && !e.hwStopped) {
                e.truth.add(ns, rates.rateQ32(e.event));
            }
        }
    }

    @Override
    public List<Accuracy> accuracy() {
        flushTruth();
        List<Accuracy> out = new ArrayList<>();
        for (GuestEvent e : flexible) {
            long truth = e.truthAtRead;
            if (truth > 0) {
                out.add(new Accuracy(e.event, truth, e.count));
            }
        }
        return out;
    }

    /** Events the guest tool has on counters now (for tests and debugging). */
    public int eventsOnCounters() {
        int c = 0;
        for (GuestEvent e : onCounter) {
            if (e != null) {
                c++;
            }
        }
        return c;
    }

    /** Whether the guest multiplexes (more events than counters). */
    public boolean multiplexing() {
        return multiplexing;
    }

    /** The current sample period of a tool event, for tests. */
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

    /** The frequency perf record asked for with -F. */
    public long requestedFrequency() {
        return requestedFreq;
    }

    /** The frequency the events were opened with: -F, lowered to perf_event_max_sample_rate if above it. */
    public long sampleFrequency() {
        return sampleFreq;
    }

    /** PMU interrupts the driver handled (spurious ones left out). */
    public long pmis() {
        return pmis;
    }

    /** Samples perf record got: periods that elapsed on its events (the watchdog's are not samples). */
    public long samples() {
        return samples;
    }

    /** Times an event was throttled. */
    public long throttles() {
        return throttles;
    }

    private GuestEvent find(int event) {
        for (GuestEvent e : flexible) {
            if (e.event == event) {
                return e;
            }
        }
        throw new IllegalArgumentException("no event 0x" + Integer.toHexString(event));
    }
}
