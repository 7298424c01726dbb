package dev.pmulab.kvm.perf;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.PmuVersion;
import dev.pmulab.hw.regs.MdcrEl2;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevcntrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;

/**
 * The PMUv3 driver on one CPU: {@code struct pmu_hw_events} (used_mask, events[]), the CPU's
 * {@code cntr_mask}, and every register access the driver makes (arm_pmuv3.c:
 * armv8pmu_get_event_idx, armpmu_add/del, armpmu_event_update/set_period, armv8pmu_enable_event,
 * armv8pmu_start/stop, the overflow flags). See perf-core-and-costs.md §2.
 *
 * <p>The host kernel programs the PMU from EL2 (VHE). A perf operation may arrive while the PE is
 * modelled at EL0 or EL1 (a guest or a user task runs); {@link #enter} switches the PE to EL2 for
 * the zero-length kernel access and {@link #exit} switches it back, so register write masks are
 * the EL2 ones and nothing counts in between. An nVHE host's EL1 accesses see the same registers
 * (HPMN = N, no traps for the host), so the model uses EL2 for both.
 */
final class ArmPmuV3 {
    static final int CYCLE_IDX = Pe.CYCLE_COUNTER;
    static final long CYCLE_BIT = 1L << CYCLE_IDX;
    /** Bits 0..30: the general-purpose event counters. */
    static final long GENERAL_MASK = CYCLE_BIT - 1;
    /** Odd general counters 1, 3, ... 29: the high halves a chained pair may use. */
    static final long ODD_MASK = 0xAAAA_AAAAL & GENERAL_MASK;
    /** The upper 32 bits a 32-bit event on a 64-bit counter starts with (armv8pmu_bias_long_counter). */
    static final long BIAS = ~PmevcntrEl0.LOW32;

    final int cpu;
    final PerfPmu pmu;
    final Pe pe;
    final boolean vhe;
    /** {@code armv8pmu_has_long_event}: PMUv3p5 64-bit event counters, PMCR.LP set. */
    final boolean hasLongEvent;

    final int n;

    long cntrMask;
    long usedMask;
    final PerfEvent[] events = new PerfEvent[32];
    /** {@code kvm_pmu_events}: counters KVM switches at vcpu load/put (VHE) or world switch (nVHE), §3.2. */
    long kvmEventsHost;

    long kvmEventsGuest;
    /**
     * PMCR_EL0 holds a direct (partitioned) guest's state: KVM sets it while that guest's registers
     * are loaded, so the driver never starts or stops the PMU through PMCR_EL0.E, even when HPMN = N
     * gives the guest every counter (partitioning-and-policies.md §3.1).
     */
    boolean guestOwnsPmcr;

    private int pmuDisableCount;
    /** A run of perf calls at one instant is open on this CPU ({@link PerfCore#beginPmuRun}). */
    boolean runOpen;
    /** The run holds the PMU stopped and the EL2 bracket open (one extra reference of each) until {@link #endRun}. */
    private boolean runHeld;
    /**
     * Counters whose registers still owe what an add and del of a 32-bit event at one instant
     * leave behind ({@link #delAfterAdd}): the event's type and programmed value, and the
     * counter, interrupt and overflow bits clear. Written by the next add there, or at the end of
     * the run.
     */
    private long pendingMask;

    /**
     * Numbers the held runs: {@link #endRun} moves it on, so an add's stamp
     * ({@code PerfEvent.addedInRun}) names the run it was made in ({@link #readdInPlace}).
     */
    private long runSerial = 1;
    /** How often {@link #readdInPlace} found an event as its add in the same held run left it, for tests. */
    long readdsAsAdded;

    private final long[] pendingTyper = new long[32];
    private final long[] pendingValue = new long[32];
    /**
     * Whether {@link #readdInPlace} may leave registers unwritten. Not on a PE with BRBE: its pause
     * latches on the overflow flags at every write of the eager del/add sequence.
     */
    final boolean readdInPlaceAllowed;

    ArmPmuV3(int cpu, PerfPmu pmu, Pe pe, boolean vhe) {
        this.cpu = cpu;
        this.pmu = pmu;
        this.pe = pe;
        this.vhe = vhe;
        this.hasLongEvent = pe.config().version().atLeast(PmuVersion.P5);
        this.n = pe.config().n();
        this.cntrMask = pmu.cntrMask();
        this.readdInPlaceAllowed = !pe.config().brbe();
    }

    // ---------------------------------------------------------------------------------------------
    // Counter index allocation (armv8pmu_get_event_idx), shared with open-time group validation

    /**
     * The counter {@code attr} would get with {@code used} taken: PMCCNTR for CPU_CYCLES when it is in
     * {@code cntrMask} and free; a chained pair for a 64-bit event before PMUv3p5; otherwise one
     * general counter in {@code order}. Returns the index (the odd, high half of a pair) or -1
     * (the driver's -EAGAIN).
     */
    static int getEventIdx(
            long used, long cntrMask, CounterAllocationOrder order, boolean hasLongEvent, PerfEventAttr attr) {
        return getEventIdx(used, cntrMask, order, hasLongEvent, attr.config(), attr.is64Bit(), attr.userRead());
    }

    /** {@link #getEventIdx(long, long, CounterAllocationOrder, boolean, PerfEventAttr)} for an event's copied attr facts. */
    static int getEventIdx(long used, long cntrMask, CounterAllocationOrder order, boolean hasLongEvent, PerfEvent e) {
        return getEventIdx(used, cntrMask, order, hasLongEvent, e.config, e.is64Bit, e.userRead);
    }

    private static int getEventIdx(
            long used,
            long cntrMask,
            CounterAllocationOrder order,
            boolean hasLongEvent,
            int config,
            boolean is64Bit,
            boolean userRead) {
        if ((config & PmevtyperEl0.EVTCOUNT_MASK) == Events.CPU_CYCLES && (cntrMask & CYCLE_BIT) != 0) {
            if ((used & CYCLE_BIT) == 0) {
                return CYCLE_IDX;
            }
            // A user-readable 64-bit cycle count cannot fall back to a pair: rdpmc reads one register.
            if (is64Bit && userRead && !hasLongEvent) {
                return -1;
            }
        }
        long free = cntrMask & ~used & GENERAL_MASK;
        if (wantsChain(is64Bit, userRead, hasLongEvent)) {
            // Upstream checks only used_mask for the even half; the model also requires it in
            // cntr_mask, so a host pair never straddles into counters the host was told to leave.
            long pairs = free & (free << 1) & ODD_MASK;
            return pick(pairs, order);
        }
        return pick(free, order);
    }

    private static int pick(long candidates, CounterAllocationOrder order) {
        if (candidates == 0) {
            return -1;
        }
        return order == CounterAllocationOrder.LOW_TO_HIGH
                ? Long.numberOfTrailingZeros(candidates)
                : 63 - Long.numberOfLeadingZeros(candidates);
    }

    /** 64-bit requested, not user-read, no long counters: needs two 32-bit counters if not on PMCCNTR. */
    private static boolean wantsChain(boolean is64Bit, boolean userRead, boolean hasLongEvent) {
        return is64Bit && !userRead && !hasLongEvent;
    }

    /** {@code armv8pmu_event_is_chained} once an index is known. */
    static boolean isChained(PerfEventAttr attr, int idx, boolean hasLongEvent) {
        return idx != CYCLE_IDX && wantsChain(attr.is64Bit(), attr.userRead(), hasLongEvent);
    }

    private static boolean isChained(PerfEvent e, int idx, boolean hasLongEvent) {
        return idx != CYCLE_IDX && wantsChain(e.is64Bit, e.userRead, hasLongEvent);
    }

    /** The counters an event at {@code idx} occupies (both halves of a chained pair). */
    static long idxMask(int idx, boolean chained) {
        return chained ? 3L << (idx - 1) : 1L << idx;
    }

    // ---------------------------------------------------------------------------------------------
    // Kernel access bracket and PMU-wide enable

    /** The host programs the PMU from EL2; the PE brackets it (shared with KVM's brackets on the same PE). */
    void enter(long now) {
        pe.enterEl2(now);
    }

    void exit() {
        pe.exitEl2();
    }

    /**
     * {@code perf_pmu_disable}: reference-counted; the first one stops the PMU. Inside an open run
     * the first one also takes an extra reference and an extra (nested) EL2 bracket, so the PMU
     * stays stopped until {@link #endRun}. Always called inside {@link #enter}.
     */
    void pmuDisable() {
        if (pmuDisableCount++ == 0) {
            stop();
            if (runOpen) {
                runHeld = true;
                pmuDisableCount++;
                pe.enterEl2(pe.now()); // nested in the caller's bracket: only its depth moves
            }
        }
    }

    /**
     * Ends a run ({@link PerfCore#endPmuRun}): the references it held are dropped, which restarts
     * the PMU if a counter is in use and leaves EL2, as the last call's perf_pmu_enable and exit
     * would have.
     */
    void endRun() {
        runOpen = false;
        runSerial++;
        if (runHeld) {
            runHeld = false;
            writePending(pendingMask);
            pmuEnable();
            exit();
        }
    }

    /** Whether an open run holds the PMU stopped and the PE at EL2 (so registers may owe writes until its end). */
    boolean runHeld() {
        return runHeld;
    }

    /**
     * What {@link #add} of {@code e} at counter {@code idx} followed at once by {@link #del} leaves
     * behind, without touching the counter in between: the driver state (the period re-armed by
     * armpmu_event_set_period; the count folds nothing, no time passed; prev_count is the value
     * read back) and kvm_pmu_events, with the registers owed (see {@link #pendingMask}). Only
     * where {@link #delAfterAddAllowed} (so on a single counter), inside a held run. The value read
     * back is the value written: a 32-bit period fits any counter width and the bias
     * ({@link #needsBias}) is cut off on read; a 64-bit one is on a 64-bit counter.
     */
    void delAfterAdd(PerfEvent e, int idx) {
        long value = programPeriod(e);
        e.prevCount = value;
        long bit = 1L << idx;
        kvmClrPmuEvents(bit);
        pendingTyper[idx] = e.configBase;
        pendingValue[idx] = needsBias(e, idx) ? value | BIAS : value;
        pendingMask |= bit;
    }

    /**
     * Whether {@link #delAfterAdd} may stand for an add and del of {@code e}: no BRBE, a counter
     * the host switches itself, and a value that reads back as written: a 32-bit event, or a
     * 64-bit one on PMUv3p5 counters that PMCR_EL0.LP makes 64-bit (never a chained pair).
     */
    boolean delAfterAddAllowed(PerfEvent e) {
        if (!readdInPlaceAllowed || kvmPmuCounterDeferred(e)) {
            return false;
        }
        return !e.is64Bit || (hasLongEvent && (pe.readChecked(PmuRegister.PMCR_EL0, 0) & PmcrEl0.LP) != 0);
    }

    /** A sufficient condition for {@link #delAfterAddAllowed} from the event alone: 32-bit, its counter switched by the host. */
    static boolean delAfterAddFits(PerfEvent e, boolean vhe) {
        return !e.is64Bit && !kvmPmuCounterDeferred(e, vhe);
    }

    /** Writes what the counters in {@code mask} owe ({@link #pendingMask}). Inside {@link #enter}. */
    private void writePending(long mask) {
        long m = mask & pendingMask;
        if (m == 0) {
            return;
        }
        pendingMask &= ~m;
        for (long left = m; left != 0; left &= left - 1) {
            int idx = Long.numberOfTrailingZeros(left);
            if (idx == CYCLE_IDX) {
                pe.writeChecked(PmuRegister.PMCCFILTR_EL0, 0, pendingTyper[idx]);
                pe.writeChecked(PmuRegister.PMCCNTR_EL0, 0, pendingValue[idx]);
            } else {
                pe.writeChecked(PmuRegister.PMEVTYPER_EL0, idx, pendingTyper[idx]);
                pe.writeChecked(PmuRegister.PMEVCNTR_EL0, idx, pendingValue[idx]);
            }
        }
        pe.writeChecked(PmuRegister.PMCNTENCLR_EL0, 0, m);
        pe.writeChecked(PmuRegister.PMINTENCLR_EL1, 0, m);
        pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, m);
    }

    /** {@code perf_pmu_enable}: the last one restarts the PMU, only if a counter is in use (armpmu_enable). */
    void pmuEnable() {
        if (--pmuDisableCount == 0 && usedMask != 0) {
            start();
        }
    }

    /**
     * Whether PMCR_EL0 is the host's: the effective HPMN is N, so every counter is in the first
     * range. Otherwise a partition is in force and the host starts and stops its (second-range)
     * counters with MDCR_EL2.HPME, never PMCR.E (partitioning-and-policies.md §3.1, §6.2).
     */
    private boolean hostOwnsPmcr() {
        return !guestOwnsPmcr && pe.effectiveHpmn() == n;
    }

    /** {@code armv8pmu_start}. */
    void start() {
        if (hostOwnsPmcr()) {
            pe.writeChecked(PmuRegister.PMCR_EL0, 0, pe.readChecked(PmuRegister.PMCR_EL0, 0) | PmcrEl0.E);
        } else {
            pe.writeChecked(PmuRegister.MDCR_EL2, 0, pe.readChecked(PmuRegister.MDCR_EL2, 0) | MdcrEl2.HPME);
        }
    }

    /** {@code armv8pmu_stop}. */
    void stop() {
        if (hostOwnsPmcr()) {
            pe.writeChecked(PmuRegister.PMCR_EL0, 0, pe.readChecked(PmuRegister.PMCR_EL0, 0) & ~PmcrEl0.E);
        } else {
            pe.writeChecked(PmuRegister.MDCR_EL2, 0, pe.readChecked(PmuRegister.MDCR_EL2, 0) & ~MdcrEl2.HPME);
        }
    }

    /**
     * {@code armv8pmu_reset} at probe: every counter and interrupt disabled, flags cleared, counters
     * reset, PMCCNTR 64-bit (LC) and, with PMUv3p5, 64-bit event counters (LP).
     */
    void reset(long now) {
        enter(now);
        long all = pmu.implementedMask();
        pe.writeChecked(PmuRegister.PMCNTENCLR_EL0, 0, all);
        pe.writeChecked(PmuRegister.PMINTENCLR_EL1, 0, all);
        pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, all);
        kvmEventsHost = 0;
        kvmEventsGuest = 0;
        pe.writeChecked(PmuRegister.PMCR_EL0, 0, PmcrEl0.P | PmcrEl0.C | PmcrEl0.LC | (hasLongEvent ? PmcrEl0.LP : 0));
        exit();
    }

    // ---------------------------------------------------------------------------------------------
    // pmu->add / pmu->del / pmu->read / pmu->start / pmu->stop

    /** {@code armpmu_add(event, PERF_EF_START)}: false when no counter fits (-EAGAIN). Inside {@link #enter}. */
    boolean add(PerfEvent e) {
        int idx = getEventIdx(usedMask, cntrMask, pmu.allocationOrder(), hasLongEvent, e);
        if (idx < 0) {
            return false;
        }
        boolean chained = isChained(e, idx, hasLongEvent);
        long mask = idxMask(idx, chained);
        if ((pendingMask & mask) != 0) {
            if (!chained && !kvmPmuCounterDeferred(e)) {
                // This add rewrites all that the counter owes: type, value, and (disable, then
                // enable) its counter, interrupt and overflow bits.
                pendingMask &= ~mask;
            } else {
                writePending(mask);
            }
        }
        usedMask |= mask;
        events[idx] = e;
        e.idx = idx;
        e.chained = chained;
        disableEvent(e);
        e.hwStopped = true;
        startEvent(e);
        if (runHeld && readdInPlaceAllowed) {
            e.addedInRun = runSerial;
            e.addedAt = pe.now();
        }
        return true;
    }

    /** {@code armpmu_del}: stop with update, then free the counter(s). Inside {@link #enter}. */
    void del(PerfEvent e) {
        e.addedInRun = 0;
        stopEvent(e);
        int idx = e.idx;
        events[idx] = null;
        usedMask &= ~idxMask(idx, e.chained);
        e.idx = -1;
        e.chained = false;
    }

    /**
     * What {@link #del} and an {@link #add} that gives the event its own counter(s) back leave
     * behind at one instant (nothing counts in between): the count folded
     * (armpmu_event_update), the period re-armed (armpmu_event_set_period), and the registers as
     * the add programs them. They are written only where they do not already hold that (counter
     * and interrupt enabled, overflow flag clear, the event's type and counter value): the common
     * case, a counter re-armed at the distance it already had, writes nothing. Inside {@link #enter}.
     */
    void readdInPlace(PerfEvent e) {
        if (e.addedInRun == runSerial && runHeld && e.addedAt == pe.now() && !PerfPeriod.periodElapsed(e.periodLeft)) {
            // Added in this held run at this instant, and neither read, stopped nor taken off since
            // (each clears the stamp): the PMU was stopped and no other writer touches a run's
            // counters, so the fold finds no events, the period set_period left is not elapsed,
            // prev_count is what it programmed, and the registers hold what it wrote (no BRBE: the
            // stamp is only set without). The readd would change nothing.
            readdsAsAdded++;
            return;
        }
        if (e.hwStopped) {
            // del stopped nothing: the add programs the counter from scratch.
            disableEvent(e);
            startEvent(e);
            return;
        }
        long mask = idxMask(e.idx, e.chained);
        update(e);
        kvmClrPmuEvents(mask);
        long value = programPeriod(e);
        if (programmed(e, mask, value)) {
            kvmSetPmuEvents(mask, e);
            return;
        }
        disableEvent(e);
        writeCounter(e, value);
        enableEvent(e);
    }

    /** Whether the PMU already holds what disable, set_period's counter write and enable program for {@code e}. */
    private boolean programmed(PerfEvent e, long mask, long value) {
        int idx = e.idx;
        long bit = 1L << idx;
        if (!readdInPlaceAllowed
                || (pe.readChecked(PmuRegister.PMOVSCLR_EL0, 0) & bit) != 0
                || (pe.readChecked(PmuRegister.PMINTENSET_EL1, 0) & bit) == 0
                || (!kvmPmuCounterDeferred(e) && (pe.readChecked(PmuRegister.PMCNTENSET_EL0, 0) & mask) != mask)) {
            return false;
        }
        long biased = needsBias(e) ? value | BIAS : value;
        if (idx == CYCLE_IDX) {
            return pe.readChecked(PmuRegister.PMCCNTR_EL0, 0) == biased
                    && pe.readChecked(PmuRegister.PMCCFILTR_EL0, 0) == e.configBase;
        }
        if (e.chained) {
            return pe.readChecked(PmuRegister.PMEVCNTR_EL0, idx) == biased >>> 32
                    && pe.readChecked(PmuRegister.PMEVCNTR_EL0, idx - 1) == (biased & PmevcntrEl0.LOW32)
                    && pe.readChecked(PmuRegister.PMEVTYPER_EL0, idx - 1) == e.configBase
                    && pe.readChecked(PmuRegister.PMEVTYPER_EL0, idx) == (Events.CHAIN | PmevtyperEl0.NSH);
        }
        return pe.readChecked(PmuRegister.PMEVCNTR_EL0, idx) == biased
                && pe.readChecked(PmuRegister.PMEVTYPER_EL0, idx) == e.configBase;
    }

    /** {@code armpmu_stop(event, PERF_EF_UPDATE)}. */
    void stopEvent(PerfEvent e) {
        if (!e.hwStopped) {
            disableEvent(e);
            update(e);
            e.hwStopped = true;
        }
    }

    /** {@code armpmu_start}: the PMUv3 driver always reprograms the period, then enables. */
    void startEvent(PerfEvent e) {
        e.hwStopped = false;
        setPeriod(e);
        enableEvent(e);
    }

    /** {@code armpmu_event_update}: fold the counter delta since the last read into the count. */
    void update(PerfEvent e) {
        e.addedInRun = 0; // prev_count no longer what set_period left (readdInPlace)
        long now = readCounter(e);
        long delta = (now - e.prevCount) & e.maxPeriod;
        e.prevCount = now;
        e.count += delta;
        e.periodLeft -= delta;
    }

    /**
     * {@code armpmu_event_set_period}: program the counter to overflow after the period left,
     * clamped to half the counter range; true when a period elapsed (a sample is due).
     */
    boolean setPeriod(PerfEvent e) {
        boolean elapsed = PerfPeriod.periodElapsed(e.periodLeft);
        writeCounter(e, programPeriod(e));
        return elapsed;
    }

    /** {@link #setPeriod} without the counter write: a new period if one elapsed, prev_count; returns the value to write. */
    private static long programPeriod(PerfEvent e) {
        long left = e.periodLeft;
        if (PerfPeriod.periodElapsed(left)) {
            left = PerfPeriod.periodLeftAfterSetPeriod(left, e.samplePeriod);
            e.periodLeft = left;
            e.lastPeriod = e.samplePeriod;
        }
        left = PerfPeriod.counterLeft(left, e.maxPeriod);
        e.prevCount = -left;
        return -left & e.maxPeriod;
    }

    /** The counter value as the driver reads it: a pair joined, a biased 32-bit value cut to 32 bits. */
    long readCounter(PerfEvent e) {
        int idx = e.idx;
        long value;
        if (idx == CYCLE_IDX) {
            value = pe.readChecked(PmuRegister.PMCCNTR_EL0, 0);
        } else if (e.chained) {
            value = (pe.eventCounter(idx) << 32) | (pe.eventCounter(idx - 1) & PmevcntrEl0.LOW32);
        } else {
            value = pe.eventCounter(idx);
        }
        return needsBias(e) ? value & PmevcntrEl0.LOW32 : value;
    }

    private void writeCounter(PerfEvent e, long value) {
        int idx = e.idx;
        if (needsBias(e)) {
            value |= BIAS;
        }
        if (idx == CYCLE_IDX) {
            pe.writeChecked(PmuRegister.PMCCNTR_EL0, 0, value);
        } else if (e.chained) {
            pe.writeChecked(PmuRegister.PMEVCNTR_EL0, idx, value >>> 32);
            pe.writeChecked(PmuRegister.PMEVCNTR_EL0, idx - 1, value & PmevcntrEl0.LOW32);
        } else {
            pe.writeChecked(PmuRegister.PMEVCNTR_EL0, idx, value);
        }
    }

    /**
     * {@code armv8pmu_event_needs_bias}: a 32-bit event on a 64-bit counter (PMCCNTR, or any counter
     * with PMUv3p5) gets its upper 32 bits set, so it overflows when its low 32 bits wrap.
     */
    private boolean needsBias(PerfEvent e) {
        return needsBias(e, e.idx);
    }

    /** {@link #needsBias(PerfEvent)} for {@code e} on counter {@code idx} (before add sets e.idx). */
    private boolean needsBias(PerfEvent e, int idx) {
        return !e.is64Bit && (hasLongEvent || idx == CYCLE_IDX);
    }

    /** {@code armv8pmu_enable_event}: event type, interrupt, then the counter (unless deferred to KVM). */
    private void enableEvent(PerfEvent e) {
        int idx = e.idx;
        if (e.chained) {
            // The low half counts the event; the high half counts CHAIN at every level.
            pe.writeChecked(PmuRegister.PMEVTYPER_EL0, idx - 1, e.configBase);
            pe.writeChecked(PmuRegister.PMEVTYPER_EL0, idx, Events.CHAIN | PmevtyperEl0.NSH);
        } else if (idx == CYCLE_IDX) {
            pe.writeChecked(PmuRegister.PMCCFILTR_EL0, 0, e.configBase);
        } else {
            pe.writeChecked(PmuRegister.PMEVTYPER_EL0, idx, e.configBase);
        }
        pe.writeChecked(PmuRegister.PMINTENSET_EL1, 0, 1L << idx);
        long mask = idxMask(idx, e.chained);
        kvmSetPmuEvents(mask, e);
        if (!kvmPmuCounterDeferred(e)) {
            pe.writeChecked(PmuRegister.PMCNTENSET_EL0, 0, mask);
        }
    }

    /** {@code armv8pmu_disable_event}: counter off, interrupt off, its overflow flag cleared. */
    private void disableEvent(PerfEvent e) {
        long mask = idxMask(e.idx, e.chained);
        kvmClrPmuEvents(mask);
        if (!kvmPmuCounterDeferred(e)) {
            pe.writeChecked(PmuRegister.PMCNTENCLR_EL0, 0, mask);
        }
        long irq = 1L << e.idx;
        pe.writeChecked(PmuRegister.PMINTENCLR_EL1, 0, irq);
        pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, irq);
    }

    /** {@code kvm_pmu_counter_deferred}: on nVHE, a guest-only counter is switched on by the world switch. */
    private boolean kvmPmuCounterDeferred(PerfEvent e) {
        return kvmPmuCounterDeferred(e, vhe);
    }

    private static boolean kvmPmuCounterDeferred(PerfEvent e, boolean vhe) {
        return !vhe && e.excludeHost;
    }

    /**
     * {@code kvm_set_pmu_events}: only events that count one side but not the other need switching,
     * and on VHE not when they exclude EL0, because the EL filter already tells host from guest.
     */
    private void kvmSetPmuEvents(long mask, PerfEvent e) {
        if ((vhe && e.excludeUser) || e.excludeHost == e.excludeGuest) {
            return;
        }
        if (!e.excludeHost) {
            kvmEventsHost |= mask;
        }
        if (!e.excludeGuest) {
            kvmEventsGuest |= mask;
        }
    }

    private void kvmClrPmuEvents(long mask) {
        kvmEventsHost &= ~mask;
        kvmEventsGuest &= ~mask;
    }

    /**
     * {@code armv8pmu_getreset_flags}: read and clear the overflow flags the host owns, meaning the
     * counters of its {@code cntr_mask} and any it still occupies; a partitioned guest's flags are
     * KVM's to clear (partitioning v6).
     */
    long getResetFlags() {
        long flags = pe.readChecked(PmuRegister.PMOVSCLR_EL0, 0) & (cntrMask | usedMask);
        if (flags != 0) {
            pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, flags);
        }
        return flags;
    }

    /** The event occupying counter {@code idx}, including the low half of a chained pair; null if free. */
    PerfEvent eventOnCounter(int idx) {
        PerfEvent e = events[idx];
        if (e == null && idx < CYCLE_IDX - 1 && (idx & 1) == 0) {
            PerfEvent high = events[idx + 1];
            if (high != null && high.chained) {
                return high;
            }
        }
        return e;
    }

    /**
     * {@code config_base} for an event (armv8pmu_set_event_filter, §2): on VHE the host kernel is
     * EL2, so a host event includes EL2 unless it excludes the kernel or the host; exclude_guest
     * drops EL1 (the guest kernel) and exclude_host drops EL0 (KVM flips EL0 at vcpu load/put). On
     * nVHE EL2 is the hypervisor. exclude_kernel drops EL1 and exclude_user EL0 in both. The
     * driver's INCLUDE_EL2, EXCLUDE_EL1 and EXCLUDE_EL0 are PMEVTYPER's NSH, P and U.
     */
    static long configBase(PerfEventAttr attr, boolean vhe) {
        long base = attr.config() & PmevtyperEl0.EVTCOUNT_MASK;
        if (vhe) {
            if (!attr.excludeKernel() && !attr.excludeHost()) {
                base |= PmevtyperEl0.NSH;
            }
            if (attr.excludeGuest()) {
                base |= PmevtyperEl0.P;
            }
            if (attr.excludeHost()) {
                base |= PmevtyperEl0.U;
            }
        } else if (!attr.excludeHv() && !attr.excludeHost()) {
            base |= PmevtyperEl0.NSH;
        }
        if (attr.excludeKernel()) {
            base |= PmevtyperEl0.P;
        }
        if (attr.excludeUser()) {
            base |= PmevtyperEl0.U;
        }
        return base;
    }
}
