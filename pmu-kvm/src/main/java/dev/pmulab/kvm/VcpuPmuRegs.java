package dev.pmulab.kvm;

import static dev.pmulab.kvm.KvmUapi.ARMV8_PMU_CYCLE_IDX;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevcntrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.hw.regs.PmselrEl0;
import dev.pmulab.hw.regs.PmuserenrEl0;
import java.util.Arrays;

/**
 * One vCPU's PMU system registers as KVM keeps them in its sys_regs array, with the rules
 * sys_regs.c applies to guest traps and to KVM_{GET,SET}_ONE_REG (kvm-vpmu-uapi.md §1.6, §2.1,
 * §2.3): PMCR_EL0.N composed from the VM's counter count, the enable/interrupt/overflow bitmaps
 * masked to the implemented counters, UNDEFINED for counters at or above N, the PMEVTYPER mask, the
 * PMCR_EL0 C/P side effects, and software increment with chaining.
 *
 * <p>Counter values here are KVM's shadow registers. Events that have a perf event behind them
 * count in the emulated vPMU, which adds their counts on top; SW_INCR and CHAIN, which never have
 * one (§2.2), count here through {@link #counterIncrement}.
 */
public final class VcpuPmuRegs {
    private static final long C_BIT = 1L << ARMV8_PMU_CYCLE_IDX;
    /**
     * What sys_regs.h reset_unknown() stores in a register whose reset value the architecture
     * leaves UNKNOWN; each PMU register's reset function then masks it to the bits it implements.
     */
    static final long RESET_UNKNOWN = 0x1de7ec7edbadc0deL;

    private final Vcpu vcpu;
    /** The vCPU's VM, held directly: N and PMUVer are read at every guest access. */
    private final Vm vm;

    private long pmcr; // bits [7:0] without C and P; N is composed on read
    private long pmcnten;
    private long pminten;
    private long pmovs;
    private long pmselr;
    private long pmuserenr;
    private long pmccntr;
    private long pmccfiltr;
    private final long[] pmevcntr = new long[31];
    private final long[] pmevtyper = new long[31];
    /** Resets, reloads and writes (guest or userspace); counter increments are not counted. */
    private long writes;

    private long controlWrites;

    VcpuPmuRegs(Vcpu vcpu) {
        this.vcpu = vcpu;
        this.vm = vcpu.vm();
    }

    /**
     * kvm_reset_sys_regs()'s PMU part, each register by its sys_reg_descs reset function, with
     * {@link #RESET_UNKNOWN} where the architecture leaves the value UNKNOWN:
     * <ul>
     *   <li>PMCR_EL0: reset_pmcr(), 0 (LC where it is RES1); N is not stored, so it survives;</li>
     *   <li>PMCNTEN{SET,CLR}, PMINTEN{SET,CLR}, PMOVS{SET,CLR}: reset_pmu_reg(), UNKNOWN masked to
     *       the implemented counters, BIT(31) | GENMASK(N-1, 0) (§2.1);</li>
     *   <li>PMSELR_EL0: reset_pmselr(), UNKNOWN masked to SEL [4:0];</li>
     *   <li>PMCCNTR_EL0: reset_unknown(), all 64 bits;</li>
     *   <li>PMEVCNTR&lt;n&gt;_EL0: reset_pmevcntr(), UNKNOWN masked to [31:0], all 31 of them;</li>
     *   <li>PMEVTYPER&lt;n&gt;_EL0: reset_pmevtyper(), UNKNOWN masked with kvm_pmu_evtyper_mask(),
     *       which follows the VM's PMUVer at the time of the reset (0 without the PMU feature);</li>
     *   <li>PMUSERENR_EL0 and PMCCFILTR_EL0: reset_val() 0.</li>
     * </ul>
     */
    void reset() {
        writes++;
        controlWrites++;
        pmcr = vcpu.vm().host().aarch32El0Supported() ? 0 : PmcrEl0.LC;
        long mask = implementedCounterMask();
        pmcnten = RESET_UNKNOWN & mask;
        pminten = RESET_UNKNOWN & mask;
        pmovs = RESET_UNKNOWN & mask;
        pmselr = RESET_UNKNOWN & PmselrEl0.SEL_MASK;
        pmuserenr = 0;
        pmccntr = RESET_UNKNOWN;
        pmccfiltr = 0;
        Arrays.fill(pmevcntr, RESET_UNKNOWN & PmevcntrEl0.LOW32);
        Arrays.fill(pmevtyper, vcpu.hasPmu() ? RESET_UNKNOWN & evtyperMask() : 0);
    }

    /**
     * KVM_REQ_RELOAD_PMU, as processed before guest entry (§2.1, §1.6): drops bitmap bits of
     * counters at or above the guest's PMCR_EL0.N, and PMCR_EL0.LP that a userspace write left on
     * a guest without PMUv3p5 (the VM's PMUVer, which userspace may have lowered).
     */
    void reload() {
        writes++;
        controlWrites++;
        long mask = implementedCounterMask();
        pmcnten &= mask;
        pminten &= mask;
        pmovs &= mask;
        if (!guestHasPmuV3p5()) {
            pmcr &= ~PmcrEl0.LP;
        }
    }

    /**
     * How many times the registers were reset, reloaded or written: the same count means the same
     * PMCR, enables and event types (counter values and PMOVS also move by counterIncrement).
     */
    public long writes() {
        return writes;
    }

    /**
     * How many times PMCR_EL0, PMCNTENSET/CLR or an event type (PMEVTYPER, PMCCFILTR) was written,
     * or the registers reset or reloaded: the same count means the same PMCR, enables and event
     * types, whatever else (counters, PMOVS, PMINTEN, PMSELR, PMUSERENR) was written.
     */
    public long controlWrites() {
        return controlWrites;
    }

    /** PMCR_EL0.N: the VM's nr_pmu_counters. */
    public int n() {
        return vm.nrPmuCounters;
    }

    /** kvm_vcpu_read_pmcr(): PMCR_EL0 with N = nr_pmu_counters (§1.6). */
    public long pmcr() {
        return PmcrEl0.withN(pmcr, n());
    }

    /** kvm_pmu_implemented_counter_mask(): BIT(31) | GENMASK(N-1, 0) (§2.1). */
    public long implementedCounterMask() {
        return C_BIT | ((1L << n()) - 1);
    }

    public long pmcnten() {
        return pmcnten & implementedCounterMask();
    }

    public long pminten() {
        return pminten & implementedCounterMask();
    }

    public long pmovs() {
        return pmovs & implementedCounterMask();
    }

    /**
     * The overflow status that drives the PMU interrupt line (§2.4, newer code): PMOVSSET and
     * PMINTENSET, nothing while PMCR_EL0.E is 0; PMCNTENSET does not matter.
     */
    public long overflowStatus() {
        return (pmcr & PmcrEl0.E) == 0 ? 0 : pmovs() & pminten();
    }

    /** PMEVTYPER&lt;idx&gt;_EL0, or PMCCFILTR_EL0 for index 31. */
    public long eventType(int idx) {
        checkIndex(idx);
        return idx == ARMV8_PMU_CYCLE_IDX ? pmccfiltr : pmevtyper[idx];
    }

    /** The shadow value of counter {@code idx} (31: the cycle counter), truncated unless 64-bit. */
    public long counterValue(int idx) {
        checkIndex(idx);
        long raw = idx == ARMV8_PMU_CYCLE_IDX ? pmccntr : pmevcntr[idx];
        return is64bit(idx) ? raw : raw & PmevcntrEl0.LOW32;
    }

    /**
     * kvm_pmc_is_64bit(): the cycle counter always, every counter if the guest has PMUv3p5 (§2.3),
     * by the VM's ID_AA64DFR0_EL1.PMUVer.
     */
    public boolean is64bit(int idx) {
        return idx == ARMV8_PMU_CYCLE_IDX || guestHasPmuV3p5();
    }

    /** kvm_pmc_has_64bit_overflow(): PMCR_EL0.LC for the cycle counter, LP for 64-bit event counters. */
    public boolean has64bitOverflow(int idx) {
        if (idx == ARMV8_PMU_CYCLE_IDX) {
            return (pmcr & PmcrEl0.LC) != 0;
        }
        return is64bit(idx) && (pmcr & PmcrEl0.LP) != 0;
    }

    /**
     * kvm_pmu_counter_increment(): adds one to every counter of {@code mask} (indices below 31) that
     * is enabled, under PMCR_EL0.E, and whose event is {@code event}; a wrap sets its PMOVSSET bit
     * and, for an even counter that can chain, increments the next one if its event is CHAIN
     * (§2.3). PMSWINC calls it with SW_INCR; the vPMU's overflow handler with CHAIN.
     */
    public void counterIncrement(long mask, int event) {
        if ((pmcr & PmcrEl0.E) == 0) {
            return;
        }
        long m = mask & pmcnten & implementedCounterMask() & ~C_BIT;
        int eventMask = vcpu.vm().pmu().eventMask();
        for (int i = 0; i < ARMV8_PMU_CYCLE_IDX; i++) {
            if ((m & (1L << i)) == 0 || (pmevtyper[i] & eventMask) != event) {
                continue;
            }
            long old = pmevcntr[i];
            long v = old + 1;
            if (!is64bit(i)) {
                v &= PmevcntrEl0.LOW32;
            }
            pmevcntr[i] = v;
            if (PmevcntrEl0.overflows(old, 1, has64bitOverflow(i)) == 0) {
                continue;
            }
            pmovs |= 1L << i;
            if (canChain(i)) {
                counterIncrement(1L << (i + 1), Events.CHAIN);
            }
        }
    }

    /** kvm_pmu_counter_can_chain(): an even counter with a successor below 31 and 32-bit overflow. */
    public boolean canChain(int idx) {
        return (idx & 1) == 0 && idx + 1 < ARMV8_PMU_CYCLE_IDX && !has64bitOverflow(idx);
    }

    // ---- guest traps (sys_regs.c access_pm*) ----

    /**
     * A trapped guest MRS handled on this state alone (sys_regs.c access_pm*). Counter registers
     * return the shadow value: the vPMU (dev.pmulab.kvm.vpmu) adds its perf event's count on top.
     *
     * @throws GuestSyncException for an access KVM makes UNDEFINED (index at or above N, EL2 or BRBE registers)
     */
    public long guestRead(PmuRegister reg, int n) {
        return switch (reg) {
            // The saved state reads the same through a trap as through ONE_REG.
            case PMCR_EL0,
                    PMCNTENSET_EL0,
                    PMCNTENCLR_EL0,
                    PMINTENSET_EL1,
                    PMINTENCLR_EL1,
                    PMOVSSET_EL0,
                    PMOVSCLR_EL0,
                    PMSELR_EL0,
                    PMCCNTR_EL0,
                    PMCCFILTR_EL0,
                    PMUSERENR_EL0 -> userGet(reg, n);
            case PMCEID0_EL0 -> vcpu.vm().pmu().pmceid0();
            case PMCEID1_EL0 -> vcpu.vm().pmu().pmceid1();
            case PMXEVCNTR_EL0 -> counterValue(checkedIndex(selected(), reg, n));
            case PMXEVTYPER_EL0 -> eventType(checkedIndex(selected(), reg, n));
            case PMEVCNTR_EL0 -> counterValue(checkedIndex(n, reg, n));
            case PMEVTYPER_EL0 -> eventType(checkedIndex(n, reg, n));
            case PMMIR_EL1 -> 0; // RAZ: KVM does not describe the PMU's slots (§2.5)
            // Write-only, EL2 and BRBE registers: KVM gives the guest none of them.
            case PMSWINC_EL0, MDCR_EL2, BRBCR_EL1, BRBCR_EL2, BRBFCR_EL1, HDFGRTR_EL2, HDFGWTR_EL2 ->
                throw undefined(reg, n, "MRS");
        };
    }

    /**
     * A trapped guest MSR applied to this state alone (sys_regs.c access_pm*); the vPMU
     * (dev.pmulab.kvm.vpmu) does the perf side effects (re-creating events, reprogramming enables).
     *
     * @throws GuestSyncException for an access KVM makes UNDEFINED (index at or above N, read-only,
     *     EL2 or BRBE registers)
     */
    public void guestWrite(PmuRegister reg, int n, long value) {
        writes++;
        long mask = implementedCounterMask();
        switch (reg) {
            case PMCR_EL0 -> handlePmcr(value);
            // The SET/CLR pairs change the bitmaps as a ONE_REG write does.
            case PMCNTENSET_EL0, PMCNTENCLR_EL0, PMINTENSET_EL1, PMINTENCLR_EL1, PMOVSSET_EL0, PMOVSCLR_EL0 ->
                userSet(reg, n, value);
            case PMSWINC_EL0 -> counterIncrement(value & mask, Events.SW_INCR);
            case PMSELR_EL0 -> pmselr = value & PmselrEl0.SEL_MASK;
            case PMCCNTR_EL0 -> pmccntr = value;
            case PMCCFILTR_EL0 -> setEventType(ARMV8_PMU_CYCLE_IDX, value);
            case PMXEVCNTR_EL0 -> setCounter(checkedIndex(selected(), reg, n), value);
            case PMXEVTYPER_EL0 -> setEventType(checkedIndex(selected(), reg, n), value);
            case PMEVCNTR_EL0 -> setCounter(checkedIndex(n, reg, n), value);
            case PMEVTYPER_EL0 -> setEventType(checkedIndex(n, reg, n), value);
            case PMUSERENR_EL0 -> pmuserenr = value & PmuserenrEl0.MASK;
            // Read-only (KVM's write_to_read_only), EL2 and BRBE registers.
            case PMCEID0_EL0,
                    PMCEID1_EL0,
                    PMMIR_EL1,
                    MDCR_EL2,
                    BRBCR_EL1,
                    BRBCR_EL2,
                    BRBFCR_EL1,
                    HDFGRTR_EL2,
                    HDFGWTR_EL2 -> throw undefined(reg, n, "MSR");
        }
    }

    /**
     * A guest PMCR_EL0 write (kvm_pmu_handle_pmcr, §2.3): only bits [7:0] are writable; LC is RES1
     * without AArch32 EL0; LP is cleared without PMUv3p5; C and P are actions, not stored.
     */
    private void handlePmcr(long value) {
        long v = value & PmcrEl0.MASK;
        if (!vcpu.vm().host().aarch32El0Supported()) {
            v |= PmcrEl0.LC;
        }
        if (!guestHasPmuV3p5()) {
            v &= ~PmcrEl0.LP;
        }
        if ((v & PmcrEl0.C) != 0) {
            pmccntr = 0;
        }
        if ((v & PmcrEl0.P) != 0) {
            for (int i = 0; i < n(); i++) {
                pmevcntr[i] = 0;
            }
        }
        pmcr = v & ~(PmcrEl0.C | PmcrEl0.P);
        controlWrites++;
    }

    // ---- userspace (KVM_{GET,SET}_ONE_REG) ----

    /** Whether KVM exposes {@code reg} through ONE_REG (registers without backing storage are not). */
    static boolean userAccessible(PmuRegister reg) {
        return switch (reg) {
            case PMCR_EL0,
                    PMCNTENSET_EL0,
                    PMCNTENCLR_EL0,
                    PMINTENSET_EL1,
                    PMINTENCLR_EL1,
                    PMOVSSET_EL0,
                    PMOVSCLR_EL0,
                    PMSELR_EL0,
                    PMCCNTR_EL0,
                    PMCCFILTR_EL0,
                    PMEVCNTR_EL0,
                    PMEVTYPER_EL0,
                    PMUSERENR_EL0 -> true;
            default -> false;
        };
    }

    /**
     * get_pmreg and friends: the bitmaps read masked to the implemented counters. The vPMU uses it
     * as KVM's raw accessor of the saved state (__vcpu_sys_reg) when it swaps a partitioned
     * guest's registers.
     */
    public long userGet(PmuRegister reg, int n) {
        long mask = implementedCounterMask();
        return switch (reg) {
            case PMCR_EL0 -> pmcr();
            case PMCNTENSET_EL0, PMCNTENCLR_EL0 -> pmcnten & mask;
            case PMINTENSET_EL1, PMINTENCLR_EL1 -> pminten & mask;
            case PMOVSSET_EL0, PMOVSCLR_EL0 -> pmovs & mask;
            case PMSELR_EL0 -> pmselr;
            case PMCCNTR_EL0 -> counterValue(ARMV8_PMU_CYCLE_IDX);
            case PMCCFILTR_EL0 -> pmccfiltr;
            case PMEVCNTR_EL0 -> counterValue(n);
            case PMEVTYPER_EL0 -> pmevtyper[n];
            case PMUSERENR_EL0 -> pmuserenr;
            default -> throw new IllegalArgumentException(reg + " is not a ONE_REG register");
        };
    }

    /**
     * set_pmreg and friends (also KVM's raw store, __vcpu_assign_sys_reg, for the vPMU). A SET
     * register ORs, a CLR register clears, both masked to the implemented counters; counters and
     * types store the raw value. PMCR_EL0's N is the caller's
     * business (set_pmcr, §1.6): here only bits [7:0] are stored, with LC forced where RES1 and LP
     * left as written until the next entry. C and P are actions on a guest write, not state, so a
     * restore does not store them (model choice: the write-only bits read as 0).
     */
    public void userSet(PmuRegister reg, int n, long value) {
        writes++;
        long mask = implementedCounterMask();
        switch (reg) {
            case PMCR_EL0 -> {
                controlWrites++;
                pmcr = (value & PmcrEl0.MASK & ~(PmcrEl0.C | PmcrEl0.P))
                        | (vcpu.vm().host().aarch32El0Supported() ? 0 : PmcrEl0.LC);
            }
            case PMCNTENSET_EL0 -> {
                controlWrites++;
                pmcnten |= value & mask;
            }
            case PMCNTENCLR_EL0 -> {
                controlWrites++;
                pmcnten &= ~(value & mask);
            }
            case PMINTENSET_EL1 -> pminten |= value & mask;
            case PMINTENCLR_EL1 -> pminten &= ~(value & mask);
            case PMOVSSET_EL0 -> pmovs |= value & mask;
            case PMOVSCLR_EL0 -> pmovs &= ~(value & mask);
            case PMSELR_EL0 -> pmselr = value;
            case PMCCNTR_EL0 -> pmccntr = value;
            case PMCCFILTR_EL0 -> {
                controlWrites++;
                pmccfiltr = value;
            }
            case PMEVCNTR_EL0 -> pmevcntr[n] = value;
            case PMEVTYPER_EL0 -> {
                controlWrites++;
                pmevtyper[n] = value;
            }
            case PMUSERENR_EL0 -> pmuserenr = value;
            default -> throw new IllegalArgumentException(reg + " is not a ONE_REG register");
        }
    }

    // ---- helpers ----

    /**
     * kvm_pmu_evtyper_mask(): EXCLUDE_EL1 | EXCLUDE_EL0 | the guest's event mask (§2.1, 10 or 16
     * bits by the VM's PMUVer); the guest has neither EL2 nor EL3 here, so no other filter bit
     * sticks.
     */
    public long evtyperMask() {
        return PmevtyperEl0.P | PmevtyperEl0.U | vcpu.vm().pmu().eventMask();
    }

    /** kvm_has_feat(kvm, ID_AA64DFR0_EL1, PMUVer, V3P5): the VM's PMUVer, compared unsigned. */
    private boolean guestHasPmuV3p5() {
        return IdAa64dfr0.pmuVer(vm.idAa64dfr0) >= IdAa64dfr0.PMUVER_V3P5; // VmPmuView.pmuVer
    }

    private int selected() {
        return PmselrEl0.sel(pmselr);
    }

    /** pmu_counter_idx_valid(): an index outside the implemented counters is UNDEFINED (§2.1). */
    private int checkedIndex(int idx, PmuRegister reg, int n) {
        if ((implementedCounterMask() & (1L << idx)) == 0) {
            throw undefined(reg, n, "access with index " + idx + " of");
        }
        return idx;
    }

    private void setCounter(int idx, long value) {
        if (idx == ARMV8_PMU_CYCLE_IDX) {
            pmccntr = value;
        } else {
            pmevcntr[idx] = value;
        }
    }

    private void setEventType(int idx, long value) {
        controlWrites++;
        if (idx == ARMV8_PMU_CYCLE_IDX) {
            pmccfiltr = value & evtyperMask();
        } else {
            pmevtyper[idx] = value & evtyperMask();
        }
    }

    private static void checkIndex(int idx) {
        if (idx < 0 || idx > ARMV8_PMU_CYCLE_IDX) {
            throw new IllegalArgumentException("counter index must be 0..31, was " + idx);
        }
    }

    private GuestSyncException undefined(PmuRegister reg, int n, String what) {
        return GuestSyncException.undefined(what + " " + reg.archName(n) + " on vCPU " + vcpu.id());
    }
}
