package dev.pmulab.hw;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.regs.BrbcrElx;
import dev.pmulab.hw.regs.BrbfcrEl1;
import dev.pmulab.hw.regs.HdfgxtrEl2;
import dev.pmulab.hw.regs.MdcrEl2;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevcntrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.hw.regs.PmselrEl0;
import dev.pmulab.hw.regs.PmuserenrEl0;

/**
 * One Arm processing element's PMUv3 (Arm ARM D13, registers D24.5, MDCR_EL2 D24.3), with the BRBE
 * freeze-on-overflow controls (D19.3), as a Non-secure AArch64 PE with EL2 implemented and enabled,
 * no EL3, HCR_EL2.TGE = 0.
 *
 * <p>Accesses go in two steps, as on hardware: {@link #check} decides whether an MRS/MSR at the
 * current Exception level happens, is UNDEFINED or traps; {@link #readChecked}/{@link #writeChecked}
 * perform an access that {@code check} allowed. {@link #read}/{@link #write} do both.
 *
 * <p>Counting over time is lazy. The PE runs a context (an Exception level and the {@link EventRates}
 * of what runs there) from the time of the last {@link #switchContext}; counters are brought up to
 * date only by {@link #advanceTo}, which every register access and context switch does first. An
 * advance is closed-form per counter, except that it splits at the exact time of an overflow that
 * freezes counters (FZO/HPMFZO) or pauses BRBE, so one advance equals many smaller ones.
 * {@link #nextOverflowTime()} computes when the next interrupt-enabled counter overflows without
 * stepping. Nothing on these paths allocates, except the rare 128-bit division fallback.
 *
 * <p>Its parts: {@code AccessCheck} decides an access in the Arm ARM's order, {@code OverflowTime}
 * does the exact 128-bit arithmetic of when a counter overflows, and the register fields are those
 * of {@link dev.pmulab.hw.regs}. What stays here is one state: the registers, the lazy-counting
 * remainders and the masks derived from both, which every write, advance and overflow query reads
 * and updates together. It is longer than a class should be for that reason: splitting it further
 * would put the per-access and per-event paths behind another object or copy the state between
 * objects.
 */
public final class Pe {
    /** Index of PMCCNTR in the PMCNTEN/PMINTEN/PMOVS layouts and in per-counter arrays. */
    public static final int CYCLE_COUNTER = 31;

    private static final long C_BIT = 1L << CYCLE_COUNTER;

    /**
     * The PMEVTYPER/PMCCFILTR filter bits this PE stores: no EL3, so NSK, NSU and M are RES0; no
     * Secure EL2, so SH is RES0.
     */
    private static final long FILTER_BITS = PmevtyperEl0.P | PmevtyperEl0.U | PmevtyperEl0.NSH;
    /** MDCR_EL2's debug trap controls: they exist with EL2 and are stored, with no PMU effect. */
    private static final long MDCR_DEBUG_TRAPS = MdcrEl2.TDE | MdcrEl2.TDA | MdcrEl2.TDOSA | MdcrEl2.TDRA;
    /** The BRBCR_ELx fields this PE stores. */
    private static final long BRBCR_STORED = BrbcrElx.E0BRE
            | BrbcrElx.EXBRE
            | BrbcrElx.CC
            | BrbcrElx.MPRED
            | BrbcrElx.TS_MASK
            | BrbcrElx.FZP
            | BrbcrElx.ERTN
            | BrbcrElx.EXCEPTION;
    /** The BRBFCR_EL1 bits this PE stores. */
    private static final long BRBFCR_STORED =
            (1L << 5) | BrbfcrEl1.LASTFAILED | BrbfcrEl1.PAUSED | (0xffL << 16) | BrbfcrEl1.BANK_MASK;

    private final PmuConfig config;
    private final int n;
    private final PmuVersion version;
    /** PMCR_EL0.IDCODE and IMP as every read returns them (they never change). */
    private final long pmcrIdBits;

    private final long implementedMask; // event counters 0..N-1 and C
    private final long pmcrWritable;
    private final long mdcrWritable;
    private final long evtyperWritable;
    private final long userenrWritable;
    private final long counterWidthMask; // 64-bit event counters from p5
    private final long pmceid0;
    private final long pmceid1;

    // Architectural state.
    private long pmcr; // stored bits only; N, IDCODE, IMP are composed on read
    private long mdcr;
    private long cnten;
    private long inten;
    private long ovs;
    private int pmselr;
    private long pmuserenr;
    private final long[] evcntr = new long[31];
    private final long[] evtyper = new long[31];
    private long ccntr;
    private long ccfiltr;
    private long brbcrEl1;
    private long brbcrEl2;
    private long brbfcr;
    private long hdfgrtr;
    private long hdfgwtr;

    // Context and time.
    private ExceptionLevel el = ExceptionLevel.EL2;
    private EventRates rates = EventRates.NONE;
    private long now;
    private long brbePausedAt;
    private long brbeBlackoutNs;
    private int el2Depth;
    private ExceptionLevel el2SavedLevel;

    // Derived from the state above and the context; refreshed by refresh(), never on the advance path.
    private long countingMask; // counters that count in the current context
    private long rateDrivenMask; // counting counters whose events come from the context's rates
    /**
     * Rate lookups are kept per rates object in {@value #RATE_SLOTS} slots, least recently used
     * replaced: a guest PMI cycles through guest EL0, the host's EL2, the guest's refill and guest
     * EL1, each with its own rates, and a CPU shared by two vCPUs has twice as many. Each slot
     * remembers the event it looked each counter up for, so a PMEVTYPER change re-looks up only
     * that counter when the PE returns to the slot.
     */
    private static final int RATE_SLOTS = 8;

    /** The slot of the current rates (refresh() selects it); rateBase is where its rates start. */
    private int slot;
    /** slot * 32: counter i's rate under the current rates is rateQ32[rateBase + i]. */
    private int rateBase;

    private final EventRates[] slotRates = new EventRates[RATE_SLOTS];
    /**
     * Per slot, 32 entries from slot * 32: the rate of each counter's programmed event under the
     * slot's rates, whether or not it counts. One flat array, so that selecting a slot loads nothing.
     */
    private final long[] rateQ32 = new long[RATE_SLOTS * 32];
    /** The rateEvent each entry of rateQ32 was looked up for. */
    private final int[] slotRateEvent = new int[RATE_SLOTS * 32];
    /**
     * Per slot, side by side so that selecting and checking a slot touches one cache line:
     * {@link #STALE}, the counters whose rateEvent changed since the slot last checked them
     * (checkSlot), so a return to the slot after one counter's event changed looks at that counter
     * alone; {@link #NON_ZERO}, the counters with a non-zero rate; {@link #USED}, when the slot was
     * last selected (slotClock), to replace the least recently used.
     */
    private final long[] slotMeta = new long[RATE_SLOTS * SLOT_STRIDE];

    private static final int SLOT_STRIDE = 4;
    private static final int STALE = 0;
    private static final int NON_ZERO = 1;
    private static final int USED = 2;

    private long slotClock;
    /**
     * What refresh() derived, per slot and Exception level (entry slot * 3 + level, at
     * {@link #DERIVED_STRIDE} longs each, so that one lookup touches one or two cache lines): the
     * {@link #stateGen} it was derived under ({@link #D_GEN}) and the four masks. refresh() is a
     * pure function of the registers, the level and the rates, so a return to a context whose
     * registers did not change since (a trap's round trip, an interrupt's) takes it from here. Not
     * with BRBE, whose refresh latches.
     */
    private final long[] derived = new long[RATE_SLOTS * 3 * DERIVED_STRIDE];

    private static final int DERIVED_STRIDE = 8;
    private static final int D_GEN = 0;
    private static final int D_COUNTING = 1;
    private static final int D_RATE_DRIVEN = 2;
    private static final int D_FREEZE_SENSITIVE = 3;
    private static final int D_OVERFLOW_AT64 = 4;
    /**
     * Counts the changes of any register refresh() derives from (PMCR, MDCR_EL2, PMCNTEN, PMOVS,
     * the event types and filters), and resets. Never -1, which marks a derived entry empty.
     */
    private long stateGen;
    /** Whether refresh() keeps and reuses what it derived (false: recompute everything, for tests). */
    private final boolean keepDerived;
    /** Writes to every register but the counters and overflow flags, and resets (configWrites()). */
    private long configWrites;
    /**
     * What refresh() derives that depends neither on the Exception level nor on the rates, with the
     * {@link #stateGen} it was derived under ({@link #deriveLevelFree}): a refresh that misses its
     * (slot, level) entry after a write needs only to apply the level's filters and prohibitions.
     * -1: not derived yet.
     */
    private long levelFreeGen = -1;
    /** Counters enabled and neither frozen nor (for C) stopped by PMCR.DP, below EL2 and at EL2, before filtering. */
    private long unfilteredCountingLow;

    private long unfilteredCountingEl2;
    /** Counters whose overflow would freeze counters, before ANDing with what counts. */
    private long freezeSensitiveUnmasked;

    private long levelFreeOverflowAt64;

    /**
     * Each counting counter's fractional remainder, event counter i at i and the cycle counter at
     * {@link #cycleIndex} (N), right after them: an advance touches the counters that count, and
     * they sit together. The slots' rates (rateQ32) use the same layout.
     */
    private final long[] fracQ32 = new long[32];
    /** Where the cycle counter's fraction and rate are kept: N, the index after the event counters (at most 31). */
    private final int cycleIndex;

    private int cyclePrescale; // cycles accumulated toward the next PMCR.D tick
    private long freezeSensitiveMask; // counters whose next overflow freezes counters or pauses BRBE
    private long overflowAt64Mask; // counters whose overflow is at bit 63 (overflowsAt64), as of refresh()
    /** A write changed state the derived masks depend on; {@link #ensureFresh()} recomputes them. */
    private boolean dirty;
    /**
     * The last finite nextOverflowTime(). Advancing without a state change does not move the instant
     * a counter overflows (an advance in steps equals one advance), so it stands until a write, a
     * refresh, or time reaching it. Long.MIN_VALUE: nothing cached.
     */
    private long nextOverflowCached = NO_OVERFLOW_CACHED;

    private static final long NO_OVERFLOW_CACHED = Long.MIN_VALUE;

    // Caches of pure functions of the registers, kept up to date where the registers are written.
    /** effectiveHpmn(), updated with every write of {@code mdcr}. */
    private int effHpmn;
    /** accessMask() at EL0/EL1: the first range and C. At EL2 it is implementedMask. */
    private long guestAccessMask;
    /** Not an event number (they are at most 16 bits): the counter's count comes from no rate. */
    private static final int NOT_RATE_DRIVEN = -1;
    /** A rateEvent no event number takes: the counter's event is not known yet (at reset). */
    private static final int RATE_EVENT_UNKNOWN = Integer.MIN_VALUE;

    /**
     * The event each counter counts at a rate from the context's {@link EventRates}, or
     * {@link #NOT_RATE_DRIVEN} when nothing the PE executes drives it: SW_INCR (software writes),
     * CHAIN (its even neighbour's carries) and events the PE does not implement.
     */
    private final int[] rateEvent = new int[32];
    /** Counters (and C) whose filter bits let them count at EL0, EL1, EL2 (setFilterPass). */
    private long filterPassEl0;

    private long filterPassEl1;
    private long filterPassEl2;
    /** The context's rates changed and no slot has been selected for them yet (refresh() does it). */
    private boolean ratesStale = true;
    /**
     * Whether derived state must be recomputed as soon as it may change. Only BRBE makes refresh()
     * more than a function of the registers and the context: it latches a pause at the time it runs.
     * Without BRBE a context switch or a write just marks the state dirty, and the next advance,
     * overflow query or PMSWINC recomputes it once.
     */
    private final boolean eagerRefresh;
    /** AccessCheck.cuIgnorable of the configuration, computed once: cuIgnored runs at every counter access. */
    private final boolean cuIgnorable;
    /** Which of events 0x00..0xff the PE implements, as a bitmap (see implementsEvent). */
    private final long[] implementedCommonEvents = new long[4];

    public Pe(PmuConfig config) {
        this(config, true);
    }

    /**
     * @param keepDerived false for a PE that looks every rate up and recomputes every mask at every
     *     refresh: the reference the kept derived state is tested against
     */
    Pe(PmuConfig config, boolean keepDerived) {
        this.config = requireNonNull(config, "config is null");
        this.n = config.n();
        this.cycleIndex = n;
        this.version = config.version();
        // PMCR_EL0.IMP and IDCODE are RAZ with FEAT_PMUv3p7 (Arm ARM D24.5, PMCR_EL0), both of them.
        this.pmcrIdBits = version.atLeast(PmuVersion.P7)
                ? 0
                : ((long) config.idcode() << PmcrEl0.IDCODE_SHIFT) | ((long) config.imp() << PmcrEl0.IMP_SHIFT);
        this.implementedMask = lowBits(n) | C_BIT;
        boolean p5 = version.atLeast(PmuVersion.P5);
        boolean p7 = version.atLeast(PmuVersion.P7);
        this.pmcrWritable =
                PmcrEl0.E | PmcrEl0.D | PmcrEl0.DP | PmcrEl0.LC | (p5 ? PmcrEl0.LP : 0) | (p7 ? PmcrEl0.FZO : 0);
        this.mdcrWritable = MdcrEl2.HPMN_MASK
                | MdcrEl2.TPMCR
                | MdcrEl2.TPM
                | MdcrEl2.HPME
                | MDCR_DEBUG_TRAPS
                | (version.atLeast(PmuVersion.P1) ? MdcrEl2.HPMD : 0)
                | (p5 ? MdcrEl2.HCCD | MdcrEl2.HLP : 0)
                | (p7 ? MdcrEl2.HPMFZO : 0);
        this.evtyperWritable = FILTER_BITS | version.eventNumberMask();
        this.userenrWritable =
                PmuserenrEl0.MASK | (version.atLeast(PmuVersion.P9) ? PmuserenrEl0.UEN | PmuserenrEl0.TID : 0);
        this.counterWidthMask = p5 ? -1L : PmevcntrEl0.LOW32;
        this.pmceid0 = config.pmceid0();
        this.pmceid1 = config.pmceid1();
        this.eagerRefresh = config.brbe();
        this.keepDerived = keepDerived && !eagerRefresh;
        for (int e = 0; e < RATE_SLOTS * 3; e++) {
            derived[e * DERIVED_STRIDE + D_GEN] = -1;
        }
        this.cuIgnorable = AccessCheck.cuIgnorable(config);
        for (int e = 0; e < 0x100; e++) {
            if (config.implementsEvent(e)) {
                implementedCommonEvents[e >>> 6] |= 1L << e;
            }
        }
        reset();
    }

    /** Warm reset: MDCR_EL2.HPMN = N, everything the Arm ARM leaves UNKNOWN to 0 (model choice D9). */
    public void reset() {
        configWrites++;
        pmcr = 0;
        setMdcr(n);
        cnten = 0;
        inten = 0;
        ovs = 0;
        pmselr = 0;
        pmuserenr = 0;
        java.util.Arrays.fill(evcntr, 0);
        java.util.Arrays.fill(evtyper, 0);
        ccntr = 0;
        ccfiltr = 0;
        brbcrEl1 = 0;
        brbcrEl2 = 0;
        brbfcr = 0;
        hdfgrtr = 0;
        hdfgwtr = 0;
        java.util.Arrays.fill(fracQ32, 0);
        cyclePrescale = 0;
        rateEvent[CYCLE_COUNTER] = Events.CPU_CYCLES;
        for (int i = 0; i < n; i++) {
            rateEvent[i] = RATE_EVENT_UNKNOWN; // so evtyperChanged counts every counter as changed
            evtyperChanged(i);
        }
        ccfiltrChanged();
        for (int k = 0; k < RATE_SLOTS; k++) {
            slotMeta[k * SLOT_STRIDE + STALE] = implementedMask;
        }
        stateWritten();
        refresh();
    }

    public PmuConfig config() {
        return config;
    }

    // ---------------------------------------------------------------------------------------------
    // Ranges, enables and the rules that derive from MDCR_EL2.HPMN

    /**
     * EffectiveHPMN(): the raw HPMN, except that a reserved value (HPMN &gt; N, or 0 without
     * FEAT_HPMN0) behaves as the configured {@link ReservedHpmnChoice}.
     */
    public int effectiveHpmn() {
        return effHpmn;
    }

    private void setMdcr(long value) {
        mdcr = value;
        int hpmn = MdcrEl2.hpmn(mdcr);
        if (hpmn > n || (hpmn == 0 && !config.hpmn0())) {
            hpmn = config.reservedHpmn() == ReservedHpmnChoice.AS_N ? n : 0;
        }
        effHpmn = hpmn;
        guestAccessMask = lowBits(hpmn) | C_BIT;
    }

    /** GetNumEventCountersAccessible(): effective HPMN at EL0/EL1 (EL2 is enabled), N at EL2. */
    public int accessibleCounters(ExceptionLevel level) {
        return level == ExceptionLevel.EL2 ? n : effectiveHpmn();
    }

    /** Whether event counter {@code i} (or the cycle counter, 31) is in the first range. */
    public boolean inFirstRange(int i) {
        return i == CYCLE_COUNTER || i < effectiveHpmn();
    }

    /** Whether counter {@code i} overflows at bit 63: LC for PMCCNTR, LP (R1) or HLP (R2) from PMUv3p5. */
    public boolean overflowsAt64(int i) {
        if (i == CYCLE_COUNTER) {
            return (pmcr & PmcrEl0.LC) != 0;
        }
        if (!version.atLeast(PmuVersion.P5)) {
            return false;
        }
        return inFirstRange(i) ? (pmcr & PmcrEl0.LP) != 0 : (mdcr & MdcrEl2.HLP) != 0;
    }

    /** overflowsAt64 for every counter at once, for refresh(): the advance path reads the mask. */
    private long computeOverflowAt64Mask() {
        long m = (pmcr & PmcrEl0.LC) != 0 ? C_BIT : 0;
        if (version.atLeast(PmuVersion.P5)) {
            long r1 = firstRangeEventMask();
            m |= ((pmcr & PmcrEl0.LP) != 0 ? r1 : 0) | ((mdcr & MdcrEl2.HLP) != 0 ? lowBits(n) & ~r1 : 0);
        }
        return m;
    }

    private long firstRangeEventMask() {
        return lowBits(effectiveHpmn());
    }

    private long secondRangeMask() {
        return lowBits(n) & ~firstRangeEventMask();
    }

    /** Freeze on overflow (PMUv3p7): FZO freezes R1 while an R1 event counter has overflowed, HPMFZO R2 likewise. */
    private boolean firstRangeFrozen() {
        return (pmcr & PmcrEl0.FZO) != 0 && (ovs & firstRangeEventMask()) != 0;
    }

    private boolean secondRangeFrozen() {
        return (mdcr & MdcrEl2.HPMFZO) != 0 && (ovs & secondRangeMask()) != 0;
    }

    /**
     * CountPMUEvents(idx) for the current Exception level and state: enabled, not prohibited, not
     * frozen, not filtered. {@link #refresh()} is the one place this is computed.
     */
    public boolean counts(int i) {
        ensureFresh();
        return i >= 0 && i < 32 && (countingMask & (1L << i)) != 0;
    }

    /**
     * The PMU overflow interrupt request (D13.3.1): some PMOVSSET[n] &amp;&amp; PMINTENSET[n] &amp;&amp;
     * the enable of n's range; PMCNTENSET is not consulted.
     */
    public boolean irqAsserted() {
        long pending = ovs & inten & implementedMask;
        if (pending == 0) {
            return false;
        }
        boolean e = (pmcr & PmcrEl0.E) != 0;
        boolean hpme = (mdcr & MdcrEl2.HPME) != 0;
        long r1 = firstRangeEventMask() | C_BIT;
        return (e && (pending & r1) != 0) || (hpme && (pending & ~r1) != 0);
    }

    // ---------------------------------------------------------------------------------------------
    // Access checks (AccessCheck: Arm ARM D24.5 accessibility pseudocode)

    /**
     * Decides an MRS ({@code write == false}) or MSR of {@code reg} (index {@code index} for
     * PMEVCNTR/PMEVTYPER) at the current Exception level.
     */
    public AccessOutcome check(PmuRegister reg, int index, boolean write) {
        requireNonNull(reg, "reg is null");
        return AccessCheck.check(this, reg, index, write);
    }

    // The registers AccessCheck reads, each only when its decision gets to it.

    int pmselr() {
        return pmselr;
    }

    long pmuserenr() {
        return pmuserenr;
    }

    long mdcr() {
        return mdcr;
    }

    /** HDFGWTR_EL2 for a write, HDFGRTR_EL2 for a read. */
    long fineGrainedTraps(boolean write) {
        return write ? hdfgwtr : hdfgrtr;
    }

    /** True when an allowed EL0/EL1 access to a second-range counter is RAZ/WI or a NOP by model choice. */
    private boolean cuIgnored(int counter) {
        return AccessCheck.cuIgnored(cuIgnorable, counter, el, effHpmn);
    }

    // ---------------------------------------------------------------------------------------------
    // Register reads and writes

    /** Result of a checked access made through {@link #read}/{@link #write}. */
    public record Access(AccessOutcome outcome, long value) {
        public boolean ok() {
            return outcome == AccessOutcome.OK;
        }
    }

    /** MRS: checks, then reads if allowed. */
    public Access read(PmuRegister reg, int index) {
        AccessOutcome o = check(reg, index, false);
        return new Access(o, o == AccessOutcome.OK ? readChecked(reg, index) : 0);
    }

    /** MSR: checks, then writes if allowed. */
    public AccessOutcome write(PmuRegister reg, int index, long value) {
        AccessOutcome o = check(reg, index, true);
        if (o == AccessOutcome.OK) {
            writeChecked(reg, index, value);
        }
        return o;
    }

    /** Reads a register whose access {@link #check} allowed at the current level. */
    public long readChecked(PmuRegister reg, int index) {
        // The registers read on every event add, interrupt and guest access, by identity so that a
        // call with a constant register inlines to its one case; the rest in readAny.
        if (!eagerRefresh) {
            if (reg == PmuRegister.PMEVCNTR_EL0) {
                return cuIgnored(index) ? 0 : evcntr[index];
            }
            if (reg == PmuRegister.PMCCNTR_EL0) {
                return ccntr;
            }
            if (reg == PmuRegister.PMEVTYPER_EL0) {
                return cuIgnored(index) ? 0 : evtyper[index];
            }
            if (reg == PmuRegister.PMOVSCLR_EL0 || reg == PmuRegister.PMOVSSET_EL0) {
                return ovs & accessMask();
            }
            if (reg == PmuRegister.PMCNTENSET_EL0 || reg == PmuRegister.PMCNTENCLR_EL0) {
                return cnten & accessMask();
            }
            if (reg == PmuRegister.PMINTENSET_EL1 || reg == PmuRegister.PMINTENCLR_EL1) {
                return inten & accessMask();
            }
            if (reg == PmuRegister.MDCR_EL2) {
                return mdcr;
            }
            if (reg == PmuRegister.PMCR_EL0) {
                return pmcrValue();
            }
        }
        return readAny(reg, index);
    }

    /** PMCR_EL0 as read here: PMCR.N shows the effective HPMN below EL2 (Arm ARM, MDCR_EL2.HPMN). */
    private long pmcrValue() {
        int shownN = el == ExceptionLevel.EL2 ? n : effHpmn;
        return PmcrEl0.withN(pmcr, shownN) | pmcrIdBits;
    }

    private long readAny(PmuRegister reg, int index) {
        if (eagerRefresh) {
            ensureFresh(); // BRBFCR_EL1.PAUSED is latched by refresh()
        }
        long accessMask = accessMask();
        return switch (reg) {
            case PMCR_EL0 -> pmcrValue();
            case PMCNTENSET_EL0, PMCNTENCLR_EL0 -> cnten & accessMask;
            case PMOVSSET_EL0, PMOVSCLR_EL0 -> ovs & accessMask;
            case PMINTENSET_EL1, PMINTENCLR_EL1 -> inten & accessMask;
            case PMSELR_EL0 -> pmselr;
            case PMCEID0_EL0 -> pmceid0;
            case PMCEID1_EL0 -> pmceid1;
            case PMCCNTR_EL0 -> ccntr;
            case PMCCFILTR_EL0 -> ccfiltr;
            case PMXEVTYPER_EL0 -> pmselr == CYCLE_COUNTER ? ccfiltr : readChecked(PmuRegister.PMEVTYPER_EL0, pmselr);
            case PMXEVCNTR_EL0 -> readChecked(PmuRegister.PMEVCNTR_EL0, pmselr);
            case PMUSERENR_EL0 -> pmuserenr;
            case PMEVCNTR_EL0 -> cuIgnored(index) ? 0 : evcntr[index];
            case PMEVTYPER_EL0 -> cuIgnored(index) ? 0 : evtyper[index];
            case PMMIR_EL1 -> config.pmmir();
            case MDCR_EL2 -> mdcr;
            case BRBCR_EL1 -> brbcrEl1;
            case BRBCR_EL2 -> brbcrEl2;
            case BRBFCR_EL1 -> brbfcr;
            case HDFGRTR_EL2 -> hdfgrtr;
            case HDFGWTR_EL2 -> hdfgwtr;
            case PMSWINC_EL0 -> throw new IllegalStateException("PMSWINC_EL0 is write-only");
        };
    }

    /** Writes a register whose access {@link #check} allowed at the current level. */
    public void writeChecked(PmuRegister reg, int index, long value) {
        // The registers perf's event add/del and the guest drivers write most, by identity, each in a
        // small method of its own: this front stays small enough for the JIT to inline at a call
        // site, where a constant register folds it to its one case. The rest (and BRBE PEs) go to
        // writeAny. Each case counts itself in configWrites as isCountOrFlagRegister says.
        if (eagerRefresh) {
            writeSlow(reg, index, value);
        } else if (reg == PmuRegister.PMCNTENCLR_EL0) {
            writeCntenClr(value);
        } else if (reg == PmuRegister.PMCNTENSET_EL0) {
            writeCntenSet(value);
        } else if (reg == PmuRegister.PMOVSCLR_EL0) {
            writeOvsClr(value);
        } else if (reg == PmuRegister.PMEVCNTR_EL0) {
            writeEvcntr(index, value);
        } else if (reg == PmuRegister.PMCCNTR_EL0) {
            writeCcntr(value);
        } else if (reg == PmuRegister.PMINTENCLR_EL1) {
            writeIntenClr(value);
        } else if (reg == PmuRegister.PMINTENSET_EL1) {
            writeIntenSet(value);
        } else {
            writeSlow(reg, index, value);
        }
    }

    private void writeCntenClr(long value) {
        configWrites++;
        cnten &= ~(value & accessMask());
        stateWritten();
    }

    private void writeCntenSet(long value) {
        configWrites++;
        cnten |= value & accessMask();
        stateWritten();
    }

    private void writeOvsClr(long value) {
        ovs &= ~(value & accessMask());
        stateWritten();
    }

    private void writeEvcntr(int index, long value) {
        if (!cuIgnored(index)) {
            evcntr[index] = value & counterWidthMask;
        }
        counterWritten();
    }

    private void writeCcntr(long value) {
        ccntr = value;
        counterWritten();
    }

    /**
     * PMEVTYPER: false when it changes nothing (perf rewrites the same type at every event add),
     * so nothing derived need be recomputed. In writeAny: what a changed type recomputes would
     * make the small front too large to inline.
     */
    private boolean writeEvtyper(int index, long value) {
        if (evtyperUnchanged(index, value)) {
            return false;
        }
        evtyper[index] = value & evtyperWritable;
        evtyperChanged(index);
        return true;
    }

    /** Whether a PMEVTYPER write leaves the register as it is (see {@link #writeEvtyper}). */
    private boolean evtyperUnchanged(int index, long value) {
        return cuIgnored(index) || (value & evtyperWritable) == evtyper[index];
    }

    private void writeIntenClr(long value) {
        configWrites++;
        inten &= ~(value & accessMask());
        nextOverflowCached = NO_OVERFLOW_CACHED; // nothing refresh() derives depends on PMINTEN
    }

    private void writeIntenSet(long value) {
        configWrites++;
        inten |= value & accessMask();
        nextOverflowCached = NO_OVERFLOW_CACHED;
    }

    /** After a write to state refresh() derives from: recomputed once, before anything depends on it. */
    private void stateWritten() {
        nextOverflowCached = NO_OVERFLOW_CACHED;
        stateGen++;
        dirty = true;
    }

    /**
     * After a counter write: its next overflow moves, but nothing refresh() derives depends on a
     * counter's value (only on PMOVS, which a write here leaves alone).
     */
    private void counterWritten() {
        nextOverflowCached = NO_OVERFLOW_CACHED;
    }

    /** The registers the front does not take: counted in configWrites if they are configuration. */
    private void writeSlow(PmuRegister reg, int index, long value) {
        if (!isCountOrFlagRegister(reg)) {
            configWrites++;
        }
        writeAny(reg, index, value);
    }

    private void writeAny(PmuRegister reg, int index, long value) {
        if (eagerRefresh) {
            ensureFresh(); // a BRBE pause latches on the state before this write
        }
        long accessMask = accessMask();
        switch (reg) {
            case PMCR_EL0 -> {
                pmcr = value & pmcrWritable;
                if ((value & PmcrEl0.P) != 0) {
                    // Resets the event counters accessible here: both ranges at EL2, the first at EL0/EL1.
                    long m = accessMask & ~C_BIT;
                    for (int i = 0; i < n; i++) {
                        if ((m & (1L << i)) != 0) {
                            evcntr[i] = 0;
                        }
                    }
                }
                if ((value & PmcrEl0.C) != 0) {
                    ccntr = 0;
                }
            }
            case PMCNTENSET_EL0 -> cnten |= value & accessMask;
            case PMCNTENCLR_EL0 -> cnten &= ~(value & accessMask);
            case PMOVSSET_EL0 -> ovs |= value & accessMask;
            case PMOVSCLR_EL0 -> ovs &= ~(value & accessMask);
            case PMINTENSET_EL1 -> inten |= value & accessMask;
            case PMINTENCLR_EL1 -> inten &= ~(value & accessMask);
            case PMSWINC_EL0 -> {
                ensureFresh(); // what counts decides what increments
                softwareIncrement(value & accessMask & ~C_BIT);
            }
            case PMSELR_EL0 -> pmselr = PmselrEl0.sel(value); // never checked against HPMN (§1.3)
            case PMCCNTR_EL0 -> ccntr = value;
            case PMCCFILTR_EL0 -> {
                ccfiltr = value & FILTER_BITS;
                ccfiltrChanged();
            }
            case PMXEVTYPER_EL0 -> {
                if (pmselr == CYCLE_COUNTER) {
                    ccfiltr = value & FILTER_BITS;
                    ccfiltrChanged();
                } else {
                    writeChecked(PmuRegister.PMEVTYPER_EL0, pmselr, value);
                }
            }
            case PMXEVCNTR_EL0 -> writeChecked(PmuRegister.PMEVCNTR_EL0, pmselr, value);
            case PMUSERENR_EL0 -> pmuserenr = value & userenrWritable;
            case PMEVCNTR_EL0 -> {
                if (!cuIgnored(index)) {
                    evcntr[index] = value & counterWidthMask;
                }
            }
            case PMEVTYPER_EL0 -> {
                if (!writeEvtyper(index, value) && !eagerRefresh) {
                    return; // nothing changed, so nothing derived changes
                }
            }
            case MDCR_EL2 -> setMdcr(value & mdcrWritable);
            case BRBCR_EL1 -> brbcrEl1 = value & BRBCR_STORED;
            case BRBCR_EL2 -> brbcrEl2 = value & BRBCR_STORED;
            case BRBFCR_EL1 -> {
                boolean wasPaused = brbePaused();
                brbfcr = value & BRBFCR_STORED;
                if (wasPaused && !brbePaused()) {
                    brbeBlackoutNs += now - brbePausedAt;
                } else if (!wasPaused && brbePaused()) {
                    brbePausedAt = now;
                }
            }
            case HDFGRTR_EL2 -> hdfgrtr = value & HdfgxtrEl2.READ_PMU_MASK;
            case HDFGWTR_EL2 -> hdfgwtr = value & HdfgxtrEl2.WRITE_PMU_MASK;
            case PMCEID0_EL0, PMCEID1_EL0, PMMIR_EL1 -> throw new IllegalStateException(reg + " is read-only");
        }
        nextOverflowCached = NO_OVERFLOW_CACHED;
        if ((NO_DERIVED_STATE & (1L << reg.ordinal())) == 0) {
            // A driver writes several registers in a row; what counts is recomputed once, before
            // anything depends on it (no time passes between the writes).
            stateWritten();
        }
    }

    /** Registers (bits by ordinal) that nothing derived by refresh() depends on. */
    private static final long NO_DERIVED_STATE = ordinalBits(
            PmuRegister.PMSELR_EL0,
            PmuRegister.PMUSERENR_EL0,
            PmuRegister.PMINTENSET_EL1,
            PmuRegister.PMINTENCLR_EL1,
            PmuRegister.HDFGRTR_EL2,
            PmuRegister.HDFGWTR_EL2);

    private static long ordinalBits(PmuRegister... regs) {
        long bits = 0;
        for (PmuRegister r : regs) {
            if (r.ordinal() >= 64) {
                throw new IllegalStateException("PmuRegister outgrew a 64-bit mask");
            }
            bits |= 1L << r.ordinal();
        }
        return bits;
    }

    /** The PMCNTEN/PMINTEN/PMOVS/PMSWINC bits accessible at the current level, plus C (GetPMUWriteMask). */
    private long accessMask() {
        return el == ExceptionLevel.EL2 ? implementedMask : guestAccessMask;
    }

    /**
     * PMSWINC_EL0: each set bit increments its counter if that counter's event is SW_INCR and it
     * counts at the current level (D13.7.3). Bits beyond the accessible counters were masked off.
     */
    private void softwareIncrement(long bits) {
        int mask = version.eventNumberMask();
        for (int i = 0; i < n; i++) {
            if ((bits & (1L << i)) != 0 && (evtyper[i] & mask) == Events.SW_INCR && (countingMask & (1L << i)) != 0) {
                addToCounter(i, 1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Counting over time

    /** The time the PE's counters are up to date with. */
    public long now() {
        return now;
    }

    /**
     * How many writes this PE has taken to its configuration (every register but the counters
     * PMEVCNTR/PMXEVCNTR/PMCCNTR and the overflow flags PMOVSSET/PMOVSCLR), and resets: a caller
     * that derived something from the configuration can tell that none of it changed since.
     */
    public long configWrites() {
        return configWrites;
    }

    private static boolean isCountOrFlagRegister(PmuRegister reg) {
        return reg == PmuRegister.PMEVCNTR_EL0
                || reg == PmuRegister.PMCCNTR_EL0
                || reg == PmuRegister.PMXEVCNTR_EL0
                || reg == PmuRegister.PMOVSCLR_EL0
                || reg == PmuRegister.PMOVSSET_EL0;
    }

    public ExceptionLevel exceptionLevel() {
        return el;
    }

    public EventRates rates() {
        return rates;
    }

    /**
     * Brings every counter up to {@code time} under the current context, then makes
     * {@code level}/{@code newRates} the context from {@code time} on (an exception entry or
     * return, or a change in what runs).
     */
    public void switchContext(long time, ExceptionLevel level, EventRates newRates) {
        requireNonNull(level, "level is null");
        requireNonNull(newRates, "newRates is null");
        advanceTo(time);
        if (level == el && newRates == rates) {
            // Same context: refresh() would derive what advanceTo left in force (it refreshes at
            // every split point, and nothing else changed), so there is nothing to do.
            return;
        }
        this.el = level;
        if (newRates != rates) {
            this.rates = newRates;
            ratesStale = true;
        }
        if (eagerRefresh) {
            refresh();
        } else {
            dirty = true;
        }
    }

    /**
     * Enters EL2 at {@code time} for host kernel work that takes no simulated time on this PE (its
     * cost is accounted elsewhere): the counters are brought up to {@code time}, and the level and
     * rates in force are restored by the matching {@link #exitEl2()}. Nests, so the perf core and
     * KVM can bracket their accesses independently with one state per PE.
     */
    public void enterEl2(long time) {
        // A small front the JIT inlines: the perf core's brackets nest in KVM's.
        if (el2Depth++ == 0) {
            enterEl2Outermost(time);
        }
    }

    private void enterEl2Outermost(long time) {
        advanceTo(time);
        if (el != ExceptionLevel.EL2) {
            el2SavedLevel = el;
            switchContext(time, ExceptionLevel.EL2, rates);
        }
    }

    /** Leaves the outermost {@link #enterEl2} bracket, returning to the level it found. */
    public void exitEl2() {
        if (el2Depth <= 0) {
            throw new IllegalStateException("exitEl2 without enterEl2");
        }
        if (--el2Depth > 0) {
            return;
        }
        if (el2SavedLevel != null) {
            switchContext(now, el2SavedLevel, rates);
            el2SavedLevel = null;
        }
    }

    /** Changes the Exception level at the current time, keeping the rates (a pmuscript's {@code el}). */
    public void setExceptionLevel(ExceptionLevel level) {
        switchContext(now, level, rates);
    }

    /**
     * Counts every event that happened between {@link #now()} and {@code time} under the current
     * context. Splits only at overflows that freeze counters or pause BRBE, at their exact time.
     */
    public void advanceTo(long time) {
        // A small front the JIT inlines: most calls come at the instant the PE is already at.
        if (time != now || eagerRefresh) {
            advance(time);
        }
        // else nothing to count; derived state is recomputed when next needed
    }

    private void advance(long time) {
        ensureFresh();
        if (time < now) {
            throw new IllegalArgumentException("time goes backwards: " + time + " < " + now);
        }
        while (now < time) {
            long end = time;
            if (freezeSensitiveMask != 0) {
                long first = firstOverflowAfter(freezeSensitiveMask, time - now);
                if (first != Long.MAX_VALUE) {
                    end = now + first;
                }
            }
            countSegment(end - now);
            now = end;
            if (freezeSensitiveMask != 0) {
                refresh();
            }
        }
    }

    /** Counts {@code dt} ns of events into every rate-driven counter; closed form, no allocation. */
    private void countSegment(long dt) {
        int base = rateBase;
        // The event counters first, in index order, then the cycle counter (index 31), as the mask's bits go.
        for (long m = rateDrivenMask & ~C_BIT; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            addToCounter(i, eventsIn(dt, base, i));
        }
        if ((rateDrivenMask & C_BIT) != 0) {
            long events = eventsIn(dt, base, cycleIndex);
            if (cyclePrescaled()) {
                long total = cyclePrescale + events;
                events = total >>> 6;
                cyclePrescale = (int) (total & 63);
            }
            addToCounter(CYCLE_COUNTER, events);
        }
    }

    /**
     * The events of {@code dt} ns at the rate at {@code base + k}, with the fraction at {@code k}
     * carried: floor((frac + dt * rate) / 2^32), the new fraction kept.
     */
    private long eventsIn(long dt, int base, int k) {
        long rate = rateQ32[base + k];
        long frac = fracQ32[k];
        fracQ32[k] = EventRates.fractionAfter(dt, rate, frac);
        return EventRates.wholeEvents(dt, rate, frac);
    }

    private boolean cyclePrescaled() {
        return (pmcr & PmcrEl0.D) != 0 && (pmcr & PmcrEl0.LC) == 0;
    }

    /**
     * Adds {@code events} to counter {@code i}: all 64 bits increment (32 before PMUv3p5), the
     * overflow flag is set on a carry out of bit 31 or 63 as the counter's overflow width says, and
     * an odd neighbour counting CHAIN counts the carries of an even counter (D13.3, §2.10).
     */
    private void addToCounter(int i, long events) {
        if (events == 0) {
            return;
        }
        long old;
        long updated;
        if (i == CYCLE_COUNTER) {
            old = ccntr;
            updated = old + events;
            ccntr = updated;
        } else {
            old = evcntr[i];
            updated = (old + events) & counterWidthMask;
            evcntr[i] = updated;
        }
        long wraps = PmevcntrEl0.overflows(old, events, (overflowAt64Mask & (1L << i)) != 0);
        if (wraps == 0) {
            return;
        }
        ovs |= 1L << i;
        stateGen++; // what counts may freeze (refresh() runs at the split of a freezing overflow)
        int odd = i + 1;
        if (i != CYCLE_COUNTER
                && (i & 1) == 0
                && odd < n
                && (countingMask & (1L << odd)) != 0
                && (evtyper[odd] & version.eventNumberMask()) == Events.CHAIN) {
            addToCounter(odd, wraps);
        }
    }

    /**
     * The earliest interval (ns from now, at most {@code horizon}) after which one of the counters in
     * {@code mask} overflows under the current context, or {@code Long.MAX_VALUE} if none does.
     */
    private long firstOverflowAfter(long mask, long horizon) {
        long best = Long.MAX_VALUE;
        long m = mask;
        while (m != 0) {
            int i = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            long dt = timeToOverflow(i);
            if (dt <= horizon && dt < best) {
                best = dt;
            }
        }
        return best;
    }

    /** Increments counter {@code i} needs before its next overflow (2^64 is reported as 0). */
    private long incrementsToOverflow(int i) {
        long value = i == CYCLE_COUNTER ? ccntr : evcntr[i];
        return PmevcntrEl0.incrementsToOverflow(value, (overflowAt64Mask & (1L << i)) != 0);
    }

    /** ns from now until counter {@code i} next overflows under the current context (MAX_VALUE if never). */
    private long timeToOverflow(int i) {
        if ((countingMask & (1L << i)) == 0) {
            return Long.MAX_VALUE;
        }
        long k = incrementsToOverflow(i); // unsigned; 0 stands for 2^64
        if (i != CYCLE_COUNTER && (i & 1) == 1 && (evtyper[i] & version.eventNumberMask()) == Events.CHAIN) {
            // The odd half of a chained pair overflows at the k-th carry of its even neighbour.
            int even = i - 1;
            if ((rateDrivenMask & (1L << even)) == 0) {
                return Long.MAX_VALUE;
            }
            return OverflowTime.afterChainedCarries(
                    k,
                    incrementsToOverflow(even),
                    (overflowAt64Mask & (1L << even)) != 0,
                    fracQ32[even],
                    rateQ32[rateBase + even]);
        }
        if ((rateDrivenMask & (1L << i)) == 0) {
            return Long.MAX_VALUE;
        }
        if (i == CYCLE_COUNTER) {
            long frac = fracQ32[cycleIndex];
            long rate = rateQ32[rateBase + cycleIndex];
            return cyclePrescaled()
                    ? OverflowTime.afterPrescaledIncrements(k, cyclePrescale, frac, rate)
                    : OverflowTime.afterIncrements(k, frac, rate);
        }
        return OverflowTime.afterIncrements(k, fracQ32[i], rateQ32[rateBase + i]);
    }

    /**
     * The absolute time at which an interrupt-enabled counter next overflows under the current
     * context, or {@code Long.MAX_VALUE} if none will. The interrupt request then follows
     * {@link #irqAsserted()}. Computed, never found by stepping.
     */
    public long nextOverflowTime() {
        ensureFresh();
        if (nextOverflowCached > now) {
            return nextOverflowCached;
        }
        long m = countingMask & inten;
        long best = Long.MAX_VALUE;
        while (m != 0) {
            int i = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            long dt = timeToOverflow(i);
            if (dt < best) {
                best = dt;
            }
        }
        if (best == Long.MAX_VALUE || best > Long.MAX_VALUE - now) {
            return Long.MAX_VALUE;
        }
        nextOverflowCached = now + best;
        return nextOverflowCached;
    }

    /**
     * Recomputes what counts and how fast after a change of registers or context, and applies the
     * freeze conditions that depend on overflow flags (PMU freeze, BRBE pause). Called outside the
     * advance loop only, and at the split points inside it.
     */
    private void ensureFresh() {
        if (dirty) {
            dirty = false;
            refresh();
        }
    }

    private void refresh() {
        dirty = false;
        nextOverflowCached = NO_OVERFLOW_CACHED;
        if (ratesStale) {
            selectSlot();
        }
        int s = slot;
        if (slotMeta[s * SLOT_STRIDE + STALE] != 0 || !keepDerived) {
            checkSlot(s);
        }
        // BRBE first: a pause depends only on flags and controls, and does not change counting.
        updateBrbeFreeze();
        int key = (s * 3 + el.ordinal()) * DERIVED_STRIDE;
        long[] d = derived;
        if (d[key + D_GEN] == stateGen && keepDerived) {
            countingMask = d[key + D_COUNTING];
            rateDrivenMask = d[key + D_RATE_DRIVEN];
            freezeSensitiveMask = d[key + D_FREEZE_SENSITIVE];
            overflowAt64Mask = d[key + D_OVERFLOW_AT64];
            return;
        }
        if (levelFreeGen != stateGen || !keepDerived) {
            deriveLevelFree();
        }
        long counting;
        long filterPass;
        switch (el) {
            case EL0 -> {
                counting = unfilteredCountingLow;
                filterPass = filterPassEl0;
            }
            case EL1 -> {
                counting = unfilteredCountingLow;
                filterPass = filterPassEl1;
            }
            default -> {
                counting = unfilteredCountingEl2;
                filterPass = filterPassEl2;
            }
        }
        counting &= filterPass;
        countingMask = counting;
        rateDrivenMask = counting & slotMeta[s * SLOT_STRIDE + NON_ZERO];
        freezeSensitiveMask = keepDerived ? freezeSensitiveUnmasked & counting : computeFreezeSensitive();
        overflowAt64Mask = levelFreeOverflowAt64;
        if (keepDerived) {
            d[key + D_GEN] = stateGen;
            d[key + D_COUNTING] = countingMask;
            d[key + D_RATE_DRIVEN] = rateDrivenMask;
            d[key + D_FREEZE_SENSITIVE] = freezeSensitiveMask;
            d[key + D_OVERFLOW_AT64] = overflowAt64Mask;
        }
    }

    /**
     * CountPMUEvents (Arm ARM J1.3; pmuv3-architecture.md §5) for every counter at once, all but
     * the filters (P/U/NSH, applied per level by refresh()): enabled (PMCNTENSET and PMCR.E for the
     * first range, MDCR_EL2.HPME for the second), not prohibited (HPMD at EL2), not frozen (FZO,
     * HPMFZO), for below EL2 and for EL2; and the overflow widths. Depends only on registers whose
     * writes bump {@link #stateGen}, so it is kept until the next bump.
     */
    private void deriveLevelFree() {
        levelFreeGen = stateGen;
        long r1 = firstRangeEventMask();
        long r2 = lowBits(n) & ~r1;
        long enabled = cnten & (((pmcr & PmcrEl0.E) != 0 ? r1 : 0) | ((mdcr & MdcrEl2.HPME) != 0 ? r2 : 0));
        // HPMD (p1) prohibits the first range at EL2; the second range is never prohibited here.
        boolean hpmd = version.atLeast(PmuVersion.P1) && (mdcr & MdcrEl2.HPMD) != 0;
        boolean r1Frozen = firstRangeFrozen();
        long r2Stopped = secondRangeFrozen() ? r2 : 0;
        long stoppedLow = (r1Frozen ? r1 : 0) | r2Stopped;
        long stoppedEl2 = (hpmd || r1Frozen ? r1 : 0) | r2Stopped;
        // The cycle counter is first-range; prohibition and freeze stop it only with PMCR.DP,
        // and HCCD (p5) stops it at EL2 regardless.
        boolean ccOn = (cnten & C_BIT) != 0 && (pmcr & PmcrEl0.E) != 0;
        boolean dp = (pmcr & PmcrEl0.DP) != 0;
        boolean ccLow = ccOn && !(r1Frozen && dp);
        boolean ccEl2 =
                ccOn && !((hpmd || r1Frozen) && dp) && !(version.atLeast(PmuVersion.P5) && (mdcr & MdcrEl2.HCCD) != 0);
        unfilteredCountingLow = (enabled & ~stoppedLow & ~C_BIT) | (ccLow ? C_BIT : 0);
        unfilteredCountingEl2 = (enabled & ~stoppedEl2 & ~C_BIT) | (ccEl2 ? C_BIT : 0);
        freezeSensitiveUnmasked = freezeSensitiveUnmasked();
        levelFreeOverflowAt64 = computeOverflowAt64Mask();
    }

    /**
     * What counter {@code i}'s programmed event generates under the current rates: nothing for
     * SW_INCR and CHAIN (counted by software and by carries), and nothing for an event the PE does
     * not implement (PMUv3p8 behaviour, model choice D8).
     */
    private void evtyperChanged(int i) {
        int event = (int) (evtyper[i] & version.eventNumberMask());
        int rateDriven =
                event == Events.SW_INCR || event == Events.CHAIN || !implementsEvent(event) ? NOT_RATE_DRIVEN : event;
        if (rateDriven != rateEvent[i]) {
            rateEvent[i] = rateDriven;
            long bit = 1L << i;
            for (int k = 0; k < RATE_SLOTS; k++) {
                slotMeta[k * SLOT_STRIDE + STALE] |= bit; // every slot re-looks counter i up when next selected
            }
        }
        setFilterPass(i, evtyper[i]);
    }

    private void ccfiltrChanged() {
        setFilterPass(CYCLE_COUNTER, ccfiltr);
    }

    /** PmuConfig.implementsEvent, from a bitmap for the common events (0x00..0xff). */
    private boolean implementsEvent(int event) {
        if (event >= 0 && event < 0x100) {
            return (implementedCommonEvents[event >>> 6] & (1L << event)) != 0;
        }
        return config.implementsEvent(event);
    }

    /**
     * Records in the per-level masks whether counter {@code i}'s filter bits let it count at each
     * level: the Non-secure rows of the filtering table (Arm ARM D13.6; pmuv3-architecture.md §1.6).
     */
    private void setFilterPass(int i, long filter) {
        long bit = 1L << i;
        boolean el0 = ((filter & PmevtyperEl0.U) != 0) == ((filter & PmevtyperEl0.NSU) != 0);
        boolean el1 = ((filter & PmevtyperEl0.P) != 0) == ((filter & PmevtyperEl0.NSK) != 0);
        boolean el2 = (filter & PmevtyperEl0.NSH) != 0;
        filterPassEl0 = (filterPassEl0 & ~bit) | (el0 ? bit : 0);
        filterPassEl1 = (filterPassEl1 & ~bit) | (el1 ? bit : 0);
        filterPassEl2 = (filterPassEl2 & ~bit) | (el2 ? bit : 0);
    }

    /** Makes the current rates' slot current, filling the least recently used slot if none has them. */
    private void selectSlot() {
        ratesStale = false;
        EventRates r = rates;
        // The slots' rates are eight compressed references, one cache line: a scan costs less
        // than a hint kept elsewhere, whose loads depend on each other.
        int s = -1;
        for (int k = 0; k < RATE_SLOTS; k++) {
            if (slotRates[k] == r) {
                s = k;
                break;
            }
        }
        if (s < 0) {
            s = 0;
            for (int k = 1; k < RATE_SLOTS; k++) {
                if (slotMeta[k * SLOT_STRIDE + USED] < slotMeta[s * SLOT_STRIDE + USED]) {
                    s = k;
                }
            }
            slotRates[s] = r;
            java.util.Arrays.fill(slotRateEvent, s * 32, s * 32 + 32, RATE_EVENT_UNKNOWN);
            slotMeta[s * SLOT_STRIDE + STALE] = implementedMask; // checkSlot looks every counter up
        }
        slotMeta[s * SLOT_STRIDE + USED] = ++slotClock;
        slot = s;
        rateBase = s * 32;
    }

    /**
     * Looks up, in slot {@code s}'s rates, each counter whose event changed since the slot last
     * looked it up (every counter without keepDerived), and forgets what refresh() derived under
     * the slot's old rates.
     */
    private void checkSlot(int s) {
        EventRates r = slotRates[s];
        long[] q = rateQ32;
        int[] looked = slotRateEvent;
        int base = s * 32;
        int meta = s * SLOT_STRIDE;
        long nonZero = slotMeta[meta + NON_ZERO];
        boolean changed = false;
        // Only the counters whose event changed since the slot's last check; every one without keepDerived.
        long check = keepDerived ? slotMeta[meta + STALE] & ~C_BIT : lowBits(n);
        slotMeta[meta + STALE] = 0;
        for (long m = check; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            int event = rateEvent[i];
            if (looked[base + i] != event || !keepDerived) {
                looked[base + i] = event;
                long rate = event == NOT_RATE_DRIVEN ? 0 : r.rateQ32(event);
                q[base + i] = rate;
                nonZero = rate != 0 ? nonZero | (1L << i) : nonZero & ~(1L << i);
                changed = true;
            }
        }
        if (looked[base + CYCLE_COUNTER] != Events.CPU_CYCLES || !keepDerived) {
            looked[base + CYCLE_COUNTER] = Events.CPU_CYCLES;
            long rate = r.rateQ32(Events.CPU_CYCLES);
            q[base + cycleIndex] = rate; // next to the event counters' (see fracQ32)
            nonZero = rate != 0 ? nonZero | C_BIT : nonZero & ~C_BIT;
            changed = true;
        }
        slotMeta[meta + NON_ZERO] = nonZero;
        if (changed) {
            int e = s * 3 * DERIVED_STRIDE;
            derived[e + D_GEN] = -1;
            derived[e + DERIVED_STRIDE + D_GEN] = -1;
            derived[e + 2 * DERIVED_STRIDE + D_GEN] = -1;
        }
    }

    /** Counters whose next overflow changes what counts (freeze) or pauses BRBE, so an advance must split there. */
    private long computeFreezeSensitive() {
        long r1 = firstRangeEventMask();
        long r2 = secondRangeMask();
        long sensitive = freezeSensitiveUnmasked();
        if (config.brbe() && !brbePaused() && branchRecordAllowed()) {
            if ((brbcrEl1 & BrbcrElx.FZP) != 0) {
                sensitive |= r1;
            }
            if ((brbcrEl2 & BrbcrElx.FZP) != 0) {
                sensitive |= r2;
            }
        }
        return sensitive & countingMask;
    }

    /**
     * The counters whose next overflow freezes counters (PMCR.FZO for the first range, HPMFZO for
     * the second, while no counter of the range has overflowed), whether or not they count: a
     * function of PMCR, MDCR_EL2 and PMOVS only.
     */
    private long freezeSensitiveUnmasked() {
        long r1 = firstRangeEventMask();
        long r2 = secondRangeMask();
        long sensitive = 0;
        if ((pmcr & PmcrEl0.FZO) != 0 && (ovs & r1) == 0) {
            sensitive |= r1;
        }
        if ((mdcr & MdcrEl2.HPMFZO) != 0 && (ovs & r2) == 0) {
            sensitive |= r2;
        }
        return sensitive;
    }

    // ---------------------------------------------------------------------------------------------
    // BRBE freeze on PMU overflow (Arm ARM D19.3; rules RNXCWF, RGXGWY)

    /** BranchRecordAllowed() for the current level, from the BRBCR_ELx enables. */
    private boolean branchRecordAllowed() {
        return switch (el) {
            case EL0 -> (brbcrEl1 & BrbcrElx.E0BRE) != 0;
            case EL1 -> (brbcrEl1 & BrbcrElx.EXBRE) != 0;
            case EL2 -> (brbcrEl2 & BrbcrElx.EXBRE) != 0;
        };
    }

    /**
     * ShouldBRBEFreeze(): BRBCR_EL1.FZP with a first-range event-counter overflow, or BRBCR_EL2.FZP
     * with a second-range one; neither the enables nor PMINTEN matter, and the cycle counter never
     * freezes BRBE.
     */
    private void updateBrbeFreeze() {
        if (!config.brbe() || brbePaused() || !branchRecordAllowed()) {
            return;
        }
        boolean r1 = (brbcrEl1 & BrbcrElx.FZP) != 0 && (ovs & firstRangeEventMask()) != 0;
        boolean r2 = (brbcrEl2 & BrbcrElx.FZP) != 0 && (ovs & secondRangeMask()) != 0;
        if (r1 || r2) {
            brbfcr |= BrbfcrEl1.PAUSED;
            brbePausedAt = now;
        }
    }

    /** BRBFCR_EL1.PAUSED. */
    public boolean brbePaused() {
        ensureFresh();
        return (brbfcr & BrbfcrEl1.PAUSED) != 0;
    }

    /** Total time BRBE recording has been paused by a freeze, up to {@link #now()}. */
    public long brbeBlackoutNs() {
        ensureFresh();
        return brbeBlackoutNs + (brbePaused() ? now - brbePausedAt : 0);
    }

    // ---------------------------------------------------------------------------------------------
    // Whole-state views, for save/restore, tests and reports

    /** Every event counter value (index 0..N-1) as EL2 would read it. */
    public long eventCounter(int i) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("event counter " + i + " (N=" + n + ")");
        }
        return evcntr[i];
    }

    /**
     * A copy of the whole architectural state plus the lazy-counting remainders, for equality
     * checks (lazy advance against stepwise advance) and for debugging.
     */
    public Snapshot snapshot() {
        ensureFresh();
        return new Snapshot(
                now,
                el,
                pmcr,
                mdcr,
                cnten,
                inten,
                ovs,
                pmselr,
                pmuserenr,
                evcntr.clone(),
                evtyper.clone(),
                ccntr,
                ccfiltr,
                brbcrEl1,
                brbcrEl2,
                brbfcr,
                brbeBlackoutNs(),
                fracQ32.clone(),
                cyclePrescale);
    }

    /** Architectural state at one moment; arrays are copies. */
    public record Snapshot(
            long now,
            ExceptionLevel el,
            long pmcr,
            long mdcr,
            long pmcnten,
            long pminten,
            long pmovs,
            int pmselr,
            long pmuserenr,
            long[] pmevcntr,
            long[] pmevtyper,
            long pmccntr,
            long pmccfiltr,
            long brbcrEl1,
            long brbcrEl2,
            long brbfcr,
            long brbeBlackoutNs,
            long[] fracQ32,
            int cyclePrescale) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s
                    && now == s.now
                    && el == s.el
                    && pmcr == s.pmcr
                    && mdcr == s.mdcr
                    && pmcnten == s.pmcnten
                    && pminten == s.pminten
                    && pmovs == s.pmovs
                    && pmselr == s.pmselr
                    && pmuserenr == s.pmuserenr
                    && java.util.Arrays.equals(pmevcntr, s.pmevcntr)
                    && java.util.Arrays.equals(pmevtyper, s.pmevtyper)
                    && pmccntr == s.pmccntr
                    && pmccfiltr == s.pmccfiltr
                    && brbcrEl1 == s.brbcrEl1
                    && brbcrEl2 == s.brbcrEl2
                    && brbfcr == s.brbfcr
                    && brbeBlackoutNs == s.brbeBlackoutNs
                    && java.util.Arrays.equals(fracQ32, s.fracQ32)
                    && cyclePrescale == s.cyclePrescale;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(
                    now,
                    el,
                    pmcr,
                    mdcr,
                    pmcnten,
                    pminten,
                    pmovs,
                    pmselr,
                    pmuserenr,
                    java.util.Arrays.hashCode(pmevcntr),
                    java.util.Arrays.hashCode(pmevtyper),
                    pmccntr,
                    pmccfiltr,
                    brbfcr,
                    brbeBlackoutNs,
                    java.util.Arrays.hashCode(fracQ32),
                    cyclePrescale);
        }

        @Override
        public String toString() {
            return String.format(
                    "Snapshot[now=%d el=%s pmcr=%x mdcr=%x cnten=%x inten=%x ovs=%x sel=%d userenr=%x "
                            + "cntr=%s typer=%s ccntr=%x ccfiltr=%x brbfcr=%x blackout=%d frac=%s prescale=%d]",
                    now,
                    el,
                    pmcr,
                    mdcr,
                    pmcnten,
                    pminten,
                    pmovs,
                    pmselr,
                    pmuserenr,
                    java.util.Arrays.toString(pmevcntr),
                    java.util.Arrays.toString(pmevtyper),
                    pmccntr,
                    pmccfiltr,
                    brbfcr,
                    brbeBlackoutNs,
                    java.util.Arrays.toString(fracQ32),
                    cyclePrescale);
        }
    }

    private static long lowBits(int count) {
        return count >= 64 ? -1L : (1L << count) - 1;
    }
}
