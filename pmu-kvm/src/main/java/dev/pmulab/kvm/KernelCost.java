package dev.pmulab.kvm;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The kernel operations whose time the simulator charges, with the defaults of
 * perf-core-and-costs.md §8 (baseline host: Ampere Altra, Neoverse N1, VHE, ~3 GHz), and C24, which
 * §8 does not list: the share of a full exit the host counts as guest time, from pmulab's own code
 * count (see its comment). Every value is a parameter a scenario may override; the flag says how
 * much to trust the default.
 *
 * <h2>Code counts (issue 14 item 5)</h2>
 *
 * No published measurement of perf's kernel paths on arm64 was found (perf-core-and-costs.md §7),
 * so C4, C9, C10, C12, C13, C16 and C18 were derived again by walking the kernel path each one
 * stands for (kernel/events/core.c, drivers/perf/arm_pmuv3.c and arm_pmu.c, arch/arm64/kvm/pmu-emul.c
 * as of Linux 6.12-6.15) and counting what it does, at these rates (assumptions, no Neoverse N1
 * figure was found for them): generic kernel code at about one instruction per cycle, a PMU system
 * register write or read 10-20 cycles, an ISB 20-30 cycles, an uncontended lock or atomic 20-50
 * cycles, 3 GHz. Each result is a range, {@link #sourcedBase()} and {@link #sourcedPerUnit()}; the
 * defaults are left where they were until the calibration (dev.pmulab.sim.validation.CostFit) is
 * rerun on the final accounting, so several lie outside their range, which the source text says.
 * The flag stays {@code estimate}: a count is reasoning, not a measurement. The one measured proxy,
 * on x86: with KVM reusing its perf events (pause, period, enable) a guest PMI handler sampling 4
 * events on Ice Lake took 32.9 µs on average, 37.6 µs before (Like Xu, "KVM: x86/pmu: Introduce
 * pmc->is_paused to reduce the call time of perf interfaces", 2021-07-28); his exit trace shows
 * about 8.5 PMU MSR exits per PMI, so some 20 µs of it were perf calls (4 pauses, ~5 period
 * changes, 4 enables with their ctx_resched), about 3 µs per perf_event_enable on x86, whose PMU
 * driver writes MSRs and runs its event scheduler where arm64's writes a few system registers.
 * The x86 worst cases quoted for event creation (up to 21 ms with the host watchdog disabled, the
 * same series; "around 2,500,000 ns" per guest PMU update, Wei Wang, "Intel Virtual PMU
 * Optimization" v1, 2018-11-01) are not steady-state costs and are not used.
 */
public enum KernelCost {
    TRAP_SYSREG_EMULATION(
            "C1", 451, 0, Flag.DERIVED, "Altra mmio_read_vgic 451 ns, the closest measured in-kernel exit"),
    HVC_ROUND_TRIP("C2", 306, 0, Flag.MEASURED, "Altra kvm-unit-tests micro-bench, R. Rao Ananta 2024-10-29"),
    EXIT_TO_USERSPACE("C3", 1683, 0, Flag.MEASURED, "Altra mmio_read_user 1683 ns"),
    /**
     * KVM's read of a guest counter backed by a perf event (kvm_pmu_get_pmc_value →
     * perf_event_read_value): the context mutex, __perf_event_read_value → perf_event_read, whose
     * smp_call_function_single targets this CPU (a local call with IRQs off, no IPI) →
     * __perf_event_read: ctx->lock, context and event time updates, armpmu_read →
     * armpmu_event_update (one PMEVCNTR read, a cmpxchg loop); then the child mutex and the time
     * sums. About 700 instructions, one register read, two mutexes and a spinlock: 200-350 ns.
     */
    PERF_EVENT_READ_VALUE(
            "C4",
            150,
            0,
            Flag.ESTIMATE,
            "code count: ctx mutex, local __perf_event_read, one counter read, ~700 instructions: 200-350 ns;"
                    + " this default is below it",
            200,
            350,
            0,
            0),
    VCPU_LOAD_BASE(
            "C5", 300, 0, Flag.ESTIMATE, "half of mmio_read_user - mmio_read_vgic after syscall and VMM dispatch"),
    VCPU_PUT_BASE("C6", 300, 0, Flag.ESTIMATE, "same derivation as vcpu_load"),
    PMU_SYSREG_SAVE_RESTORE("C7", 15, 0, Flag.ESTIMATE, "one sysreg is tens of cycles at ~3 GHz, rounded up for ISB"),
    NVHE_PMCNTEN_FLIP("C8", 30, 0, Flag.ESTIMATE, "PMCNTENCLR + PMCNTENSET per world-switch direction"),
    /**
     * perf_event_create_kernel_counter as KVM calls it (kvm_pmu_create_perf_event): perf_event_alloc
     * (a zeroed struct perf_event of about 1.2 KB from its slab cache, some 40 field
     * initialisations, perf_init_event: the PMU's idr lookup under SRCU and armpmu_event_init →
     * armv8pmu_map_event, armv8pmu_set_event_filter, validate_group of a lone event),
     * find_get_context (the vCPU thread's context exists), find_get_pmu_context, the context
     * mutex and perf_install_in_context. KVM creates the event disabled whenever the guest counter
     * is disabled, and a Linux guest always programs a counter that way (armv8pmu_enable_event
     * clears PMCNTENSET before writing the type; the PMI handler writes counters after
     * armv8pmu_stop cleared PMCR_EL0.E); since Linux 5.5 ("perf: Optimize
     * perf_install_in_event()", Peter Zijlstra, 2019-10-22) a disabled event in a context that
     * already has events is added under ctx->lock (add_event_to_ctx: an rb-tree insert) with
     * neither IPI nor ctx_resched. About 3,000 instructions and a cold slab object: 1-2 µs. An event
     * created enabled on a running context also goes through __perf_install_in_context's
     * ctx_resched, C12's cost. The default, which §8 meant to include that resched, is above the
     * range.
     */
    PERF_EVENT_CREATE(
            "C9",
            5000,
            0,
            Flag.ESTIMATE,
            "code count: perf_event_alloc + armpmu_event_init + add_event_to_ctx, no ctx_resched for a disabled"
                    + " event (Linux 5.5+), ~3,000 instructions: 1-2 us; this default is above it (section 8 counted"
                    + " a resched in it)",
            1000,
            2000,
            0,
            0),
    /**
     * perf_event_release_kernel of a KVM counter (kvm_pmu_release_perf_event calls
     * perf_event_disable first, C13, so the event is off): no owner file to detach, perf_remove_from_context
     * through event_function_call (a local call) → __perf_remove_from_context: list_del_event (an
     * rb-tree erase), perf_group_detach, state DEAD, the PMU context put; _free_event:
     * irq_work_sync, unaccount_event, put_ctx, module_put, and call_rcu, whose slab free runs later
     * on the same CPU. About 1,500 instructions: 0.5-1 µs.
     */
    PERF_EVENT_DESTROY(
            "C10",
            2000,
            0,
            Flag.ESTIMATE,
            "code count: local __perf_remove_from_context (rb erase, group detach) + _free_event + the RCU-deferred"
                    + " free, ~1,500 instructions: 0.5-1 us; this default is above it",
            500,
            1000,
            0,
            0),
    GUEST_COUNTER_REPROGRAM("C11", 7451, 0, Flag.ESTIMATE, "C1 + C10 + C9"),
    /**
     * perf_event_enable of an existing event, and any ctx_resched pass (KVM's
     * kvm_pmu_reprogram_counter_mask calls it for every enabled counter when the guest sets
     * PMCR_EL0.E or writes PMCNTENSET; perf_pmu_resched; a task switch of a task with events).
     * Fixed part: the context mutex, ctx->lock, event_function_call → task_function_call →
     * smp_call_function_single to this CPU (local) → event_function (perf_ctx_lock) →
     * __perf_event_enable: ctx_sched_out(EVENT_TIME), state INACTIVE, ctx_resched (a pinned event
     * also takes the flexible ones out): perf_pmu_disable (armv8pmu_stop: PMCR read, ISB, write),
     * the task's and the CPU's PMU contexts scheduled out, perf_pmu_sched_in (four
     * visit_groups_merge walks over the pinned and flexible trees of the CPU and the task),
     * perf_pmu_enable (armv8pmu_start: PMUSERENR write, PMCR read, ISB, write),
     * ctx_sched_in(EVENT_TIME). About 2,200 instructions, 6 PMU register accesses, 2 ISBs, four
     * locks: 0.8-1.2 µs. Per event moved (out and back in, one-event groups): armpmu_del →
     * armv8pmu_disable_event (PMCNTENCLR, ISB, PMINTENCLR, ISB, PMOVSCLR, ISB), armpmu_event_update
     * (one read), perf_event_update_userpage; armpmu_add → get_event_idx, armpmu_event_set_period
     * (a counter write), armv8pmu_enable_event (PMCNTENCLR, ISB, PMEVTYPER, PMINTENSET, ISB,
     * PMCNTENSET), perf_event_update_userpage; plus event_sched_in/out's state and time
     * bookkeeping. About 1,000 instructions, 8 writes, 1 read, 5 ISBs: 0.3-0.5 µs. Since Linux 6.12
     * ("perf/core: Optimize event reschedule for a PMU", Namhyung Kim, 2024-08) ctx_resched walks
     * only the event's PMU, as the model does; before, every PMU of the context. The x86 proxy in
     * the class comment, about 3 µs per enable moving 2-3 events, is of the same order.
     */
    PERF_PMU_RESCHED(
            "C12",
            1000,
            200,
            Flag.ESTIMATE,
            "code count: perf_event_enable (ctx mutex, local task_function_call) + ctx_resched, ~2,200"
                    + " instructions: 0.8-1.2 us; per event moved armpmu_del + armpmu_add (8 PMU writes, a read,"
                    + " 5 ISBs, ~1,000 instructions): 0.3-0.5 us, above this default's 200 ns",
            800,
            1200,
            300,
            500),
    /**
     * perf_event_disable of an event on a counter (KVM: every enabled counter when the guest clears
     * PMCR_EL0.E, a PMCNTENCLR write, and before each release): the context mutex, ctx->lock, a
     * local task_function_call, __perf_event_disable: update_context_time, group_sched_out →
     * event_sched_out (armv8pmu_disable_event: 3 writes, 3 ISBs; one counter read;
     * perf_event_update_userpage) between perf_pmu_disable and enable (PMCR written twice). About
     * 1,300 instructions, 7 PMU register accesses, 5 ISBs: 0.45-0.6 µs. An event already off
     * returns under ctx->lock (about 50 ns), which the model does not charge.
     */
    PERF_EVENT_DISABLE(
            "C13",
            300,
            0,
            Flag.ESTIMATE,
            "code count: ctx mutex, local task_function_call, event_sched_out (3 PMU writes, 3 ISBs, a read),"
                    + " ~1,300 instructions: 450-600 ns; this default is below it",
            450,
            600,
            0,
            0),
    PERF_ROTATE_CONTEXT(
            "C14", 500, 200, Flag.ESTIMATE, "hrtimer entry/exit + locks; 200 ns per flexible event moved out and in"),
    /**
     * The host's PMU interrupt for one overflowed counter: IRQ entry and exit through the GIC
     * (gic_handle_irq: an ICC_IAR1 read, handle_percpu_devid_irq, an ICC_EOIR1 write,
     * irq_enter/irq_exit), 0.3-0.5 µs; armpmu_dispatch_irq (two sched_clock reads,
     * perf_sample_event_took) → armv8pmu_handle_irq: PMOVSCLR read and write, armv8pmu_stop, for the
     * counter armpmu_event_update (a read) and armpmu_event_set_period (a write),
     * perf_event_overflow's throttle accounting, armv8pmu_start; about 10 PMU register accesses,
     * 2 ISBs, 500 instructions, 0.2-0.4 µs. The overflow handler itself is C17 (a sample) or C18
     * (KVM). Total 0.5-0.9 µs.
     */
    PMU_IRQ_HANDLING(
            "C16",
            1000,
            0,
            Flag.ESTIMATE,
            "code count: IRQ entry/exit through the GIC 0.3-0.5 us + armv8pmu_handle_irq for one counter (PMOVSCLR,"
                    + " PMCR stop/start, a counter read and write) 0.2-0.4 us: 0.5-0.9 us; this default is above it",
            500,
            900,
            0,
            0),
    PERF_SAMPLE_RECORD("C17", 1000, 0, Flag.ESTIMATE, "ring-buffer record without call chains"),
    /**
     * KVM's overflow handler and the injection it causes, vCPU on this CPU: kvm_pmu_perf_overflow
     * stops the event (armpmu_stop: 3 writes, 3 ISBs, a read), computes the period to the guest
     * counter's wrap, sets the shadow PMOVSSET bit (and a CHAIN carry), raises KVM_REQ_IRQ_PENDING
     * and kicks the vCPU (same CPU: no IPI; from NMI context an irq_work), and restarts the event
     * (a counter write, armv8pmu_enable_event): 0.2-0.3 µs. The interrupt forced the guest out, so an
     * exit and entry follow, about the hvc round trip C2 = 306 ns (measured), with
     * kvm_pmu_update_state → kvm_vgic_inject_irq and a list-register write on entry, 0.1-0.2 µs.
     * Total 0.6-0.8 µs.
     */
    GUEST_OVERFLOW_INJECT_LOCAL(
            "C18",
            750,
            0,
            Flag.ESTIMATE,
            "code count: kvm_pmu_perf_overflow (armpmu_stop/start, 9 PMU writes, 5 ISBs) 0.2-0.3 us + the forced"
                    + " exit and entry ~ C2 306 ns (measured) + vGIC injection 0.1-0.2 us: 0.6-0.8 us",
            600,
            800,
            0,
            0),
    GUEST_OVERFLOW_INJECT_REMOTE("C19", 1926, 0, Flag.DERIVED, "Altra virtual IPI delivery 1926 ns as the kick proxy"),
    GUEST_PMU_EOI("C20", 14, 0, Flag.MEASURED, "Altra eoi micro-bench"),
    GUEST_UNTRAPPED_ACCESS("C21", 15, 0, Flag.ESTIMATE, "a native sysreg access, as C7"),
    PERIOD_RETUNE("C22", 50, 0, Flag.ESTIMATE, "~3 sysreg writes plus arithmetic"),
    EXIT_INDIRECT(
            "C23",
            450,
            0,
            Flag.ESTIMATE,
            "guest time lost refilling caches, TLBs and predictors after one exit; SplitX (Landau et al., ASPLOS"
                    + " 2011): indirect costs comparable to the direct cost and up to 10x it; the low end, 1x C1"),
    /**
     * The part of one full exit's round trip (C1) that the host's /proc/stat counts as guest time,
     * so that mpstat shows it as %guest, not %sys. Not an extra cost: a share of C1, charged once per
     * exit a trapped access takes. In {@code kvm_arch_vcpu_ioctl_run} (arch/arm64/kvm/arm.c) the
     * world switch ({@code kvm_arm_vcpu_enter_exit} → {@code __kvm_vcpu_run_vhe}: trap and stage-2
     * configuration, general registers, exception entry and ERET) and the vGIC, timer and PMU sync
     * after it run between {@code guest_timing_enter_irqoff} and {@code guest_timing_exit_irqoff},
     * with PF_VCPU set; the entry path from {@code local_irq_disable} to {@code
     * guest_timing_enter_irqoff} runs with interrupts masked, so a tick due there is taken inside
     * the guest bracket too ({@code account_system_time} → {@code account_guest_time}). Only
     * {@code handle_exit} (the sysreg emulation and any perf call) and the loop's work before
     * {@code local_irq_disable} are system time. Code count, at the class comment's rates: the VHE
     * world switch both ways about 400-550 cycles (some 20 EL2 control-register writes and reads, two
     * or three ISBs, 62 general-register moves, an exception entry and an ERET) and the masked
     * sync/flush segments about 100-200 cycles: 150-250 ns of the measured 306 ns hvc round trip
     * (C2), whose handling proper (the SMCCC call and the loop) is the small rest.
     */
    EXIT_GUEST_TIMED(
            "C24",
            200,
            0,
            Flag.ESTIMATE,
            "code count: the VHE world switch both ways (__kvm_vcpu_run_vhe, ~20 EL2 register accesses, 2-3"
                    + " ISBs, general registers, exception entry and ERET) and the IRQ-masked vGIC/timer/PMU"
                    + " sync and flush around it, inside guest_timing_enter/exit_irqoff or deferring the tick"
                    + " into it: 150-250 ns of a full exit, counted as %guest",
            150,
            250,
            0,
            0);

    /** How a default was obtained (perf-core-and-costs.md §8). */
    public enum Flag {
        /** Taken directly from a published measurement. */
        MEASURED,
        /** Computed from a measurement or from a code constant. */
        DERIVED,
        /** No measurement: reasoning, a code count at best. */
        ESTIMATE,
        /**
         * Chosen by the cost fit (dev.pmulab.sim.validation.CostFit) on benchmarks 1 and 3 of the
         * partitioning v1 cover letter, with benchmark 2 as the out-of-sample check; one global
         * value, never per scenario.
         */
        FITTED
    }

    /** A range of ns, both ends included. */
    public record Range(long lowNs, long highNs) {
        public Range {
            if (lowNs < 0 || highNs < lowNs) {
                throw new IllegalArgumentException("not a range of ns: " + lowNs + ".." + highNs);
            }
        }

        public boolean contains(long ns) {
            return ns >= lowNs && ns <= highNs;
        }
    }

    private final String id;
    private final long baseNs;
    private final long perUnitNs;
    private final Flag flag;
    private final String source;
    private final Range sourcedBase;
    private final Range sourcedPerUnit;

    KernelCost(String id, long baseNs, long perUnitNs, Flag flag, String source) {
        this(id, baseNs, perUnitNs, flag, source, -1, -1, -1, -1);
    }

    /** A cost with a code-count range for its fixed part and, if it has one, its per-unit part (-1: none). */
    KernelCost(
            String id,
            long baseNs,
            long perUnitNs,
            Flag flag,
            String source,
            long baseLow,
            long baseHigh,
            long perUnitLow,
            long perUnitHigh) {
        this.id = id;
        this.baseNs = baseNs;
        this.perUnitNs = perUnitNs;
        this.flag = flag;
        this.source = source;
        this.sourcedBase = baseLow < 0 ? null : new Range(baseLow, baseHigh);
        this.sourcedPerUnit = perUnitHigh <= 0 ? null : new Range(perUnitLow, perUnitHigh);
    }

    /** The row of the cost table: C1 ... C24. */
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

    /** The range a count of the kernel path gives for the fixed part (see the class comment); empty if not counted. */
    public Optional<Range> sourcedBase() {
        return Optional.ofNullable(sourcedBase);
    }

    /** The same for the per-unit part; empty if not counted or the cost has none. */
    public Optional<Range> sourcedPerUnit() {
        return Optional.ofNullable(sourcedPerUnit);
    }

    /**
     * The cost a key names: its id ({@code C9}) or its name ({@code PERF_EVENT_CREATE}), in any case;
     * empty for anything else. How scenario files and {@code pmulab reproduce --fit} name costs.
     */
    public static Optional<KernelCost> fromKey(String key) {
        requireNonNull(key, "key is null");
        for (KernelCost c : values()) {
            if (c.id.equalsIgnoreCase(key) || c.name().equalsIgnoreCase(key)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
