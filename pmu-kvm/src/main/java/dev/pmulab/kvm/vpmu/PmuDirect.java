package dev.pmulab.kvm.vpmu;

import static dev.pmulab.kvm.vpmu.KvmCpu.guestRange;

import dev.pmulab.api.AllocationPolicy;
import dev.pmulab.api.TrappedAccessResolution;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.MdcrEl2;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.hw.regs.PmselrEl0;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.VcpuPmuRegs;

/**
 * The partitioned ("direct") PMU of one vCPU, as the ARM64 PMU Partitioning series builds it
 * (pmu-direct.c; partitioning-and-policies.md §3.7–§3.10, §6.2): while the vCPU is loaded,
 * counters 0..HPMN-1 and PMCCNTR are the guest's hardware counters, MDCR_EL2 and the fine-grained
 * traps let most accesses through, and KVM swaps the guest's registers at load and put, lazily.
 */
final class PmuDirect {
    /** PMCR_EL0 bits a load restores: E, D, X, DP, LC, LP; not the P and C actions (§3.9). */
    private static final long PMCR_STATEFUL = PmcrEl0.MASK & ~(PmcrEl0.P | PmcrEl0.C);

    private final VcpuPmu v;
    private final VcpuPmuRegs regs;

    /** v6 13/19: GUEST_OWNED (true) or FREE (false) for the current load. */
    boolean guestOwned;
    /** The guest's registers are in the hardware of the vCPU's CPU. */
    boolean restored;
    /** MDCR_EL2.HPMN while this vCPU is loaded: its event counters. */
    int hpmn;

    private long hostPmcr;
    private long hostPmuserenr;
    /** Guest counters a host event was already found on, since the last load or repartition. */
    private long hostBreachSeen;

    PmuDirect(VcpuPmu v) {
        this.v = v;
        this.regs = v.regs;
    }

    // ---------------------------------------------------------------------------------------------
    // kvm_pmu_load / kvm_pmu_put

    /**
     * The direct part of kvm_arch_vcpu_load: MDCR_EL2 and the fine-grained traps for the guest
     * (§3.7), and the guest's registers only if it is actively counting (Oliver Upton's
     * debug-register rule, §3.9); otherwise the vCPU starts FREE, every PMU access traps, and the
     * first one loads them (v6 13/19).
     */
    void load(long now) {
        KvmCpu c = v.cpu;
        hpmn = c.hpmn;
        hostBreachSeen = 0;
        guestOwned = active();
        c.hypEnter(now);
        c.saveHostTraps();
        if (guestOwned) {
            kvmPmuLoad(c);
        }
        programTraps(c);
        c.hypExit();
    }

    /**
     * The direct part of kvm_arch_vcpu_put: the guest's registers saved (if loaded), the host's traps
     * back. While HPMN was below N the host ran its counters on HPME; with HPMN = N again PMCR_EL0.E
     * is their enable, so it takes HPME's state (the host driver's own bookkeeping, not charged).
     */
    void put(long now) {
        KvmCpu c = v.cpu;
        c.hypEnter(now);
        if (restored) {
            checkHostBreach();
            kvmPmuPut(c);
        } else if (hpmn < c.n) {
            Pe pe = c.pe;
            boolean hostRunning = (pe.readChecked(PmuRegister.MDCR_EL2, 0) & MdcrEl2.HPME) != 0;
            long pmcr = pe.readChecked(PmuRegister.PMCR_EL0, 0) & PMCR_STATEFUL & ~PmcrEl0.E;
            pe.writeChecked(PmuRegister.PMCR_EL0, 0, pmcr | (hostRunning ? PmcrEl0.E : 0));
        }
        c.restoreHostTraps();
        c.hypExit();
        guestOwned = false;
    }

    /** FREE → GUEST_OWNED on the first trapped PMU access after load: load the registers, untrap. */
    private void claim(long now) {
        KvmCpu c = v.cpu;
        guestOwned = true;
        v.lazyRestores++;
        c.hypEnter(now);
        kvmPmuLoad(c);
        programTraps(c);
        c.hypExit();
    }

    /** Whether the guest counts or has an interrupt pending: its registers are worth loading eagerly. */
    private boolean active() {
        return ((regs.pmcr() & PmcrEl0.E) != 0 && regs.pmcnten() != 0) || regs.overflowStatus() != 0;
    }

    /**
     * MDCR_EL2 for a partitioned guest (v8 10/21, §3.7): HPMN = its counters, HPME (host counters
     * count on), HPMD and HCCD (the guest range does not count at EL2), HLP (host counters keep
     * their 64-bit overflow); TPM and TPMCR cleared only with FEAT_FGT and (FEAT_HPMN0 or a
     * counter), and only once GUEST_OWNED. The fine-grained traps keep the host's {@link PartitionFgtSet}.
     * MDCR_EL2 and the FGT registers are written at every guest entry anyway, so this costs nothing
     * on top of vcpu_load.
     */
    private void programTraps(KvmCpu c) {
        boolean untrap = guestOwned && c.fgt && (c.hpmn0 || hpmn > 0);
        long mdcr = MdcrEl2.withHpmn(c.hostMdcr & ~(MdcrEl2.TPM | MdcrEl2.TPMCR), hpmn)
                | MdcrEl2.HPME
                | MdcrEl2.HPMD
                | MdcrEl2.HCCD
                | MdcrEl2.HLP
                | (untrap ? 0 : MdcrEl2.TPM | MdcrEl2.TPMCR);
        c.pe.writeChecked(PmuRegister.MDCR_EL2, 0, mdcr);
        if (c.fgt) {
            long traps = v.kvm.partitionFgt.traps();
            c.pe.writeChecked(PmuRegister.HDFGRTR_EL2, 0, c.hostHdfgrtr | traps);
            c.pe.writeChecked(PmuRegister.HDFGWTR_EL2, 0, c.hostHdfgwtr | traps);
        }
    }

    /**
     * kvm_pmu_load (v8 11/21, §3.9), inside the EL2 bracket: the host's PMCR and PMUSERENR saved;
     * the guest's PMCR (stateful bits), PMSELR, PMUSERENR, counters, filtered event types,
     * interrupt and counter enables (masked to the guest range) restored, its stale overflow flags
     * cleared in hardware. C7 per register.
     */
    private void kvmPmuLoad(KvmCpu c) {
        Pe pe = c.pe;
        long gm = guestRange(hpmn);
        hostPmcr = pe.readChecked(PmuRegister.PMCR_EL0, 0);
        hostPmuserenr = pe.readChecked(PmuRegister.PMUSERENR_EL0, 0);
        sysregs(2);
        c.perf.setGuestOwnsPmcr(c.id, true);
        pe.writeChecked(PmuRegister.PMCR_EL0, 0, regs.userGet(PmuRegister.PMCR_EL0, 0) & PMCR_STATEFUL);
        pe.writeChecked(PmuRegister.PMSELR_EL0, 0, regs.userGet(PmuRegister.PMSELR_EL0, 0) & PmselrEl0.SEL_MASK);
        pe.writeChecked(PmuRegister.PMUSERENR_EL0, 0, regs.userGet(PmuRegister.PMUSERENR_EL0, 0));
        pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, gm); // no spurious interrupt from a stale flag (v6)
        sysregs(4);
        for (int i = 0; i < hpmn; i++) {
            restoreCounter(pe, i);
        }
        restoreCounter(pe, Pe.CYCLE_COUNTER);
        pe.writeChecked(PmuRegister.PMINTENCLR_EL1, 0, gm);
        pe.writeChecked(PmuRegister.PMINTENSET_EL1, 0, regs.pminten() & gm);
        pe.writeChecked(PmuRegister.PMCNTENCLR_EL0, 0, gm);
        pe.writeChecked(PmuRegister.PMCNTENSET_EL0, 0, regs.pmcnten() & gm);
        sysregs(4);
        restored = true;
        checkHostBreach();
    }

    /** One counter's value and (filtered) event type into the hardware: two registers. */
    private void restoreCounter(Pe pe, int i) {
        if (i == Pe.CYCLE_COUNTER) {
            pe.writeChecked(PmuRegister.PMCCNTR_EL0, 0, regs.userGet(PmuRegister.PMCCNTR_EL0, 0));
            pe.writeChecked(PmuRegister.PMCCFILTR_EL0, 0, hwEventType(i));
        } else {
            pe.writeChecked(PmuRegister.PMEVCNTR_EL0, i, regs.userGet(PmuRegister.PMEVCNTR_EL0, i));
            pe.writeChecked(PmuRegister.PMEVTYPER_EL0, i, hwEventType(i));
        }
        sysregs(2);
    }

    /** One counter's value back into the virtual state: one register. */
    private void saveCounter(Pe pe, int i) {
        if (i == Pe.CYCLE_COUNTER) {
            regs.userSet(PmuRegister.PMCCNTR_EL0, 0, pe.readChecked(PmuRegister.PMCCNTR_EL0, 0));
        } else {
            regs.userSet(PmuRegister.PMEVCNTR_EL0, i, pe.readChecked(PmuRegister.PMEVCNTR_EL0, i));
        }
        sysregs(1);
    }

    /**
     * kvm_pmu_put (§3.9), inside the EL2 bracket: the guest's registers read back (the event types
     * need not be: they always trap, so the virtual copy is current), pending hardware overflows of
     * the guest range folded into the virtual PMOVSSET, the guest counters stopped and their
     * interrupts disabled, and the host's PMCR and PMUSERENR back, PMCR_EL0.E taking over from HPME
     * as the host's enable. C7 per register.
     */
    private void kvmPmuPut(KvmCpu c) {
        Pe pe = c.pe;
        long gm = guestRange(hpmn);
        for (int i = 0; i < hpmn; i++) {
            saveCounter(pe, i);
        }
        saveCounter(pe, Pe.CYCLE_COUNTER);
        regs.userSet(PmuRegister.PMCR_EL0, 0, pe.readChecked(PmuRegister.PMCR_EL0, 0));
        regs.userSet(PmuRegister.PMSELR_EL0, 0, pe.readChecked(PmuRegister.PMSELR_EL0, 0));
        regs.userSet(PmuRegister.PMUSERENR_EL0, 0, pe.readChecked(PmuRegister.PMUSERENR_EL0, 0));
        sysregs(3);
        saveEnablesAndOverflows(pe, gm);
        boolean hostRunning = (pe.readChecked(PmuRegister.MDCR_EL2, 0) & MdcrEl2.HPME) != 0;
        pe.writeChecked(
                PmuRegister.PMCR_EL0, 0, (hostPmcr & PMCR_STATEFUL & ~PmcrEl0.E) | (hostRunning ? PmcrEl0.E : 0));
        pe.writeChecked(PmuRegister.PMUSERENR_EL0, 0, hostPmuserenr);
        sysregs(4);
        c.perf.setGuestOwnsPmcr(c.id, false);
        restored = false;
    }

    /** The virtual SET/CLR pair's bits in {@code mask} become {@code hw}'s. */
    private void replaceBits(PmuRegister clr, PmuRegister set, long mask, long hw) {
        regs.userSet(clr, 0, mask);
        regs.userSet(set, 0, hw & mask);
    }

    /**
     * The guest's PMCNTENSET and PMINTENSET bits of {@code counters} are read back into its saved
     * state (two reads), their overflow flags folded, and both enables cleared on the PE, so the
     * counters stop and raise nothing once they are no longer the guest's.
     */
    private void saveEnablesAndOverflows(Pe pe, long counters) {
        replaceBits(
                PmuRegister.PMCNTENCLR_EL0,
                PmuRegister.PMCNTENSET_EL0,
                counters,
                pe.readChecked(PmuRegister.PMCNTENSET_EL0, 0));
        replaceBits(
                PmuRegister.PMINTENCLR_EL1,
                PmuRegister.PMINTENSET_EL1,
                counters,
                pe.readChecked(PmuRegister.PMINTENSET_EL1, 0));
        sysregs(2);
        foldOverflows(pe, counters);
        pe.writeChecked(PmuRegister.PMCNTENCLR_EL0, 0, counters);
        pe.writeChecked(PmuRegister.PMINTENCLR_EL1, 0, counters);
    }

    /** Overflow flags of {@code mask} move from the hardware to the virtual PMOVSSET: a read, and a clear if any. */
    private void foldOverflows(Pe pe, long mask) {
        long flags = pe.readChecked(PmuRegister.PMOVSSET_EL0, 0) & mask;
        sysregs(1);
        if (flags != 0) {
            regs.userSet(PmuRegister.PMOVSSET_EL0, 0, flags);
            pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, flags);
            sysregs(1);
        }
    }

    /**
     * The hardware PMEVTYPER (PMCCFILTR for 31) for the guest's value: its P and U filters and
     * event, never EL2 (no NSH). An event the VM's filter denies is replaced by one the PE does not
     * implement, with EL0 and EL1 excluded, so the counter counts nothing; the virtual copy keeps
     * the guest's value (v5, §3.4). SW_INCR and CHAIN are never filtered (kvm-vpmu-uapi.md §1.3).
     */
    private long hwEventType(int i) {
        long guest = regs.eventType(i);
        if (v.eventDenied(i)) {
            return PmevtyperEl0.P | PmevtyperEl0.U | (i == Pe.CYCLE_COUNTER ? 0 : v.cpu.unimplementedEvent);
        }
        long eventBits = i == Pe.CYCLE_COUNTER ? 0 : v.vmPmu.eventMask();
        return guest & (PmevtyperEl0.P | PmevtyperEl0.U | eventBits);
    }

    // ---------------------------------------------------------------------------------------------
    // HPMN moved while the vCPU is loaded

    /**
     * The policy moved HPMN on the vCPU's CPU while it runs (a sysfs write, trap-and-grow): counters
     * leaving the guest range are saved and stopped, counters joining it restored, then MDCR_EL2
     * takes the new HPMN. C7 per register.
     */
    void repartition(int newHpmn, long now) {
        if (newHpmn == hpmn) {
            return;
        }
        KvmCpu c = v.cpu;
        Pe pe = c.pe;
        c.hypEnter(now);
        if (restored) {
            int lo = Math.min(hpmn, newHpmn);
            int hi = Math.max(hpmn, newHpmn);
            long moving = guestRange(hi) & ~guestRange(lo);
            if (newHpmn < hpmn) {
                for (int i = lo; i < hi; i++) {
                    saveCounter(pe, i);
                }
                saveEnablesAndOverflows(pe, moving);
                sysregs(2);
            } else {
                for (int i = lo; i < hi; i++) {
                    restoreCounter(pe, i);
                }
                pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, moving);
                pe.writeChecked(PmuRegister.PMINTENCLR_EL1, 0, moving);
                pe.writeChecked(PmuRegister.PMINTENSET_EL1, 0, regs.pminten() & moving);
                pe.writeChecked(PmuRegister.PMCNTENCLR_EL0, 0, moving);
                pe.writeChecked(PmuRegister.PMCNTENSET_EL0, 0, regs.pmcnten() & moving);
                sysregs(5);
            }
        }
        hpmn = newHpmn;
        hostBreachSeen = 0;
        programTraps(c);
        c.hypExit();
        if (restored) {
            checkHostBreach();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Trapped accesses

    /**
     * A trapped access of a direct guest. A FREE vCPU's first trap loads its registers. A counter
     * at or above HPMN (below the VM's N) goes to the allocation policy; at or above the VM's N it
     * is UNDEFINED. PMEVTYPER/PMCCFILTR update the virtual copy and reach the hardware filtered;
     * PMOVS folds the hardware flags into the virtual PMOVSSET; PMCEID and PMMIR are the virtual
     * view; PMSELR is kept in both. Anything else (the non-FGT path, where every access traps) is
     * done on the hardware with the guest's view of it, as the series' accessors do by masking:
     * bitmaps limited to the guest range, PMCR_EL0.P resetting only counters below HPMN so the
     * host's are untouched (v8, §6.2), N = HPMN.
     *
     * @return what the guest reads; {@link VcpuPmu#undefined} and {@link VcpuPmu#retryRequested}
     *     report the other outcomes
     */
    long access(PmuRegister reg, int index, boolean write, long value, long now, boolean retry) {
        if (!guestOwned) {
            claim(now);
        }
        Pe pe = v.cpu.pe;
        int counter = switch (reg) {
            case PMEVCNTR_EL0, PMEVTYPER_EL0 -> index;
            // With the registers loaded the physical PMSELR is the guest's: under the v1 trap set
            // the guest writes it untrapped (v1 11/17 "Use physical PMSELR for PMXEVTYPER").
            case PMXEVCNTR_EL0, PMXEVTYPER_EL0 ->
                PmselrEl0.sel(
                        restored ? pe.readChecked(PmuRegister.PMSELR_EL0, 0) : regs.userGet(PmuRegister.PMSELR_EL0, 0));
            case PMCCNTR_EL0, PMCCFILTR_EL0 -> Pe.CYCLE_COUNTER;
            default -> -1;
        };
        if (reg == PmuRegister.PMXEVCNTR_EL0 && counter == Pe.CYCLE_COUNTER) {
            v.undefined = true; // PMXEVCNTR never reaches PMCCNTR
            return 0;
        }
        if (counter >= 0 && counter != Pe.CYCLE_COUNTER && counter >= hpmn) {
            if (counter >= regs.n()) {
                v.undefined = true;
                return 0;
            }
            return outsideShare(reg, counter, write, value, retry);
        }
        switch (reg) {
            case PMEVTYPER_EL0:
            case PMXEVTYPER_EL0:
            case PMCCFILTR_EL0:
                if (!write) {
                    return regs.eventType(counter);
                }
                regs.userSet(
                        counter == Pe.CYCLE_COUNTER ? PmuRegister.PMCCFILTR_EL0 : PmuRegister.PMEVTYPER_EL0,
                        counter,
                        value & regs.evtyperMask());
                if (counter == Pe.CYCLE_COUNTER) {
                    pe.writeChecked(PmuRegister.PMCCFILTR_EL0, 0, hwEventType(counter));
                } else {
                    pe.writeChecked(PmuRegister.PMEVTYPER_EL0, counter, hwEventType(counter));
                }
                return 0;
            case PMOVSSET_EL0:
            case PMOVSCLR_EL0:
                foldOverflowsAtGuestLevel(pe);
                if (!write) {
                    return regs.pmovs();
                }
                regs.guestWrite(reg, 0, value);
                return 0;
            case PMCEID0_EL0:
            case PMCEID1_EL0:
            case PMMIR_EL1:
                return regs.guestRead(reg, 0);
            case PMSELR_EL0:
                if (!write) {
                    return regs.userGet(PmuRegister.PMSELR_EL0, 0);
                }
                regs.guestWrite(reg, 0, value);
                pe.writeChecked(PmuRegister.PMSELR_EL0, 0, value & PmselrEl0.SEL_MASK);
                return 0;
            default:
                if (write) {
                    pe.writeChecked(reg, index, value);
                    return 0;
                }
                return pe.readChecked(reg, index);
        }
    }

    /** A trapped PMOVS access folds the guest range's hardware flags (the PE is at the guest's level: its view). */
    private void foldOverflowsAtGuestLevel(Pe pe) {
        long flags = pe.readChecked(PmuRegister.PMOVSSET_EL0, 0) & guestRange(hpmn);
        if (flags != 0) {
            regs.userSet(PmuRegister.PMOVSSET_EL0, 0, flags);
            pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, flags);
        }
    }

    /**
     * An access to counter {@code counter}, at or above HPMN but below the VM's N: the allocation
     * policy decides (trap-and-grow, §6.5). RETRY re-executes it once (a second trap outside the
     * share is emulated); EMULATE works on the virtual counter; INJECT_UNDEFINED refuses it.
     */
    private long outsideShare(PmuRegister reg, int counter, boolean write, long value, boolean retry) {
        v.outsideShareTraps++;
        AllocationPolicy policy = v.kvm.policy;
        TrappedAccessResolution res = policy == null
                ? TrappedAccessResolution.EMULATE
                : policy.guestAccessOutsideShare(v.view(), v.cpu, counter, v.kvm.control());
        if (res == null) {
            throw new IllegalStateException(
                    "policy " + v.kvm.policyName + " returned no resolution from guestAccessOutsideShare");
        }
        if (res == TrappedAccessResolution.RETRY && !retry) {
            v.outsideShareRetries++;
            v.retryRequested = true;
            return 0;
        }
        if (res == TrappedAccessResolution.INJECT_UNDEFINED) {
            v.outsideShareUndefined++;
            v.undefined = true;
            return 0;
        }
        v.outsideShareEmulated++;
        boolean type = reg == PmuRegister.PMEVTYPER_EL0 || reg == PmuRegister.PMXEVTYPER_EL0;
        if (type) {
            if (write) {
                regs.userSet(PmuRegister.PMEVTYPER_EL0, counter, value & regs.evtyperMask());
                return 0;
            }
            return regs.eventType(counter);
        }
        if (write) {
            regs.userSet(PmuRegister.PMEVCNTR_EL0, counter, value);
            return 0;
        }
        return regs.userGet(PmuRegister.PMEVCNTR_EL0, counter);
    }

    /**
     * Whether an access the hardware let through reached what is not the guest's: a counter at or
     * above HPMN, one a host perf event occupies, or any counter while the guest's registers are
     * not loaded.
     */
    boolean untrappedBreach(Pe pe, PmuRegister reg, int index) {
        int counter = switch (reg) {
            case PMEVCNTR_EL0, PMEVTYPER_EL0 -> index;
            case PMXEVCNTR_EL0, PMXEVTYPER_EL0 -> PmselrEl0.sel(pe.readChecked(PmuRegister.PMSELR_EL0, 0));
            case PMCCNTR_EL0, PMCCFILTR_EL0 -> Pe.CYCLE_COUNTER;
            default -> -1;
        };
        if (counter < 0) {
            return !restored && isPmuRegister(reg);
        }
        if (!restored || (counter != Pe.CYCLE_COUNTER && counter >= pe.effectiveHpmn())) {
            return true;
        }
        // usedMask has a bit for every counter an event occupies, both halves of a chained pair.
        return (v.cpu.perf.usedMask(v.cpu.id) & (1L << counter)) != 0;
    }

    private static boolean isPmuRegister(PmuRegister reg) {
        return switch (reg) {
            case BRBCR_EL1, BRBCR_EL2, BRBFCR_EL1, MDCR_EL2, HDFGRTR_EL2, HDFGWTR_EL2 -> false;
            default -> true;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Overflow interrupt

    /**
     * kvm_pmu_handle_guest_irq (v8 16/21, §3.10): the guest range's overflow flags are cleared in
     * hardware and ORed into the virtual PMOVSSET. Returns whether there were any.
     */
    boolean kvmPmuHandleGuestIrq(long now) {
        if (!restored) {
            return false;
        }
        KvmCpu c = v.cpu;
        c.hypEnter(now);
        long flags = c.pe.readChecked(PmuRegister.PMOVSSET_EL0, 0) & guestRange(hpmn);
        if (flags != 0) {
            c.pe.writeChecked(PmuRegister.PMOVSCLR_EL0, 0, flags);
            regs.userSet(PmuRegister.PMOVSSET_EL0, 0, flags);
        }
        c.hypExit();
        checkHostBreach();
        return flags != 0;
    }

    /**
     * kvm_pmu_part_overflow_status (§3.10): PMCR_EL0.E and an overflow of the guest range whose
     * interrupt is enabled; false while FREE on a CPU (v7 16/20). Not loaded: the saved state's.
     */
    boolean irqLevel() {
        if (!restored) {
            return v.cpu == null && regs.overflowStatus() != 0;
        }
        Pe pe = v.cpu.pe;
        long gm = guestRange(hpmn);
        boolean e = (pe.readChecked(PmuRegister.PMCR_EL0, 0) & PmcrEl0.E) != 0;
        return e && (regs.pmovs() & pe.readChecked(PmuRegister.PMINTENSET_EL1, 0) & gm) != 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Views for accounting

    /** The guest's enabled counters: the hardware's for its range while loaded, the virtual copy's otherwise. */
    long enabledMask() {
        // Only counters the guest asked to enable count as enabled: the virtual copy keeps KVM's
        // UNKNOWN reset bits above HPMN, which the guest's PMCNTENCLR (masked by the hardware to its
        // range) never clears (VcpuPmu.noteEnableIntent).
        long intent = v.guestEnableIntent();
        if (!restored) {
            return (regs.pmcr() & PmcrEl0.E) != 0 ? regs.pmcnten() & intent : 0;
        }
        Pe pe = v.cpu.pe;
        if ((pe.readChecked(PmuRegister.PMCR_EL0, 0) & PmcrEl0.E) == 0) {
            return 0;
        }
        long gm = guestRange(hpmn);
        return ((pe.readChecked(PmuRegister.PMCNTENSET_EL0, 0) & gm) | (regs.pmcnten() & ~gm)) & intent;
    }

    /** Whether counter {@code i} is one of the guest's hardware counters now. */
    boolean counting(int i) {
        return restored && (i == Pe.CYCLE_COUNTER || i < hpmn);
    }

    /** The guest's value of counter {@code i}: the hardware's while it holds it, else the virtual one. */
    long counterValue(int i, long now) {
        if (counting(i)) {
            Pe pe = v.cpu.pe;
            pe.advanceTo(now);
            return i == Pe.CYCLE_COUNTER ? pe.readChecked(PmuRegister.PMCCNTR_EL0, 0) : pe.eventCounter(i);
        }
        return i == Pe.CYCLE_COUNTER
                ? regs.userGet(PmuRegister.PMCCNTR_EL0, 0)
                : regs.userGet(PmuRegister.PMEVCNTR_EL0, i);
    }

    /**
     * Host perf events on counters the guest owns with its registers loaded: the host changes the
     * guest's counters (each counter counted once per load or repartition).
     */
    void checkHostBreach() {
        if (!restored) {
            return;
        }
        KvmCpu c = v.cpu;
        long bits = c.perf.usedMask(c.id) & guestRange(hpmn) & ~hostBreachSeen;
        if (bits != 0) {
            hostBreachSeen |= bits;
            v.kvm.hostIsolationBreaches += Long.bitCount(bits);
        }
    }

    private void sysregs(int count) {
        int cpu = v.cpu.id;
        for (int i = 0; i < count; i++) {
            v.kvm.meter.charge(cpu, KernelCost.PMU_SYSREG_SAVE_RESTORE, 0);
        }
    }
}
