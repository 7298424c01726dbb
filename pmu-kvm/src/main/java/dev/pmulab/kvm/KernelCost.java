package dev.pmulab.kvm;

/**
 * The kernel operations whose time the simulator charges, with the defaults of
 * perf-core-and-costs.md §8 (baseline host: Ampere Altra, Neoverse N1, VHE). Every value is a
 * parameter a scenario may override; the flag says how much to trust the default.
 */
public enum KernelCost {
    TRAP_SYSREG_EMULATION("C1", 451, 0, Flag.DERIVED,
            "Altra mmio_read_vgic 451 ns, the closest measured in-kernel exit"),
    HVC_ROUND_TRIP("C2", 306, 0, Flag.MEASURED, "Altra kvm-unit-tests micro-bench, R. Rao Ananta 2024-10-29"),
    EXIT_TO_USERSPACE("C3", 1683, 0, Flag.MEASURED, "Altra mmio_read_user 1683 ns"),
    PERF_EVENT_READ_VALUE("C4", 150, 0, Flag.ESTIMATE, "one or two sysreg reads plus perf bookkeeping and locking"),
    VCPU_LOAD_BASE("C5", 300, 0, Flag.ESTIMATE, "half of mmio_read_user - mmio_read_vgic after syscall and VMM dispatch"),
    VCPU_PUT_BASE("C6", 300, 0, Flag.ESTIMATE, "same derivation as vcpu_load"),
    PMU_SYSREG_SAVE_RESTORE("C7", 15, 0, Flag.ESTIMATE, "one sysreg is tens of cycles at ~3 GHz, rounded up for ISB"),
    NVHE_PMCNTEN_FLIP("C8", 30, 0, Flag.ESTIMATE, "PMCNTENCLR + PMCNTENSET per world-switch direction"),
    PERF_EVENT_CREATE("C9", 5000, 0, Flag.ESTIMATE,
            "allocation + event_init + install with resched; microsecond-scale path"),
    PERF_EVENT_DESTROY("C10", 2000, 0, Flag.ESTIMATE, "sched-out + removal from the context + free"),
    GUEST_COUNTER_REPROGRAM("C11", 7451, 0, Flag.ESTIMATE, "C1 + C10 + C9"),
    PERF_PMU_RESCHED("C12", 1000, 200, Flag.ESTIMATE,
            "ctx locks, perf_pmu_disable/enable and tree walks; 200 ns per event on that PMU (~13 sysreg ops)"),
    PERF_EVENT_DISABLE("C13", 300, 0, Flag.ESTIMATE, "group sched-out only plus locking"),
    PERF_ROTATE_CONTEXT("C14", 500, 200, Flag.ESTIMATE,
            "hrtimer entry/exit + locks; 200 ns per flexible event moved out and in"),
    PMU_IRQ_HANDLING("C16", 1000, 0, Flag.ESTIMATE,
            "IRQ entry/exit plus PMOVSCLR, PMCR.E stop/start, update and set_period, perf_event_overflow"),
    PERF_SAMPLE_RECORD("C17", 1000, 0, Flag.ESTIMATE, "ring-buffer record without call chains"),
    GUEST_OVERFLOW_INJECT_LOCAL("C18", 750, 0, Flag.ESTIMATE,
            "handler bookkeeping + IRQ-forced exit and re-entry + LR programming"),
    GUEST_OVERFLOW_INJECT_REMOTE("C19", 1926, 0, Flag.DERIVED, "Altra virtual IPI delivery 1926 ns as the kick proxy"),
    GUEST_PMU_EOI("C20", 14, 0, Flag.MEASURED, "Altra eoi micro-bench"),
    GUEST_UNTRAPPED_ACCESS("C21", 15, 0, Flag.ESTIMATE, "a native sysreg access, as C7"),
    PERIOD_RETUNE("C22", 50, 0, Flag.ESTIMATE, "~3 sysreg writes plus arithmetic"),
    EXIT_INDIRECT("C23", 450, 0, Flag.ESTIMATE,
            "guest time lost refilling caches, TLBs and predictors after one exit; SplitX (Landau et al., ASPLOS"
                    + " 2011): indirect costs comparable to the direct cost and up to 10x it; the low end, 1x C1");

    /** How a default was obtained (perf-core-and-costs.md §8). */
    public enum Flag { MEASURED, DERIVED, ESTIMATE }

    private final String id;
    private final long baseNs;
    private final long perUnitNs;
    private final Flag flag;
    private final String source;

    KernelCost(String id, long baseNs, long perUnitNs, Flag flag, String source) {
        this.id = id;
        this.baseNs = baseNs;
        this.perUnitNs = perUnitNs;
        this.flag = flag;
        this.source = source;
    }

    /** The row of the cost table: C1 ... C22. */
    public String id() {
        return id;
    }

    /** Default fixed cost of one occurrence, in ns. */
    public long defaultBaseNs() {
        return baseNs;
    }

    /** Default extra cost per unit (per event on the PMU, per event moved), in ns; 0 if none. */
    public long defaultPerUnitNs() {
        return perUnitNs;
    }

    public Flag flag() {
        return flag;
    }

    public String source() {
        return source;
    }
}
