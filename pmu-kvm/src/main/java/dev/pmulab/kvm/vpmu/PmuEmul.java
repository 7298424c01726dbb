package dev.pmulab.kvm.vpmu;

import dev.pmulab.hw.Events;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.MdcrEl2;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevcntrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.hw.regs.PmselrEl0;
import dev.pmulab.kvm.GuestSyncException;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.VcpuPmuRegs;
import dev.pmulab.kvm.VmPmuView;
import dev.pmulab.kvm.perf.PerfCore;
import dev.pmulab.kvm.perf.PerfEvent;
import dev.pmulab.kvm.perf.PerfEventAttr;
import dev.pmulab.kvm.perf.PerfEventOpenException;
import dev.pmulab.kvm.perf.PerfEventState;
import dev.pmulab.kvm.perf.PerfOverflowHandler;

/**
 * The emulated vPMU of one vCPU (arch/arm64/kvm/pmu-emul.c; kvm-vpmu-uapi.md §2,
 * perf-core-and-costs.md §3.1): every guest PMU access traps, KVM keeps the guest's registers in
 * {@link VcpuPmuRegs}, and each guest counter with a countable event is a host perf event:
 * pinned, bound to the vCPU thread, exclude_host, on the VM's PMU. Function names follow the
 * kernel's.
 */
final class PmuEmul {
    /** KVM_ARMV8_PMU_MAX_COUNTERS: 31 event counters and the cycle counter. */
    static final int NR_PMCS = 32;

    static final int CYCLE_IDX = Pe.CYCLE_COUNTER;

    /** {@code struct kvm_pmc}: one guest counter, its perf event, and the overflow handler perf calls. */
    private final class KvmPmc implements PerfOverflowHandler {
        final int idx;
        PerfEvent perfEvent;

        KvmPmc(int idx) {
            this.idx = idx;
        }

        @Override
        public void overflow(PerfEvent event, int cpu, long now) {
            kvmPmuPerfOverflow(this, event, cpu, now);
        }
    }

    private final VcpuPmu v;
    private final VcpuPmuRegs regs;
    private final VmPmuView vmPmu;
    private final PerfCore perf;
    private final KvmPmc[] pmcs = new KvmPmc[NR_PMCS];
    /** The events kvmPmuReprogramCounterMask is about to perf_event_enable, in counter order. */
    private final PerfEvent[] enabling = new PerfEvent[NR_PMCS];

    private int enablingCount;
    /** KVM_REQ_RELOAD_PMU pending: first run, or back from direct counters. */
    private boolean reloadPending = true;

    PmuEmul(VcpuPmu v) {
        this.v = v;
        this.regs = v.regs;
        this.vmPmu = v.vmPmu;
        this.perf = v.kvm.perf;
        for (int i = 0; i < NR_PMCS; i++) {
            pmcs[i] = new KvmPmc(i);
        }
    }

    /** The perf event backing counter {@code idx}, or null. */
    PerfEvent event(int idx) {
        return pmcs[idx].perfEvent;
    }

    // ---------------------------------------------------------------------------------------------
    // Load and put

    /**
     * The emulated part of kvm_arch_vcpu_load: MDCR_EL2 as kvm_arm_setup_mdcr_el2 programs it (TPM
     * and TPMCR: every guest PMU access traps; HPMN = N), then a pending KVM_REQ_RELOAD_PMU, which
     * FIXED_COUNTERS_ONLY also raises when the vCPU lands on a CPU of another PMU type (Odaki, §4):
     * its events are re-created on that CPU's PMU.
     */
    void load(long now) {
        KvmCpu c = v.cpu;
        c.hypEnter(now);
        c.saveHostTraps();
        long mdcr = MdcrEl2.withHpmn(c.hostMdcr, c.n) | MdcrEl2.TPM | MdcrEl2.TPMCR;
        c.pe.writeChecked(PmuRegister.MDCR_EL2, 0, mdcr);
        c.hypExit();
        int type = pmuType();
        boolean foreignEvents = false;
        if (vmPmu.fixedCountersOnly()) {
            for (KvmPmc p : pmcs) {
                if (p.perfEvent != null && p.perfEvent.pmu().type() != type) {
                    kvmPmuStopCounter(p, now);
                    foreignEvents = true;
                }
            }
        }
        if (reloadPending || foreignEvents) {
            // kvm_vcpu_reload_pmu: reprogram every implemented counter.
            kvmPmuReprogramCounterMask(regs.implementedCounterMask(), now, false);
            reloadPending = false;
        }
    }

    /** The emulated part of kvm_arch_vcpu_put: the host's trap configuration back. */
    void put(long now) {
        KvmCpu c = v.cpu;
        c.hypEnter(now);
        c.restoreHostTraps();
        c.hypExit();
    }

    /**
     * Leaving emulation for direct counters: every event's count is folded into its counter and
     * the event released; a later return to emulation reloads (re-creates) them.
     */
    void releaseAll(long now) {
        for (KvmPmc p : pmcs) {
            kvmPmuStopCounter(p, now);
        }
        reloadPending = true;
    }

    // ---------------------------------------------------------------------------------------------
    // Trapped accesses (sys_regs.c access_pm* on the emulated PMU)

    /**
     * Handles a trapped guest access on KVM's registers and the perf events behind them. Returns
     * what the guest reads; sets {@link VcpuPmu#undefined} for an access KVM makes UNDEFINED.
     */
    long access(PmuRegister reg, int index, boolean write, long value, long now) {
        switch (reg) {
            case PMEVCNTR_EL0:
                return accessCounter(index, write, value, now);
            case PMXEVCNTR_EL0:
                return accessCounter(selected(), write, value, now);
            case PMCCNTR_EL0:
                return accessCounter(CYCLE_IDX, write, value, now);
            case PMEVTYPER_EL0:
                return accessEvtyper(reg, index, index, write, value, now);
            case PMXEVTYPER_EL0:
                return accessEvtyper(reg, index, selected(), write, value, now);
            case PMCCFILTR_EL0:
                return accessEvtyper(reg, index, CYCLE_IDX, write, value, now);
            case PMCR_EL0:
                if (!write) {
                    return regs.pmcr();
                }
                kvmPmuHandlePmcr(value, now);
                return 0;
            case PMCNTENSET_EL0:
            case PMCNTENCLR_EL0:
                if (!write) {
                    return regs.pmcnten();
                }
                regs.guestWrite(reg, 0, value);
                kvmPmuReprogramCounterMask(value & regs.implementedCounterMask(), now, true);
                return 0;
            default:
                return accessPlain(reg, index, write, value);
        }
    }

    /**
     * Whether {@link #access} leaves alone everything GuestPmuAccounting's settle reads (the
     * guest's PMCR_EL0 and PMCNTENSET, the event types, which perf event backs each counter): a
     * read (a counter read brings its event's times up to date, which time_running's sum does not
     * see), or a write of a register {@link #accessPlain} handles. The accounting may then let the
     * settle before it wait (GuestPmuAccounting.settleBeforeAccess). Every case of {@link #access}'s
     * switch but the default is a write that may change them.
     */
    static boolean leavesAccountsAlone(PmuRegister reg, boolean write) {
        if (!write) {
            return true;
        }
        switch (reg) {
            case PMEVCNTR_EL0:
            case PMXEVCNTR_EL0:
            case PMCCNTR_EL0:
            case PMEVTYPER_EL0:
            case PMXEVTYPER_EL0:
            case PMCCFILTR_EL0:
            case PMCR_EL0:
            case PMCNTENSET_EL0:
            case PMCNTENCLR_EL0:
                return false;
            default:
                return true;
        }
    }

    /** PMEVCNTR/PMXEVCNTR/PMCCNTR: the value is the shadow register plus the perf event's count. */
    private long accessCounter(int idx, boolean write, long value, long now) {
        if (!counterIdxValid(idx)) {
            v.undefined = true;
            return 0;
        }
        if (!write) {
            if (pmcs[idx].perfEvent != null) {
                v.kvm.meter.charge(v.cpu.id, KernelCost.PERF_EVENT_READ_VALUE, 0);
            }
            return kvmPmuGetCounterValue(idx, now);
        }
        kvmPmuSetCounterValue(pmcs[idx], value, now);
        // The re-created event was programmed by the driver with EXCLUDE_EL0 (exclude_host on VHE),
        // and armv8pmu_start asked for a resync (kvm_vcpu_pmu_resync_el0): KVM flips EL0 back on
        // before the guest runs again.
        v.kvmVcpuPmuRestoreGuest(now);
        return 0;
    }

    /** PMEVTYPER/PMXEVTYPER/PMCCFILTR: a write re-creates the event, then re-flips EL0 (access_pmu_evtyper). */
    private long accessEvtyper(PmuRegister reg, int index, int idx, boolean write, long value, long now) {
        if (!counterIdxValid(idx)) {
            v.undefined = true;
            return 0;
        }
        if (!write) {
            return regs.eventType(idx);
        }
        regs.guestWrite(reg, index, value); // kvm_pmu_set_counter_event_type: masked by kvm_pmu_evtyper_mask
        kvmPmuCreatePerfEvent(pmcs[idx], now);
        v.kvmVcpuPmuRestoreGuest(now);
        return 0;
    }

    /** Registers with no perf side: PMINTEN, PMOVS, PMSWINC, PMSELR, PMCEID, PMUSERENR, PMMIR. */
    private long accessPlain(PmuRegister reg, int index, boolean write, long value) {
        try {
            if (write) {
                regs.guestWrite(reg, index, value);
                return 0;
            }
            return regs.guestRead(reg, index);
        } catch (GuestSyncException e) {
            v.undefined = true;
            return 0;
        }
    }

    /** pmu_counter_idx_valid(): the index is one of the VM's implemented counters (§2.1). */
    private boolean counterIdxValid(int idx) {
        return idx >= 0 && idx < NR_PMCS && (regs.implementedCounterMask() & (1L << idx)) != 0;
    }

    private int selected() {
        return PmselrEl0.sel(regs.userGet(PmuRegister.PMSELR_EL0, 0));
    }

    // ---------------------------------------------------------------------------------------------
    // pmu-emul.c

    /** kvm_pmu_get_counter_value: the shadow register plus perf_event_read_value, cut to 32 bits unless 64-bit. */
    long kvmPmuGetCounterValue(int idx, long now) {
        long counter = regs.counterValue(idx);
        PerfEvent e = pmcs[idx].perfEvent;
        if (e != null) {
            counter += perf.read(e, now);
        }
        return regs.is64bit(idx) ? counter : counter & PmevcntrEl0.LOW32;
    }

    /** kvm_pmu_set_counter_value: release the event, store the value, re-create it for the new period. */
    private void kvmPmuSetCounterValue(KvmPmc pmc, long value, long now) {
        kvmPmuReleasePerfEvent(pmc, now);
        regs.userSet(counterReg(pmc.idx), pmc.idx, value);
        kvmPmuCreatePerfEvent(pmc, now);
    }

    /**
     * kvm_pmu_handle_pmcr: store the stateful bits; C zeroes the cycle counter and P every event
     * counter (each release + re-create, §2.3); a change of E reloads every counter; then the EL0
     * flip, as after every PMCR write (§3.2).
     */
    private void kvmPmuHandlePmcr(long value, long now) {
        long before = regs.pmcr();
        regs.guestWrite(PmuRegister.PMCR_EL0, 0, value); // zeroes the shadows for C and P
        if ((value & PmcrEl0.C) != 0) {
            kvmPmuSetCounterValue(pmcs[CYCLE_IDX], 0, now);
        }
        if ((value & PmcrEl0.P) != 0) {
            for (int i = 0; i < regs.n(); i++) {
                kvmPmuSetCounterValue(pmcs[i], 0, now);
            }
        }
        if (((before ^ regs.pmcr()) & PmcrEl0.E) != 0) {
            kvmPmuReprogramCounterMask(regs.implementedCounterMask(), now, false);
        }
        v.kvmVcpuPmuRestoreGuest(now);
    }

    /** kvm_pmu_counter_is_enabled: PMCR_EL0.E and the counter's PMCNTENSET bit. */
    private boolean kvmPmuCounterIsEnabled(int idx) {
        return (kvmPmuEnabledCounters() & (1L << idx)) != 0;
    }

    /** kvm_pmu_counter_is_enabled for every counter at once: PMCNTENSET while PMCR_EL0.E is set. */
    private long kvmPmuEnabledCounters() {
        return (regs.pmcr() & PmcrEl0.E) != 0 ? regs.pmcnten() : 0;
    }

    /**
     * kvm_pmu_reprogram_counter_mask: an enabled counter gets its event created or perf_event_enable
     * (which also brings one out of ERROR, §1.4); a disabled one perf_event_disable; then the EL0
     * flip (kvm_vcpu_pmu_restore_guest), which a reload leaves to vcpu_load.
     */
    private void kvmPmuReprogramCounterMask(long mask, long now, boolean restoreGuest) {
        long m = mask & regs.implementedCounterMask();
        int cpu = v.cpu.id;
        // Read once: nothing in the loop writes PMCR_EL0 or PMCNTENSET (perf calls at one instant
        // raise no overflow, a re-create stores a counter).
        long enabled = kvmPmuEnabledCounters();
        // One run of perf calls at this instant: the model keeps the PMU stopped across them
        // instead of stopping and restarting it per call (PerfCore.beginPmuRun says why that is equal).
        perf.beginPmuRun(cpu);
        try {
            while (m != 0) {
                int idx = Long.numberOfTrailingZeros(m);
                m &= m - 1;
                KvmPmc pmc = pmcs[idx];
                if ((enabled & (1L << idx)) != 0) {
                    if (pmc.perfEvent == null) {
                        enableQueued(cpu, now);
                        kvmPmuCreatePerfEvent(pmc, now);
                    } else {
                        // perf_event_enable, in counter order; consecutive ones go to perf together.
                        enabling[enablingCount++] = pmc.perfEvent;
                    }
                } else if (pmc.perfEvent != null) {
                    if (!pmc.perfEvent.state().isOffOrBelow()) {
                        enableQueued(cpu, now); // the enables before a disable that acts come first
                    }
                    perf.disable(cpu, pmc.perfEvent, now);
                }
            }
            enableQueued(cpu, now);
        } finally {
            enablingCount = 0;
            perf.endPmuRun(cpu);
        }
        if (restoreGuest) {
            v.kvmVcpuPmuRestoreGuest(now);
        }
    }

    /**
     * The perf_event_enable calls queued by kvmPmuReprogramCounterMask, in order (PerfCore.enableAll:
     * the same calls and charges as one by one). A disable of an event that is not enabled does
     * nothing, so it may stay among them.
     */
    private void enableQueued(int cpu, long now) {
        if (enablingCount > 0) {
            int count = enablingCount;
            enablingCount = 0;
            perf.enableAll(cpu, enabling, count, now);
        }
    }

    /**
     * kvm_pmu_create_perf_event (§2.2): the old event's count is folded and the event released; no
     * event for SW_INCR, CHAIN or a filtered event; otherwise a pinned, exclude_host kernel counter
     * bound to the vCPU thread, on the VM's PMU (FIXED_COUNTERS_ONLY: the PMU of the CPU the vCPU
     * is on), sampling at the distance to the guest counter's overflow. A refused creation leaves
     * the counter without an event: it does not count (pr_err_once in the kernel).
     */
    private void kvmPmuCreatePerfEvent(KvmPmc pmc, long now) {
        kvmPmuStopCounter(pmc, now);
        int idx = pmc.idx;
        long evtyper = regs.eventType(idx);
        int eventsel = vmPmu.perfEventConfig(idx, evtyper);
        if (eventsel == VmPmuView.NO_PERF_EVENT) {
            return;
        }
        int type = pmuType();
        if (type < 0) {
            return;
        }
        boolean is64 = regs.is64bit(idx);
        PerfEventAttr attr = new PerfEventAttr(
                type,
                eventsel,
                is64 ? PerfEventAttr.CONFIG1_LONG : 0,
                true,
                !kvmPmuCounterIsEnabled(idx),
                (evtyper & PmevtyperEl0.U) != 0,
                (evtyper & PmevtyperEl0.P) != 0,
                true,
                false,
                true,
                false,
                computePeriod(idx, regs.counterValue(idx)),
                false,
                0);
        try {
            pmc.perfEvent = perf.createKernelCounter(v.cpu.id, attr, -1, v.thread, pmc, now);
            v.perfEventsCreated++;
        } catch (PerfEventOpenException e) {
            v.perfEventCreateFailures++;
        }
    }

    /** kvm_pmu_stop_counter: fold the event's count into the shadow register, then release it. */
    private void kvmPmuStopCounter(KvmPmc pmc, long now) {
        if (pmc.perfEvent == null) {
            return;
        }
        long value = kvmPmuGetCounterValue(pmc.idx, now);
        regs.userSet(counterReg(pmc.idx), pmc.idx, value);
        kvmPmuReleasePerfEvent(pmc, now);
    }

    /** kvm_pmu_release_perf_event: perf_event_disable, then perf_event_release_kernel; the count is dropped. */
    private void kvmPmuReleasePerfEvent(KvmPmc pmc, long now) {
        PerfEvent e = pmc.perfEvent;
        if (e == null) {
            return;
        }
        int cpu = v.cpu.id;
        perf.disable(cpu, e, now);
        perf.close(cpu, e, now);
        pmc.perfEvent = null;
        v.perfEventsReleased++;
    }

    /**
     * kvm_pmu_perf_overflow (§2.4): re-arm the event at the distance to the guest counter's next
     * overflow, set the virtual PMOVSSET bit, carry into a CHAIN neighbour, and if the overflow
     * status is now set, request the interrupt: C18 to the CPU (the vCPU runs there, its events are
     * bound to its thread).
     */
    private void kvmPmuPerfOverflow(KvmPmc pmc, PerfEvent event, int cpu, long now) {
        int idx = pmc.idx;
        perf.setPeriod(event, computePeriod(idx, kvmPmuGetCounterValue(idx, now)), now);
        regs.userSet(PmuRegister.PMOVSSET_EL0, 0, 1L << idx);
        if (idx != CYCLE_IDX && regs.canChain(idx)) {
            regs.counterIncrement(1L << (idx + 1), Events.CHAIN);
        }
        if (regs.overflowStatus() != 0) {
            v.kvm.meter.charge(cpu, KernelCost.GUEST_OVERFLOW_INJECT_LOCAL, 0);
            v.overflowInjections++;
        }
    }

    /**
     * compute_period: events until the guest counter overflows, at bit 63 when it is 64-bit with
     * 64-bit overflow, else at bit 31. Positive: a counter at 0 waits a whole wrap, and a wrap beyond
     * what a perf period holds is as good as never.
     */
    private long computePeriod(int idx, long counter) {
        long p = PmevcntrEl0.incrementsToOverflow(counter, regs.has64bitOverflow(idx));
        return p <= 0 ? Long.MAX_VALUE : p;
    }

    /** The perf type the guest's events go on: the VM's PMU, or in FIXED_COUNTERS_ONLY this CPU's (-1: none). */
    private int pmuType() {
        return vmPmu.fixedCountersOnly() ? v.cpu.hostPmu.type() : v.vmPmuType;
    }

    private static PmuRegister counterReg(int idx) {
        return idx == CYCLE_IDX ? PmuRegister.PMCCNTR_EL0 : PmuRegister.PMEVCNTR_EL0;
    }

    // ---------------------------------------------------------------------------------------------
    // For accounting and the interrupt line

    /** kvm_pmu_overflow_status, non-zero: the virtual PMU interrupt line. */
    boolean irqLevel() {
        return regs.overflowStatus() != 0;
    }

    /** Whether counter {@code idx}'s perf event is on a hardware counter now. */
    boolean eventActive(int idx) {
        PerfEvent e = pmcs[idx].perfEvent;
        return e != null && e.state() == PerfEventState.ACTIVE;
    }

    /** time_running of counter {@code idx}'s event brought up to {@code now}, or -1 without an event. */
    long timeRunning(int idx, long now) {
        PerfEvent e = pmcs[idx].perfEvent;
        if (e == null) {
            return -1;
        }
        return perf.timeRunning(e, now);
    }

    /** {@link #timeRunning} without bringing the event's times up to date (PerfCore.timeRunningAt). */
    long timeRunningAt(int idx, long now) {
        PerfEvent e = pmcs[idx].perfEvent;
        if (e == null) {
            return -1;
        }
        return perf.timeRunningAt(e, now);
    }
}
