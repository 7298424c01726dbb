package dev.pmulab.sim.guest;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevcntrEl0;
import java.util.ArrayList;
import java.util.List;

/**
 * A Linux guest running {@code perf stat} or {@code perf record} (and optionally the hard-lockup
 * NMI watchdog) on its vCPU, through the arm_pmuv3 driver. The register sequences are the
 * driver's: {@code armv8pmu_reset} at probe; for an event going on a counter
 * {@code armpmu_event_set_period} (the counter write) then {@code armv8pmu_enable_event} (type,
 * interrupt enable, counter enable); for one leaving, disable counter and interrupt, then read;
 * {@code armv8pmu_start/stop} as read-modify-writes of PMCR_EL0. The guest's own perf core
 * schedules its events the way the host's does (pinned first; flexible groups greedy in list
 * order, stopping at the first that does not fit; CPU_CYCLES on PMCCNTR when free) and rotates the
 * flexible list on every tick when it multiplexes. In record mode (frequency mode) every tick
 * re-tunes each event's period as {@code perf_adjust_freq_unthr_events} does. The overflow handler
 * is {@code armv8pmu_handle_irq}.
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
    /** Watchdog period: watchdog_thresh (10 s) at the guest's CPU frequency (perf-core-and-costs.md §6). */
    private static final long WATCHDOG_THRESH_NS = 10_000_000_000L;

    private final Mode mode;
    private final int hz;
    private final long sampleFreq;
    private final boolean longCounters;
    private final long cpuHz;
    private final List<GuestEvent> flexible = new ArrayList<>();
    private final GuestEvent watchdog;
    private final GuestEvent[] onCounter = new GuestEvent[32];
    private int nCounters;
    private boolean multiplexing;
    private boolean booted;
    /**
     * Execution not yet added to the ground truth of the events on counters, per rates: every guest
     * access accounts a few ns, and the truth is an exact sum of (ns x rate) pieces, so the order
     * and grouping of the pieces do not change it. Time at the same rates is summed, in two slots
     * because a guest alternates between its user and kernel rates (at every interrupt), and added
     * once, before the events on counters change or a truth is read.
     */
    private EventRates pendingRates;
    private long pendingNs;
    private EventRates pendingRates2;
    private long pendingNs2;

    /** One perf event of the guest. */
    private static final class GuestEvent {
        final int event;
        final boolean sampling;
        final boolean pinned;
        int idx = -1;
        long period;
        long prev; // counter value at the last set_period or update
        long measured; // events the driver accumulated while on a counter
        final GroundTruth truth = new GroundTruth();
        long countSinceTick; // events accumulated since the last frequency adjustment
        long truthAtRead; // ground truth when the driver last read the counter

        GuestEvent(int event, boolean sampling, boolean pinned, long period) {
            this.event = event;
            this.sampling = sampling;
            this.pinned = pinned;
            this.period = period;
        }
    }

    /**
     * @param mode what the guest tool does
     * @param events PMUv3 event numbers the tool opens, in its order (one event per group)
     * @param sampleFreq samples per second per event in record mode
     * @param hz the guest kernel's tick frequency
     * @param longCounters the guest's PMU has 64-bit event counters (PMUv3p5): the driver sets LP
     * @param watchdog the hard-lockup NMI watchdog is on (one pinned CPU_CYCLES event)
     * @param cpuHz the CPU frequency the watchdog period is computed from
     */
    public LinuxGuestPerf(Mode mode, int[] events, long sampleFreq, int hz, boolean longCounters, boolean watchdog,
            long cpuHz) {
        this.mode = requireNonNull(mode, "mode is null");
        requireNonNull(events, "events is null");
        if (hz <= 0) {
            throw new IllegalArgumentException("hz must be positive");
        }
        if (mode == Mode.RECORD && sampleFreq <= 0) {
            throw new IllegalArgumentException("perf record needs a sampling frequency");
        }
        this.hz = hz;
        this.sampleFreq = sampleFreq;
        this.longCounters = longCounters;
        this.cpuHz = cpuHz;
        if (mode != Mode.NONE) {
            for (int e : events) {
                // A first period of one tick's worth at an assumed 1 GHz, re-tuned from the first tick on.
                long initial = mode == Mode.RECORD ? Math.max(1, 1_000_000_000L / sampleFreq) : 0;
                flexible.add(new GuestEvent(e, mode == Mode.RECORD, false, initial));
            }
        }
        this.watchdog = watchdog
                ? new GuestEvent(Events.CPU_CYCLES, true, true, cpuHz * (WATCHDOG_THRESH_NS / 1_000_000_000L)) : null;
    }

    @Override
    public int hz() {
        return hz;
    }

    private long counterMask(int idx) {
        return idx == CYCLE_IDX || longCounters ? -1L : PmevcntrEl0.LOW32;
    }

    /** What {@code armpmu_event_set_period} writes: minus the period, or half the range when counting. */
    private long periodFor(GuestEvent e) {
        if (e.sampling) {
            return e.period;
        }
        long max = counterMask(e.idx);
        return (max >>> 1) + 1;
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
        pmuEnable(port);
    }

    @Override
    public void tick(GuestPmuPort port) {
        if (!booted) {
            return;
        }
        if (mode == Mode.RECORD) {
            adjustFrequency(port);
        }
        if (multiplexing) {
            rotate(port);
        }
    }

    /** perf_adjust_freq_unthr_events: stop with update, re-tune the period, restart (reloading if it moved). */
    private void adjustFrequency(GuestPmuPort port) {
        pmuDisable(port);
        for (GuestEvent e : flexible) {
            if (e.idx < 0 || !e.sampling) {
                continue;
            }
            stop(port, e);
            long perSecond = e.countSinceTick * hz;
            e.countSinceTick = 0;
            long target = Math.max(1, perSecond / sampleFreq);
            // perf_adjust_period low-pass filters the new period (an eighth of the error per tick).
            long delta = (target - e.period) / 8;
            boolean reload = delta != 0;
            e.period += delta;
            start(port, e, reload);
        }
        pmuEnable(port);
    }

    /** perf_rotate_context: all flexible events off, the first moved to the end, back on greedily. */
    private void rotate(GuestPmuPort port) {
        pmuDisable(port);
        for (GuestEvent e : flexible) {
            if (e.idx >= 0) {
                stop(port, e);
                release(e);
            }
        }
        flexible.add(flexible.remove(0));
        schedIn(port, false);
        pmuEnable(port);
    }

    /** ctx_sched_in: the pinned watchdog first (at boot), then flexible events in list order. */
    private void schedIn(GuestPmuPort port, boolean boot) {
        if (boot && watchdog != null) {
            if (assign(watchdog)) {
                start(port, watchdog, true);
            }
        }
        multiplexing = false;
        for (GuestEvent e : flexible) {
            if (!assign(e)) {
                // Flexible scheduling stops at the first event that does not fit (perf-core-and-costs.md §1.3).
                multiplexing = true;
                break;
            }
            start(port, e, true);
        }
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
     * armpmu_start: armpmu_event_set_period always writes the counter (a fresh period when
     * reloading, else what is left of the current one), then armv8pmu_enable_event writes the type
     * and enables the interrupt and the counter.
     */
    private void start(GuestPmuPort port, GuestEvent e, boolean reload) {
        int idx = e.idx;
        long value = reload ? -periodFor(e) & counterMask(idx) : e.prev;
        port.write(counterRegister(idx), idx, value);
        e.prev = value;
        if (idx == CYCLE_IDX) {
            port.write(PmuRegister.PMCCFILTR_EL0, 0);
        } else {
            port.write(PmuRegister.PMEVTYPER_EL0, idx, e.event);
        }
        port.write(PmuRegister.PMINTENSET_EL1, 1L << idx);
        port.write(PmuRegister.PMCNTENSET_EL0, 1L << idx);
    }

    /** armpmu_stop with update: disable counter and interrupt, then read and accumulate. */
    private void stop(GuestPmuPort port, GuestEvent e) {
        port.write(PmuRegister.PMCNTENCLR_EL0, 1L << e.idx);
        port.write(PmuRegister.PMINTENCLR_EL1, 1L << e.idx);
        update(port, e);
    }

    /** armpmu_event_update: read the counter and add what it counted since the last read. */
    private void update(GuestPmuPort port, GuestEvent e) {
        long now = port.read(counterRegister(e.idx), e.idx);
        long delta = (now - e.prev) & counterMask(e.idx);
        e.prev = now;
        e.measured += delta;
        e.countSinceTick += delta;
        // Compare like with like: what the guest has read against what had happened by then.
        flushTruth();
        e.truthAtRead = e.truth.events();
    }

    private static void pmuDisable(GuestPmuPort port) {
        long pmcr = port.read(PmuRegister.PMCR_EL0);
        port.write(PmuRegister.PMCR_EL0, pmcr & ~PmcrEl0.E & PmcrEl0.MASK);
    }

    private static void pmuEnable(GuestPmuPort port) {
        long pmcr = port.read(PmuRegister.PMCR_EL0);
        port.write(PmuRegister.PMCR_EL0, (pmcr | PmcrEl0.E) & PmcrEl0.MASK);
    }

    /** armv8pmu_handle_irq: read and clear the flags, stop, update and re-arm each overflowed counter, start. */
    @Override
    public void pmuInterrupt(GuestPmuPort port) {
        if (!booted) {
            return;
        }
        long flags = port.readAndClearOverflows();
        if (flags == 0) {
            return; // spurious: the level dropped before the handler ran
        }
        pmuDisable(port);
        for (int idx = 0; idx < 32; idx++) {
            GuestEvent e = onCounter[idx];
            if ((flags & (1L << idx)) == 0 || e == null) {
                continue;
            }
            update(port, e);
            long value = -periodFor(e) & counterMask(idx);
            port.write(counterRegister(idx), idx, value);
            e.prev = value;
        }
        pmuEnable(port);
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

    /** Adds the pending execution to the ground truth of every event on a counter. */
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
            if (e != null) {
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
                out.add(new Accuracy(e.event, truth, e.measured));
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

    /** The current period of the first sampling event (frequency mode), for tests. */
    public long currentPeriod(int event) {
        for (GuestEvent e : flexible) {
            if (e.event == event) {
                return e.period;
            }
        }
        throw new IllegalArgumentException("no event 0x" + Integer.toHexString(event));
    }
}
