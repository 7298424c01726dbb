package dev.pmulab.kvm.vpmu;

import static java.util.Objects.requireNonNull;

import dev.pmulab.api.GuestAccessMode;
import dev.pmulab.api.VcpuView;
import dev.pmulab.hw.AccessOutcome;
import dev.pmulab.hw.Events;
import dev.pmulab.hw.Pe;
import dev.pmulab.hw.PmuRegister;
import dev.pmulab.hw.regs.PmcrEl0;
import dev.pmulab.hw.regs.PmevtyperEl0;
import dev.pmulab.kvm.KernelCost;
import dev.pmulab.kvm.Vcpu;
import dev.pmulab.kvm.VcpuPmuRegs;
import dev.pmulab.kvm.VmPmuView;
import dev.pmulab.kvm.perf.PerfTask;
import java.util.EnumMap;
import java.util.Map;

/**
 * One vCPU's PMU as KVM runs it: vcpu_load and vcpu_put, every guest access to a PMU register, and
 * the virtual interrupt line, with the guest's counters either emulated by host perf events
 * ({@link GuestAccessMode#EMULATED}, today's KVM) or direct hardware counters below HPMN
 * ({@link GuestAccessMode#DIRECT}, the partitioning series). The allocation policy chooses the
 * mode through {@link KvmPmu#control()}; a change applies at the next load, or at once if loaded.
 *
 * <p>The simulation engine owns time and the PE contexts. It calls {@link #vcpuLoad} after the
 * vCPU thread was scheduled in on the CPU ({@code PerfCore.schedIn}, as perf's sched-in precedes
 * the preempt notifier in the kernel), switches the PE to the guest's context, calls
 * {@link #read}/{@link #write} for each guest MRS/MSR with the PE at the guest's Exception level and
 * {@code now} its time, and calls {@link #vcpuPut} before scheduling the thread out. Every kernel
 * operation is charged to the vCPU's CPU. Loads, puts and accesses allocate nothing but the
 * returned {@link GuestAccess}, except where perf creates an event.
 */
public final class VcpuPmu {
    /** Counters the guest asked to enable (PMCNTENSET writes less PMCNTENCLR writes). */
    private long guestEnableIntent;

    private static final int NR = PmuEmul.NR_PMCS;

    private enum Phase {
        IDLE,
        LOADING,
        LOADED,
        PUTTING
    }

    final KvmPmu kvm;
    final Vcpu vcpu;
    final VcpuPmuRegs regs;
    final VmPmuView vmPmu;
    final PerfTask thread;
    private final String vmName;
    private final int vmId;
    private final boolean partitionRequested;
    private final View view = new View();
    final PmuEmul emul;
    final PmuDirect direct;
    private final GuestPmuAccounting acct;

    GuestAccessMode mode = GuestAccessMode.EMULATED;
    private GuestAccessMode pendingMode;
    /** The CPU it is loaded on (also while loading and putting), else null. */
    KvmCpu cpu;

    private Phase phase = Phase.IDLE;
    private int lastCpu = -1;
    /** PMCR_EL0.N in force for the guest (KVM's own record, for visible-N changes). */
    private int guestVisibleN;
    /**
     * PMCR_EL0.N as the policy's view reports it: what the guest saw at its last entry, or what the
     * policy last noted (noteGuestVisibleN). A policy compares it with the N it sets to decide to
     * note a change, so KVM does not move it under the policy mid-hook.
     */
    int viewVisibleN;

    private boolean ran;
    /** The perf type of the VM's PMU, resolved at the first load (-1: none). */
    int vmPmuType = -1;

    // Outcomes the handlers report without allocating.
    boolean undefined;
    boolean retryRequested;
    /** How the last guest access ended (mrs/msr): trapped to KVM, and/or UNDEFINED for the guest. */
    private boolean lastTrapped;
    /** Full exits of the last access ({@link #lastAccessExits}). */
    private int lastExits;

    private boolean lastUndefined;

    // Counts for VcpuPmuStats.
    long untrappedAccesses;
    long trappedAccesses;
    private final long[] trapsByRegister = new long[PmuRegister.values().length];
    long undefinedInjections;
    long outsideShareTraps;
    long outsideShareRetries;
    long outsideShareEmulated;
    long outsideShareUndefined;
    long lazyRestores;
    long overflowInjections;
    long perfEventsCreated;
    long perfEventsReleased;
    long perfEventCreateFailures;
    private long visibleNChanges;
    long isolationBreaches;
    // vcpu_load and vcpu_put PMU work: counts, totals and the last one (no per-load list, so memory
    // stays flat in simulated time; the engine keeps the distribution).
    private long loads;
    private long loadNs;
    private long lastLoadNs;
    private long puts;
    private long putNs;
    private long lastPutNs;

    VcpuPmu(KvmPmu kvm, Vcpu vcpu, PerfTask thread, String vmName, int vmId, boolean partitionRequested) {
        this.kvm = kvm;
        this.vcpu = vcpu;
        this.regs = vcpu.pmuRegs();
        this.vmPmu = vcpu.vm().pmu();
        this.thread = thread;
        this.vmName = vmName;
        this.vmId = vmId;
        this.partitionRequested = partitionRequested;
        this.guestVisibleN = vmPmu.nrCounters();
        this.viewVisibleN = guestVisibleN;
        this.emul = new PmuEmul(this);
        this.direct = new PmuDirect(this);
        this.acct = new GuestPmuAccounting(this);
    }

    // =============================================================================================
    // vcpu_load / vcpu_put

    /**
     * kvm_arch_vcpu_load's PMU part on {@code cpu}: the allocation policy's vcpu_load hook first
     * (it may move HPMN, reschedule host perf, change the access mode), then the mode's load
     * (emulated: MDCR_EL2 traps, a pending reload of the perf events; direct: MDCR_EL2 and FGT for
     * the partition, the registers if the guest is counting), then kvm_vcpu_pmu_restore_guest's
     * EL0 flip on a VHE host. The ns charged to {@code cpu} meanwhile is one vcpu_load sample.
     *
     * @throws IllegalStateException if the vCPU is loaded, or another vCPU is loaded on {@code cpu}
     */
    public void vcpuLoad(int cpu, long now) {
        if (phase != Phase.IDLE) {
            throw new IllegalStateException(this + " is already loaded on CPU " + this.cpu.id);
        }
        KvmCpu c = kvm.cpu(cpu);
        if (c.loaded != null) {
            throw new IllegalStateException("CPU " + cpu + " already has " + c.loaded + " loaded");
        }
        kvm.now = now;
        if (vmPmuType < 0) {
            vmPmuType = vmPmu.armPmu().map(d -> d.type()).orElse(-1);
        }
        kvm.meter.open(cpu);
        try {
            phase = Phase.LOADING;
            this.cpu = c;
            c.loaded = this;
            if (kvm.policy != null) {
                kvm.policy.vcpuLoad(view, c, kvm.control());
            }
            applyPendingMode(now);
            if (mode == GuestAccessMode.EMULATED) {
                emul.load(now);
            } else {
                direct.load(now);
            }
            kvmVcpuPmuRestoreGuest(now);
            lastCpu = cpu;
            updateVisibleN();
            viewVisibleN = guestVisibleN;
            ran = true;
            phase = Phase.LOADED;
            acct.load(now);
        } finally {
            lastLoadNs = kvm.meter.close();
            loads++;
            loadNs += lastLoadNs;
        }
    }

    /**
     * kvm_arch_vcpu_put's PMU part: the EL0 flip back (kvm_vcpu_pmu_restore_host), the mode's put
     * (direct: the registers saved, pending overflows folded, guest counters stopped; both: the
     * host's traps back), then the policy's vcpu_put hook (it may give counters back to the host).
     * The ns charged meanwhile is one vcpu_put sample.
     */
    public void vcpuPut(long now) {
        checkLoaded();
        KvmCpu c = cpu;
        kvm.now = now;
        kvm.meter.open(c.id);
        try {
            acct.settle(now);
            phase = Phase.PUTTING;
            kvmVcpuPmuRestoreHost(now);
            if (mode == GuestAccessMode.EMULATED) {
                emul.put(now);
            } else {
                direct.put(now);
            }
            if (kvm.policy != null) {
                kvm.policy.vcpuPut(view, c, kvm.control());
            }
        } finally {
            c.loaded = null;
            cpu = null;
            phase = Phase.IDLE;
            lastPutNs = kvm.meter.close();
            puts++;
            putNs += lastPutNs;
        }
    }

    /**
     * The end of the measured window with the vCPU still loaded (a vCPU alone on its CPU is never
     * put): brings the guest counter accounts up to {@code now}, so the last stretch since the last
     * access or load counts toward coverage as a vcpu_put would have made it count. Nothing else
     * changes and nothing is charged.
     */
    public void settleAtEndOfWindow(long now) {
        if (phase == Phase.LOADED) {
            acct.settle(now);
        }
    }

    private void applyPendingMode(long now) {
        GuestAccessMode next = pendingMode;
        pendingMode = null;
        if (next == null || next == mode) {
            return;
        }
        if (mode == GuestAccessMode.EMULATED) {
            emul.releaseAll(now);
        }
        mode = next;
        kvm.accessModeChanges++;
    }

    /** The policy chose {@code next}: now if loaded, else at the next load (also when asked mid-load or mid-put). */
    void requestMode(GuestAccessMode next, long now) {
        if (phase != Phase.LOADED) {
            pendingMode = next == mode ? null : next;
            return;
        }
        pendingMode = null;
        if (next == mode) {
            return;
        }
        acct.settle(now);
        kvm.accessModeChanges++;
        if (mode == GuestAccessMode.DIRECT) {
            direct.put(now);
            mode = GuestAccessMode.EMULATED;
            emul.load(now);
        } else {
            emul.releaseAll(now);
            emul.put(now);
            mode = GuestAccessMode.DIRECT;
            direct.load(now);
        }
        kvmVcpuPmuRestoreGuest(now);
        updateVisibleN();
        acct.refresh(now);
    }

    /** The policy moved HPMN on the CPU this vCPU is on. */
    void hpmnChanged(int hpmn, long now) {
        if (phase != Phase.LOADED || mode != GuestAccessMode.DIRECT) {
            return;
        }
        acct.settle(now);
        direct.repartition(hpmn, now);
        updateVisibleN();
        acct.refresh(now);
    }

    /** Host perf was rescheduled on this vCPU's CPU: any host event now on a counter the guest owns is a breach. */
    void hostRescheduled() {
        if (phase == Phase.LOADED && mode == GuestAccessMode.DIRECT) {
            direct.checkHostBreach();
        }
    }

    /** PMCR_EL0.N as the guest reads it: the VM's counters emulated, HPMN direct; a change after the first run is recorded. */
    private void updateVisibleN() {
        int n = mode == GuestAccessMode.DIRECT ? direct.hpmn : vmPmu.nrCounters();
        if (n != guestVisibleN) {
            if (ran) {
                visibleNChanges++;
            }
            guestVisibleN = n;
        }
    }

    // =============================================================================================
    // The VHE EVTYPER flip (kvm_vcpu_pmu_restore_guest / _host, perf-core-and-costs.md §3.2)

    /**
     * kvm_vcpu_pmu_restore_guest: on a VHE host, counters of events that count only the guest
     * (kvm_pmu_events.events_guest) start counting EL0 and those that count only the host
     * (events_host) stop, by a read-modify-write of their PMEVTYPER (PMCCFILTR): C7 each.
     */
    void kvmVcpuPmuRestoreGuest(long now) {
        flipEl0(kvm.perf.kvmPmuEventsGuest(cpu.id), kvm.perf.kvmPmuEventsHost(cpu.id), now);
    }

    /** kvm_vcpu_pmu_restore_host: the reverse flip at vcpu_put. */
    private void kvmVcpuPmuRestoreHost(long now) {
        flipEl0(kvm.perf.kvmPmuEventsHost(cpu.id), kvm.perf.kvmPmuEventsGuest(cpu.id), now);
    }

    private void flipEl0(long enableEl0, long disableEl0, long now) {
        if (!kvm.perf.config().vhe() || (enableEl0 | disableEl0) == 0) {
            return;
        }
        KvmCpu c = cpu;
        c.hypEnter(now);
        for (long m = enableEl0; m != 0; m &= m - 1) {
            rmwEvtyper(c, Long.numberOfTrailingZeros(m), false);
        }
        for (long m = disableEl0; m != 0; m &= m - 1) {
            rmwEvtyper(c, Long.numberOfTrailingZeros(m), true);
        }
        c.hypExit();
    }

    private void rmwEvtyper(KvmCpu c, int idx, boolean excludeEl0) {
        PmuRegister reg = idx == Pe.CYCLE_COUNTER ? PmuRegister.PMCCFILTR_EL0 : PmuRegister.PMEVTYPER_EL0;
        long typer = c.pe.readChecked(reg, idx);
        typer = excludeEl0 ? typer | PmevtyperEl0.U : typer & ~PmevtyperEl0.U;
        c.pe.writeChecked(reg, idx, typer);
        kvm.meter.charge(c.id, KernelCost.PMU_SYSREG_SAVE_RESTORE, 0);
    }

    // =============================================================================================
    // Guest accesses

    /** An MRS of {@code reg} (index {@code index} for PMEVCNTR/PMEVTYPER) by the guest on the loaded CPU. */
    public GuestAccess read(PmuRegister reg, int index, long now) {
        long value = mrs(reg, index, now);
        return new GuestAccess(value, lastTrapped, lastUndefined);
    }

    /** An MSR of {@code value} to {@code reg} by the guest on the loaded CPU. */
    public GuestAccess write(PmuRegister reg, int index, long value, long now) {
        msr(reg, index, value, now);
        return new GuestAccess(0, lastTrapped, lastUndefined);
    }

    /**
     * {@link #read} without the record, for the engine's hot path (which must not allocate): the
     * value the guest reads; {@link #lastAccessTrapped} and {@link #lastAccessUndefined} say how.
     */
    public long mrs(PmuRegister reg, int index, long now) {
        requireNonNull(reg, "reg is null");
        lastExits = 0;
        return access(reg, index, false, 0, now, false);
    }

    /** {@link #write} without the record; see {@link #mrs}. */
    public void msr(PmuRegister reg, int index, long value, long now) {
        requireNonNull(reg, "reg is null");
        lastExits = 0;
        access(reg, index, true, value, now, false);
    }

    /**
     * How many full exits (C1 each) the last {@link #mrs}/{@link #msr} took: 0 untrapped, 1 trapped,
     * 2 when a policy moved HPMN and the guest re-executed the instruction, which trapped again.
     */
    public int lastAccessExits() {
        return lastExits;
    }

    /** Whether the last {@link #mrs}/{@link #msr} trapped to KVM (C1 charged). */
    public boolean lastAccessTrapped() {
        return lastTrapped;
    }

    /** Whether the last {@link #mrs}/{@link #msr} ends in an UNDEFINED exception for the guest. */
    public boolean lastAccessUndefined() {
        return lastUndefined;
    }

    /**
     * The access as the PE decides it ({@link Pe#check} at the guest's level): let through (C21,
     * straight to the PE), UNDEFINED by the hardware, or trapped to KVM (C1) and handled by the
     * mode. An EL0 access that traps to the guest's own EL1 is not KVM's: it comes back undefined.
     * Returns what the guest reads (0 for a write or an access that did not complete) and leaves
     * the outcome in {@link #lastTrapped} and {@link #lastUndefined}.
     */
    private long access(PmuRegister reg, int index, boolean write, long value, long now, boolean retry) {
        checkLoaded();
        kvm.now = now;
        Pe pe = cpu.pe;
        pe.advanceTo(now);
        acct.settleBeforeAccess(
                now, mode == GuestAccessMode.EMULATED && !cpu.brbe && PmuEmul.leavesAccountsAlone(reg, write));
        if (mode == GuestAccessMode.DIRECT) {
            direct.checkHostBreach();
        }
        long result;
        AccessOutcome outcome = pe.check(reg, index, write);
        if (write && outcome != AccessOutcome.UNDEFINED) {
            noteEnableIntent(reg, value);
        }
        switch (outcome) {
            case OK:
                result = untrapped(pe, reg, index, write, value);
                break;
            case TRAP_EL2:
                result = trapped(reg, index, write, value, now, retry);
                break;
            case UNDEFINED:
                undefinedInjections++;
                lastTrapped = false;
                lastUndefined = true;
                result = 0;
                break;
            default: // an EL0 access trapping to the guest's own EL1: not KVM's, and not counted here
                lastTrapped = false;
                lastUndefined = true;
                result = 0;
                break;
        }
        acct.refresh(now);
        return result;
    }

    /**
     * The counters the guest itself asked to enable, whatever reached the hardware: the accounting's
     * notion of "enabled by the guest". It keeps KVM's UNKNOWN reset bits (which the guest may be
     * unable to clear, e.g. above HPMN where the hardware masks its PMCNTENCLR) out, and keeps a
     * counter the guest enabled counted as enabled when HPMN later drops under it.
     */
    private void noteEnableIntent(PmuRegister reg, long value) {
        if (reg == PmuRegister.PMCNTENSET_EL0) {
            guestEnableIntent |= value;
        } else if (reg == PmuRegister.PMCNTENCLR_EL0) {
            guestEnableIntent &= ~value;
        }
    }

    long guestEnableIntent() {
        return guestEnableIntent;
    }

    private long untrapped(Pe pe, PmuRegister reg, int index, boolean write, long value) {
        untrappedAccesses++;
        kvm.meter.charge(cpu.id, KernelCost.GUEST_UNTRAPPED_ACCESS, 0);
        boolean breach = mode == GuestAccessMode.EMULATED
                ? reg != PmuRegister.BRBCR_EL1 && reg != PmuRegister.BRBFCR_EL1 // TPM traps every PMU access
                : direct.untrappedBreach(pe, reg, index);
        if (breach) {
            isolationBreaches++;
        }
        lastTrapped = false;
        lastUndefined = false;
        if (write) {
            pe.writeChecked(reg, index, value);
            return 0;
        }
        return pe.readChecked(reg, index);
    }

    private long trapped(PmuRegister reg, int index, boolean write, long value, long now, boolean retry) {
        trappedAccesses++;
        trapsByRegister[reg.ordinal()]++;
        lastExits++;
        kvm.meter.charge(cpu.id, KernelCost.TRAP_SYSREG_EMULATION, 0);
        undefined = false;
        retryRequested = false;
        long read = mode == GuestAccessMode.EMULATED
                ? emul.access(reg, index, write, value, now)
                : direct.access(reg, index, write, value, now, retry);
        if (retryRequested) {
            // The policy moved HPMN: the guest re-executes the instruction. It trapped once already.
            retryRequested = false;
            long again = access(reg, index, write, value, now, true);
            lastTrapped = true;
            return again;
        }
        lastTrapped = true;
        if (undefined) {
            undefined = false;
            undefinedInjections++;
            lastUndefined = true;
            return 0;
        }
        lastUndefined = false;
        return write ? 0 : read;
    }

    // =============================================================================================
    // Interrupt

    /**
     * The virtual PMU interrupt line: emulated, kvm_pmu_overflow_status (PMOVSSET and PMINTENSET
     * under PMCR_EL0.E); direct, the partitioned status over the guest range (false while FREE).
     */
    public boolean irqLevel() {
        return mode == GuestAccessMode.EMULATED ? emul.irqLevel() : direct.irqLevel();
    }

    /** After kvm_pmu_handle_guest_irq forwarded overflows: an injection if the line is now up (C18). */
    void injectIfPending(int cpuId) {
        if (irqLevel()) {
            kvm.meter.charge(cpuId, KernelCost.GUEST_OVERFLOW_INJECT_LOCAL, 0);
            overflowInjections++;
        }
    }

    // =============================================================================================
    // Queries for accounting (package-private)

    /** The guest's enabled counters (PMCR_EL0.E and PMCNTENSET). */
    long guestEnabledMask() {
        if (mode == GuestAccessMode.DIRECT) {
            return direct.enabledMask();
        }
        return (regs.pmcr() & PmcrEl0.E) != 0 ? regs.pmcnten() : 0;
    }

    /** The event counter {@code i} counts: CPU_CYCLES for PMCCNTR, else its PMEVTYPER's event. */
    int eventOf(int i) {
        return i == Pe.CYCLE_COUNTER ? Events.CPU_CYCLES : (int) (regs.eventType(i) & vmPmu.eventMask());
    }

    /** SW_INCR and CHAIN are counted by software (KVM's or the hardware's carries), never filtered. */
    boolean softwareCounter(int i) {
        return softwareCounter(i, eventOf(i));
    }

    /** {@link #softwareCounter(int)} with counter {@code i}'s {@link #eventOf event} already read. */
    private static boolean softwareCounter(int i, int event) {
        return i != Pe.CYCLE_COUNTER && (event == Events.SW_INCR || event == Events.CHAIN);
    }

    /** The VM's event filter denies counter {@code i}'s event. */
    boolean eventDenied(int i) {
        return eventDenied(i, eventOf(i));
    }

    /** {@link #eventDenied(int)} with counter {@code i}'s event already read (the accounting reads it once per counter). */
    boolean eventDenied(int i, int event) {
        return !softwareCounter(i, event) && !vmPmu.eventAllowed(event);
    }

    /** Whether counter {@code i}, whose event is {@code event}, counts now (its event on a counter; software counters always). */
    boolean counterCounting(int i, int event) {
        if (mode == GuestAccessMode.DIRECT) {
            return direct.counting(i);
        }
        return softwareCounter(i, event) || emul.eventActive(i);
    }

    /** The value the guest would read from counter {@code i}, without charging anything. */
    long guestCounterValue(int i, long now) {
        return mode == GuestAccessMode.DIRECT ? direct.counterValue(i, now) : emul.kvmPmuGetCounterValue(i, now);
    }

    private void checkLoaded() {
        if (phase != Phase.LOADED) {
            throw new IllegalStateException(this + " is not loaded");
        }
    }

    // =============================================================================================
    // Public state

    public boolean loaded() {
        return phase == Phase.LOADED;
    }

    /** The CPU it is loaded on, or -1. */
    public int cpu() {
        return cpu == null ? -1 : cpu.id;
    }

    /** How the guest reaches its counters: now if loaded, else from its next load (a change the policy asked for included). */
    public GuestAccessMode accessMode() {
        return pendingMode != null ? pendingMode : mode;
    }

    /** The vCPU as the allocation policy sees it. */
    public VcpuView view() {
        return view;
    }

    public Vcpu vcpu() {
        return vcpu;
    }

    /** The counts so far, up to the last load, put or access. */
    public VcpuPmuStats stats() {
        Map<PmuRegister, Long> byReg = new EnumMap<>(PmuRegister.class);
        for (PmuRegister r : PmuRegister.values()) {
            if (trapsByRegister[r.ordinal()] != 0) {
                byReg.put(r, trapsByRegister[r.ordinal()]);
            }
        }
        return new VcpuPmuStats(
                vmName,
                vmId,
                vcpu.id(),
                mode,
                untrappedAccesses,
                trappedAccesses,
                Map.copyOf(byReg),
                undefinedInjections,
                outsideShareTraps,
                outsideShareRetries,
                outsideShareEmulated,
                outsideShareUndefined,
                lazyRestores,
                overflowInjections,
                perfEventsCreated,
                perfEventsReleased,
                perfEventCreateFailures,
                acct.counters(),
                acct.filterLeaks(),
                visibleNChanges,
                isolationBreaches,
                loads,
                loadNs,
                lastLoadNs,
                puts,
                putNs,
                lastPutNs);
    }

    @Override
    public String toString() {
        return vmName + "/vcpu" + vcpu.id();
    }

    /** The policy's read-only view of this vCPU. */
    private final class View implements VcpuView {
        @Override
        public String vmName() {
            return vmName;
        }

        @Override
        public int vmId() {
            return vmId;
        }

        @Override
        public int vcpuId() {
            return vcpu.id();
        }

        @Override
        public boolean pmuEnabled() {
            return vcpu.hasPmu() && vcpu.pmu().initialized();
        }

        @Override
        public int guestCountersLimit() {
            return vmPmu.nrCounters();
        }

        @Override
        public int guestVisibleN() {
            return viewVisibleN;
        }

        @Override
        public long guestCountersInUse() {
            if (mode == GuestAccessMode.DIRECT) {
                // The guest's own counters only; see PmuDirect.enabledMask.
                return direct.enabledMask();
            }
            // Not KVM's UNKNOWN reset bits: only what the guest asked for.
            return regs.pmcnten() & guestEnableIntent;
        }

        @Override
        public GuestAccessMode accessMode() {
            return VcpuPmu.this.accessMode();
        }

        @Override
        public boolean partitionRequested() {
            return partitionRequested;
        }

        @Override
        public int lastCpu() {
            return lastCpu;
        }

        /** The engine-side object this view belongs to. */
        VcpuPmu owner() {
            return VcpuPmu.this;
        }

        @Override
        public String toString() {
            return VcpuPmu.this.toString();
        }
    }

    /** Tests: every guest access settles the counter accounts at once (no deferral), the reference. */
    void settleAccountsEveryAccess() {
        acct.settleEveryAccess();
    }

    /** The VcpuPmu behind a view KVM gave out, or null. */
    static VcpuPmu ownerOf(VcpuView view) {
        return view instanceof View v ? v.owner() : null;
    }
}
