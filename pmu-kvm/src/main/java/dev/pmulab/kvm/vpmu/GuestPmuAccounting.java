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
     * the sum of the waiting intervals is the interval. {@link #deferSettle} false: every access
     * settles (for tests).
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
     * else {@link #settle}.
     */
    void settleBeforeAccess(long now) {
        if (deferSettle && deniedMask == 0 && v.mode == GuestAccessMode.DIRECT) {
            settlePending = true;
            pendingUntil = now;
            return;
        }
        settle(now);
    }

    /** Every access settles at once, as before deferral: the reference a test holds deferral to. */
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
        if (settlePending) {
            settle(now); // the masks change: the time they held is added first
        }
        long enabled = v.guestEnabledMask();
        long denied = 0;
        long counting = 0;
        for (long m = enabled; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            if (v.eventDenied(i)) {
                denied |= 1L << i;
                leakBase[i] = v.guestCounterValue(i, now);
            } else if (v.counterCounting(i)) {
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
     * Direct mode: whether refresh would find exactly what it found last time. Its result is a
     * function of the inputs recorded here, and with no denied counter (whose leak base is a
     * counter value, which moves with time) and the same result, nothing starts an episode.
     * The emulated mode reads perf event states, which change without a register write: never skipped.
     */
    private boolean unchangedSinceLastRefresh() {
        if (v.mode != GuestAccessMode.DIRECT) {
            seenValid = false;
            return false;
        }
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

    long filterLeaks() {
        return filterLeaks;
    }

    /** The counters the guest ever enabled while loaded, in index order. */
    List<GuestCounterStats> counters() {
        List<GuestCounterStats> out = new ArrayList<>();
        // A waiting settle's time, as settle would add it in direct mode with nothing denied.
        long waiting = settlePending ? pendingUntil - lastSettle : 0;
        for (long m = everEnabled; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            long bit = 1L << i;
            long enabled = enabledNs[i] + ((enabledMask & bit) != 0 ? waiting : 0);
            long counted = countedNs[i] + ((enabledMask & countingMask & bit) != 0 ? waiting : 0);
            out.add(new GuestCounterStats(i, enabled, counted, deniedNs[i], episodes[i]));
        }
        return List.copyOf(out);
    }
}
