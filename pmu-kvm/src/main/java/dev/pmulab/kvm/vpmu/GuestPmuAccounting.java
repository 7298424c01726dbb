package dev.pmulab.kvm.vpmu;

import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.hw.ExceptionLevel;
import dev.pmulab.hw.Pe;
import dev.pmulab.kvm.perf.PerfEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One vCPU's counter time while loaded, for the guest coverage, "silently stopped" and filter-leak
 * metrics. KVM sees every guest access, load and put, so it brings the accounts up to date at each
 * ({@link #settle}, before anything changes) and re-reads the guest's state after ({@link #refresh});
 * what the host does in between (a perf resched that puts a guest event in ERROR) shows at the next
 * settle, and its time exactly through the event's time_running. Allocates nothing.
 */
final class GuestPmuAccounting {
    private static final int NR = PmuEmul.NR_PMCS;

    private final VcpuPmu v;
    private final long[] enabledNs = new long[NR];
    private final long[] countedNs = new long[NR];
    private final long[] deniedNs = new long[NR];
    private final long[] episodes = new long[NR];
    /** Emulated: the event whose time_running {@link #runningBase} holds. */
    private final PerfEvent[] runningEvent = new PerfEvent[NR];

    private final long[] runningBase = new long[NR];
    /** Denied counters: the value at the last refresh; a settle that finds another one found a leak. */
    private final long[] leakBase = new long[NR];
    /** The denied event a counter already leaked with (-1: none), so each pair counts once. */
    private final int[] leakedEvent = new int[NR];

    private long enabledMask;
    private long countingMask;
    private long deniedMask;
    private long everEnabled;
    private long lastSettle;
    /**
     * Direct mode with no denied counter: a settle before an access only adds the time since the
     * last one to each enabled (and counting) counter under masks that only {@link #refresh} changes,
     * so it waits until a refresh changes them or a put, mode change or end of window settles;
     * the sum of the waiting intervals is the interval. Emulated mode with no denied counter, before
     * an access that leaves the guest's enables, event types and perf events alone
     * (PmuEmul.leavesAccountsAlone: the PMI handler's PMOVSCLR and PMCR reads, counter reads): the
     * counted time of a counter is also a difference of time_running of one and the same event,
     * which adds up over the waiting intervals, so it waits too, until any other access, a put, a
     * mode change or the end of the window settles (no PE with BRBE, where perf reads the counter
     * at each time_running). {@link #deferSettle} false: every access settles (for tests).
     */
    private boolean settlePending;
    /** The access time a waiting settle is up to ({@link #counters} adds it). */
    private long pendingUntil;

    private boolean deferSettle = true;
    private long filterLeaks;
    /**
     * What a direct-mode refresh read, to skip the next one when none of it changed: the PE's
     * configuration (its configuration writes and Exception level; refresh reads no hardware
     * counter or flag but a denied counter's), the vCPU's register writes, the enable intent, HPMN
     * and whether the registers are loaded. The VM's event filter is fixed once a vCPU has run
     * (KVM refuses a new one with EBUSY).
     */
    private Pe seenPe;

    private long seenPeConfigWrites;
    private ExceptionLevel seenLevel; // the PE's access masks depend on it
    private long seenRegsWrites;
    private long seenIntent;
    private int seenHpmn;
    private boolean seenRestored;
    private boolean seenValid;
    /**
     * What an emulated-mode refresh read, to skip the next one when none of it changed: the vCPU's
     * writes of PMCR_EL0, the enables and the event types, and N (KVM creates and releases perf
     * events only at such a write, a counter write, a load or a mode change: a counter write's
     * release and create of an enabled event move the context generation, and the last two make
     * it invalid) and which of the
     * events are on a counter (the vCPU thread's perf context generation, which every perf
     * operation that may move one changes). {@link #deferSettle} false: never skipped (for tests).
     */
    private boolean seenEmulatedValid;

    private long seenEmulatedRegsWrites;
    private int seenN;
    private long seenContextGeneration;

    GuestPmuAccounting(VcpuPmu v) {
        this.v = v;
        Arrays.fill(leakedEvent, -1);
    }

    /**
     * At vcpu_load: time counts from now, and a counter that counted at the last put but does not
     * now (the vCPU is on a CPU of a PMU type that does not back it) starts a stopped episode.
     */
    void load(long now) {
        lastSettle = now;
        settlePending = false;
        seenEmulatedValid = false;
        if (v.mode == GuestAccessMode.EMULATED) {
            for (int i = 0; i < NR; i++) {
                long running = v.emul.timeRunning(i, now);
                runningEvent[i] = v.emul.event(i);
                runningBase[i] = Math.max(0, running);
            }
        }
        refresh(now);
    }

    /**
     * The settle before a guest access: deferred where it only adds time (see {@link #settlePending}),
     * else {@link #settle}. {@code emulatedMayWait}: an emulated access that leaves what a settle
     * reads alone.
     */
    void settleBeforeAccess(long now, boolean emulatedMayWait) {
        if (deferSettle && deniedMask == 0 && (v.mode == GuestAccessMode.DIRECT || emulatedMayWait)) {
            settlePending = true;
            pendingUntil = now;
            return;
        }
        settle(now);
    }

    /**
     * Every access settles at once, as before deferral, and an emulated refresh always reads: the
     * reference a test holds deferral to.
     */
    void settleEveryAccess() {
        deferSettle = false;
    }

    /** Adds the time since the last settle under the state the last refresh saw, and checks denied counters. */
    void settle(long now) {
        long dt = now - lastSettle;
        lastSettle = now;
        settlePending = false;
        boolean emulated = v.mode == GuestAccessMode.EMULATED;
        for (long m = enabledMask; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            enabledNs[i] += dt;
            if ((deniedMask & (1L << i)) != 0) {
                deniedNs[i] += dt;
                continue;
            }
            if (emulated && !v.softwareCounter(i)) {
                long running = v.emul.timeRunning(i, now);
                if (running >= 0) {
                    PerfEvent e = v.emul.event(i);
                    long base = runningEvent[i] == e ? runningBase[i] : 0;
                    countedNs[i] += running - base;
                    runningEvent[i] = e;
                    runningBase[i] = running;
                }
            } else if ((countingMask & (1L << i)) != 0) {
                countedNs[i] += dt;
            }
        }
        for (long m = deniedMask; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            int event = v.eventOf(i);
            if (leakedEvent[i] != event && v.guestCounterValue(i, now) != leakBase[i]) {
                leakedEvent[i] = event;
                filterLeaks++;
            }
        }
    }

    /**
     * Re-reads which counters the guest has enabled, which of those are denied by the filter and
     * which count; a counter that counted, is still enabled and no longer counts starts a stopped
     * episode. Denied counters take their value as the base a leak is measured from.
     */
    void refresh(long now) {
        if (unchangedSinceLastRefresh()) {
            return;
        }
        // The masks change: the time they held is added first. An emulated settle waits only over
        // accesses that change neither the enables nor the event types, and software counters
        // always count, so this refresh finds the masks it waited under (the others' counted time
        // is their events' time_running, which reads no mask).
        if (settlePending && v.mode == GuestAccessMode.DIRECT) {
            settle(now);
        }
        long enabled = v.guestEnabledMask();
        long denied = 0;
        long counting = 0;
        for (long m = enabled; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            int event = v.eventOf(i);
            if (v.eventDenied(i, event)) {
                denied |= 1L << i;
                leakBase[i] = v.guestCounterValue(i, now);
            } else if (v.counterCounting(i, event)) {
                counting |= 1L << i;
            }
        }
        long stopped = countingMask & enabledMask & enabled & ~denied & ~counting;
        for (long m = stopped; m != 0; m &= m - 1) {
            episodes[Long.numberOfTrailingZeros(m)]++;
        }
        everEnabled |= enabled;
        enabledMask = enabled;
        countingMask = counting;
        deniedMask = denied;
    }

    /**
     * Whether refresh would find exactly what it found last time. Its result is a function of the
     * inputs recorded here, and with no denied counter (whose leak base is a counter value, which
     * moves with time) and the same result, nothing starts an episode.
     */
    private boolean unchangedSinceLastRefresh() {
        if (v.mode != GuestAccessMode.DIRECT) {
            seenValid = false;
            return emulatedUnchangedSinceLastRefresh();
        }
        seenEmulatedValid = false;
        PmuDirect d = v.direct;
        Pe pe = d.restored ? v.cpu.pe : null;
        long peConfigWrites = pe == null ? 0 : pe.configWrites();
        ExceptionLevel level = pe == null ? null : pe.exceptionLevel();
        long regsWrites = v.regs.writes();
        long intent = v.guestEnableIntent();
        boolean same = seenValid
                && deniedMask == 0
                && pe == seenPe
                && peConfigWrites == seenPeConfigWrites
                && level == seenLevel
                && regsWrites == seenRegsWrites
                && intent == seenIntent
                && d.hpmn == seenHpmn
                && d.restored == seenRestored;
        if (same) {
            return true; // what would be recorded is what is recorded
        }
        seenPe = pe;
        seenPeConfigWrites = peConfigWrites;
        seenLevel = level;
        seenRegsWrites = regsWrites;
        seenIntent = intent;
        seenHpmn = d.hpmn;
        seenRestored = d.restored;
        seenValid = true;
        return false;
    }

    /**
     * {@link #unchangedSinceLastRefresh} in emulated mode, where refresh reads the guest's PMCR_EL0,
     * PMCNTENSET and event types, and whether each counter's perf event is ACTIVE (its state
     * changes without a register write, but not without a perf operation on the vCPU thread's
     * context: PerfCore.taskContextGeneration). A guest read changes none of them.
     */
    private boolean emulatedUnchangedSinceLastRefresh() {
        if (!deferSettle) {
            seenEmulatedValid = false;
            return false;
        }
        long regsWrites = v.regs.controlWrites();
        int n = v.regs.n();
        long generation = v.kvm.perf.taskContextGeneration(v.thread);
        if (seenEmulatedValid
                && deniedMask == 0
                && regsWrites == seenEmulatedRegsWrites
                && n == seenN
                && generation == seenContextGeneration) {
            return true;
        }
        seenEmulatedRegsWrites = regsWrites;
        seenN = n;
        seenContextGeneration = generation;
        seenEmulatedValid = true;
        return false;
    }

    long filterLeaks() {
        return filterLeaks;
    }

    /** The counters the guest ever enabled while loaded, in index order. */
    List<GuestCounterStats> counters() {
        List<GuestCounterStats> out = new ArrayList<>();
        // A waiting settle's time, as settle would add it at the access it waits from, with nothing
        // denied; an emulated counter's counted time from its event's time_running then, unapplied
        // (PerfCore.timeRunningAt: exact unless a host perf operation updated the event's times
        // since that access; the engine settles at every put and at the end of the window first).
        long waiting = settlePending ? pendingUntil - lastSettle : 0;
        boolean emulated = v.mode == GuestAccessMode.EMULATED;
        for (long m = everEnabled; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            long bit = 1L << i;
            long enabled = enabledNs[i] + ((enabledMask & bit) != 0 ? waiting : 0);
            long counted = countedNs[i];
            if (settlePending && (enabledMask & bit) != 0) {
                if (emulated && !v.softwareCounter(i)) {
                    long running = v.emul.timeRunningAt(i, pendingUntil);
                    if (running >= 0) {
                        counted += running - (runningEvent[i] == v.emul.event(i) ? runningBase[i] : 0);
                    }
                } else if ((countingMask & bit) != 0) {
                    counted += waiting;
                }
            }
            out.add(new GuestCounterStats(i, enabled, counted, deniedNs[i], episodes[i]));
        }
        return List.copyOf(out);
    }
}
