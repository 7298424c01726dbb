package dev.pmulab.kvm.vpmu;

import dev.pmulab.api.GuestAccessMode;
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
    private long filterLeaks;

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
        if (v.mode == GuestAccessMode.EMULATED) {
            for (int i = 0; i < NR; i++) {
                long running = v.emul.timeRunning(i, now);
                runningEvent[i] = v.emul.event(i);
                runningBase[i] = Math.max(0, running);
            }
        }
        refresh(now);
    }

    /** Adds the time since the last settle under the state the last refresh saw, and checks denied counters. */
    void settle(long now) {
        long dt = now - lastSettle;
        lastSettle = now;
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

    long filterLeaks() {
        return filterLeaks;
    }

    /** The counters the guest ever enabled while loaded, in index order. */
    List<GuestCounterStats> counters() {
        List<GuestCounterStats> out = new ArrayList<>();
        for (long m = everEnabled; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            out.add(new GuestCounterStats(i, enabledNs[i], countedNs[i], deniedNs[i], episodes[i]));
        }
        return List.copyOf(out);
    }
}
