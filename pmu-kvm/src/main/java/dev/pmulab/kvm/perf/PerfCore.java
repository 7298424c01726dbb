package dev.pmulab.kvm.perf;

import static dev.pmulab.kvm.perf.PerfEventContext.EVENT_ALL;
import static dev.pmulab.kvm.perf.PerfEventContext.EVENT_CPU;
import static dev.pmulab.kvm.perf.PerfEventContext.EVENT_FLEXIBLE;
import static dev.pmulab.kvm.perf.PerfEventContext.EVENT_PINNED;
import static dev.pmulab.kvm.perf.PerfEventContext.EVENT_TIME;
import static dev.pmulab.kvm.perf.PerfEventOpenException.Errno.EINVAL;
import static dev.pmulab.kvm.perf.PerfEventOpenException.Errno.ENOENT;
import static dev.pmulab.kvm.perf.PerfEventOpenException.Errno.EPERM;
import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.Pe;
import dev.pmulab.kvm.CostSink;
import dev.pmulab.kvm.HostPmuDescriptor;
import dev.pmulab.kvm.KernelCost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Linux host perf core over the PMUv3 hardware of every CPU (perf-core-and-costs.md §1, §2,
 * §4): one {@link PerfPmu} per core type, per-CPU and per-task contexts, pinned and flexible groups
 * scheduled in the kernel's priority order, rotation by a per-(CPU, PMU) hrtimer, time_enabled and
 * time_running as perf accounts them, the resched paths the dynamic partitioning policies use, and
 * the arm_pmuv3 driver's counter allocation and programming, all on the CPUs' {@link Pe}s.
 *
 * <p>Time is a {@code long} in ns supplied by the caller, never decreasing per CPU; nothing here
 * reads a clock or starts a thread. The caller drives it: {@link #schedIn}/{@link #schedOut} when a
 * task starts or stops running on a CPU, {@link #perfMuxHrtimerHandler} at
 * {@link #nextRotationTime}, {@link #handleIrq} at {@link #nextOverflowTime}, and
 * {@link #perfEventTaskTick} once per scheduler tick when frequency-mode events exist. Counts come
 * from the Pe's lazy counting, so they are exactly what the hardware model counted under whatever
 * context the caller has switched the Pe to.
 *
 * <p>Every operation that costs kernel time is charged to the {@link CostSink} with the names of
 * the cost table (§8): C9 open, C10 close, C12 a resched (task switch, perf_pmu_resched, enable)
 * with one unit per event scheduled out or in, C13 disable, C14 a rotation with one unit per
 * flexible event moved, C16 a PMU interrupt, C17 a sample written, C22 a frequency re-tune.
 *
 * <p>Scheduling, rotation, reads and interrupts allocate nothing. Not thread-safe: one simulator
 * thread drives a perf core and its PEs.
 *
 * <p>One class on purpose, longer than the others: it mirrors kernel/events/core.c, whose functions
 * (perf_event_open's checks, ctx_sched_in/out, merge_sched_in, group_sched_in,
 * perf_rotate_context, perf_event_overflow, __perf_update_times) call one another over one shared
 * state, the per-CPU and per-task contexts. Kept together under the kernel's names and in
 * its order, a change to the kernel can be followed here function by function; split by topic,
 * each piece would need that whole state and the calls between them would cross classes. What is
 * not core.c lives beside it: the arm_pmuv3 driver in {@code ArmPmuV3}, a PMU's counters and
 * cntr_mask in {@link PerfPmu}, an event's state in {@link PerfEvent}.
 */
public final class PerfCore {
    private long rescheds;

    private final PerfCoreConfig config;
    private final CostSink costSink;
    private final List<PerfPmu> pmus;
    /** {@link #pmus} as an array: perf_event_open looks its type up at every emulated counter reprogram. */
    private final PerfPmu[] pmuByIndex;

    private final PerfCpuContext[] cpus;
    /**
     * Each CPU's driver and PE, indexed by CPU, for the views KVM and the engine ask at every
     * guest access ({@link #usedMask}, {@link #nextOverflowTime}, kvm_pmu_events): one load fewer
     * than through the CPU context.
     */
    private final ArmPmuV3[] hws;

    private final Pe[] pes;
    /** Some PE has BRBE, whose every advance latches a pause: {@link #timeRunning} then reads the counter too. */
    private final boolean anyBrbe;

    private final long tickNsec;
    private int nextEventId = 1;
    private int epoch;
    private int touched;
    /** A flexible group failed in the current ctx_resched walk (recorded with it, see walkSettled). */
    private boolean walkFlexibleFailed;
    /** Lets an install re-arm in place instead of walking when the walk would change nothing (walkSettled); tests turn it off. */
    boolean reschedInPlace = true;
    /** How often {@link #ctxReschedInPlace} and {@link #ctxReschedFrom} ran, for tests. */
    long inPlaceRescheds;

    long reschedsFrom;
    /** How often an enable's flexible sched-in was done on a mask ({@link #enableAll}), for tests. */
    long flexibleInsWithoutHw;
    /** How many pinned groups an enable put on a mask only ({@link #enableAll}), for tests. */
    long pinnedInsWithoutHw;

    /**
     * Registers one PMU per descriptor over the given PEs (CPU number = index in {@code pes}) and
     * resets each PE's PMU as the driver does at probe (PMCR.LC, PMCR.LP with PMUv3p5).
     *
     * @throws IllegalArgumentException when a CPU is covered by no PMU or by two, a PMU covers a
     *     CPU that does not exist, or a PE's PMU differs from its PMU's hardware (N, version)
     */
    public PerfCore(PerfCoreConfig config, List<HostPmuDescriptor> pmuDescriptors, List<Pe> pes, CostSink costSink) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(pmuDescriptors, "pmuDescriptors is null");
        requireNonNull(pes, "pes is null");
        this.costSink = requireNonNull(costSink, "costSink is null");
        if (pmuDescriptors.isEmpty()) {
            throw new IllegalArgumentException("no PMU to register");
        }
        this.tickNsec = config.tickNsec();
        List<PerfPmu> registered = new ArrayList<>();
        Set<Integer> types = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (HostPmuDescriptor d : pmuDescriptors) {
            requireNonNull(d, "a PMU descriptor is null");
            if (!types.add(d.type())) {
                throw new IllegalArgumentException("two PMUs with perf type " + d.type());
            }
            if (!names.add(d.name())) {
                throw new IllegalArgumentException("two PMUs named " + d.name());
            }
            for (int cpu : d.cpus()) {
                if (cpu < 0 || cpu >= pes.size()) {
                    throw new IllegalArgumentException(
                            "PMU " + d.name() + " covers CPU " + cpu + " but there are " + pes.size() + " CPUs");
                }
            }
            registered.add(new PerfPmu(d, registered.size(), config.defaultMuxIntervalMs()));
        }
        this.pmus = List.copyOf(registered);
        this.pmuByIndex = registered.toArray(new PerfPmu[0]);
        this.cpus = new PerfCpuContext[pes.size()];
        this.hws = new ArmPmuV3[pes.size()];
        this.pes = new Pe[pes.size()];
        boolean brbe = false;
        for (int cpu = 0; cpu < pes.size(); cpu++) {
            Pe pe = requireNonNull(pes.get(cpu), "the Pe of CPU " + cpu + " is null");
            PerfPmu owner = null;
            for (PerfPmu p : pmus) {
                if (p.covers(cpu)) {
                    if (owner != null) {
                        throw new IllegalArgumentException(
                                "CPU " + cpu + " is covered by both " + owner.name() + " and " + p.name());
                    }
                    owner = p;
                }
            }
            if (owner == null) {
                throw new IllegalArgumentException("CPU " + cpu + " is covered by no PMU");
            }
            if (pe.config().n() != owner.numEventCounters()
                    || pe.config().version() != owner.descriptor().hardware().version()) {
                throw new IllegalArgumentException("CPU " + cpu + " has " + pe.config() + " but its PMU " + owner.name()
                        + " describes " + owner.descriptor().hardware());
            }
            ArmPmuV3 hw = new ArmPmuV3(cpu, owner, pe, config.vhe());
            hw.reset(pe.now());
            cpus[cpu] = new PerfCpuContext(cpu, owner, hw, pmus.size());
            hws[cpu] = hw;
            this.pes[cpu] = pe;
            brbe |= pe.config().brbe();
        }
        this.anyBrbe = brbe;
    }

    // =============================================================================================
    // PMUs, CPUs and configuration

    public PerfCoreConfig config() {
        return config;
    }

    public List<PerfPmu> pmus() {
        return pmus;
    }

    /** The PMU with this sysfs name. */
    public PerfPmu pmu(String name) {
        requireNonNull(name, "name is null");
        for (PerfPmu p : pmus) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no PMU named " + name + "; known: " + pmuNames());
    }

    /** The PMU with this perf type number. */
    public PerfPmu pmuOfType(int type) {
        PerfPmu p = pmuOfTypeOrNull(type);
        if (p == null) {
            throw new IllegalArgumentException("no PMU of type " + type + "; known: " + pmuNames());
        }
        return p;
    }

    /** The PMU of the CPU's core type. */
    public PerfPmu pmuOfCpu(int cpu) {
        return cpuContext(cpu).pmu;
    }

    public int cpuCount() {
        return cpus.length;
    }

    public Pe pe(int cpu) {
        checkCpu(cpu);
        return pes[cpu];
    }

    /**
     * Sets the counters the host may use on one CPU (the per-CPU allocation mask of the dynamic
     * partitioning series, partitioning-and-policies.md §3.5-3.6). It takes effect at the next
     * sched-in: events already on counters stay there. Use {@link #perfPmuReschedUpdate} to apply
     * it at once.
     *
     * @throws IllegalArgumentException for bits the CPU's PMU does not implement
     */
    public void setCntrMask(int cpu, long mask) {
        PerfCpuContext c = cpuContext(cpu);
        checkMask(c.pmu, mask);
        c.hw.cntrMask = mask;
        changed(c);
    }

    /**
     * Sets {@code arm_pmu->cntr_mask} (what a static partition does at probe): groups are validated
     * against it from now on, and every CPU of the PMU takes it as its mask at its next sched-in.
     */
    public void setPmuCntrMask(PerfPmu pmu, long mask) {
        requireNonNull(pmu, "pmu is null");
        if (pmu.index() >= pmus.size() || pmus.get(pmu.index()) != pmu) {
            throw new IllegalArgumentException(pmu + " is not registered with this perf core");
        }
        checkMask(pmu, mask);
        pmu.setCntrMask(mask);
        for (PerfCpuContext c : cpus) {
            if (c.pmu == pmu) {
                c.hw.cntrMask = mask;
                changed(c);
            }
        }
    }

    /**
     * KVM tells the driver whether PMCR_EL0 on {@code cpu} holds a direct guest's state (the
     * partitioned PMU's guest registers are loaded there). While it does, the driver starts and
     * stops host counters with MDCR_EL2.HPME only and leaves PMCR_EL0 to the guest
     * (partitioning-and-policies.md §3.1, §6.2).
     */
    public void setGuestOwnsPmcr(int cpu, boolean owned) {
        cpuContext(cpu).hw.guestOwnsPmcr = owned;
    }

    // =============================================================================================
    // Event lifecycle

    /**
     * {@code perf_event_open(attr, pid, cpu, group_fd)}: a CPU event ({@code task == null}), a task
     * event on any CPU ({@code cpu == -1}) or a task event on one CPU. The event is installed at
     * once: into its CPU's context with a resched, or into its task's context, rescheduled on the
     * CPU the task runs on if it runs. Charges C9 to {@code callerCpu}.
     *
     * @param callerCpu the CPU whose time the system call takes
     * @param groupLeader the leader to join, or null to start a group
     * @throws PerfEventOpenException -ENOENT for an unknown PMU type or a CPU event on a CPU the PMU
     *     does not cover; -EPERM for exclude_idle; -EINVAL for a missing target, a frequency above
     *     the maximum sample rate, a leader in another context or PMU, and a group that could not
     *     fit the PMU even when empty (arm_pmu validate_group, perf-core-and-costs.md §1.2)
     */
    public PerfEvent open(int callerCpu, PerfEventAttr attr, PerfTask task, int cpu, PerfEvent groupLeader, long now) {
        return perfEventOpen(callerCpu, attr, task, cpu, groupLeader, null, now);
    }

    /**
     * {@code perf_event_create_kernel_counter(attr, cpu, task, overflow_handler)}: an event owned by
     * the kernel (KVM creates one pinned, task-bound event per guest counter, §3.1). Its overflows
     * call {@code overflowHandler} instead of writing samples. Charges C9 to {@code callerCpu}.
     */
    public PerfEvent createKernelCounter(
            int callerCpu, PerfEventAttr attr, int cpu, PerfTask task, PerfOverflowHandler overflowHandler, long now) {
        requireNonNull(overflowHandler, "overflowHandler is null");
        return perfEventOpen(callerCpu, attr, task, cpu, null, overflowHandler, now);
    }

    /**
     * {@code perf_event_release_kernel}: schedules the event out if it is on a counter and removes
     * it from its context; a leader's siblings become groups of their own, keeping their counters.
     * Nothing is rescheduled, so a freed counter waits for the next sched-in or rotation. Charges
     * C10 to {@code callerCpu}.
     */
    public void close(int callerCpu, PerfEvent event, long now) {
        checkCpu(callerCpu);
        checkLive(event);
        PerfEventContext ctx = event.ctx;
        PerfEventPmuContext epc = event.epc;
        PerfCpuContext c = event.state == PerfEventState.ACTIVE ? cpus[event.oncpu] : null;
        // A disabled or failed singleton leaves every walk's outcome as it was, unless it empties a list.
        if (!event.state.isOffOrBelow() || event.siblings != null || event.groupLeader != event || epc.nrEvents == 1) {
            changed(ctx);
        }
        if (c != null) {
            c.hw.enter(now);
            c.hw.pmuDisable();
            eventSchedOut(c, event, now);
        }
        setState(event, PerfEventState.DEAD, now);
        if (event.groupLeader == event) {
            groupList(epc, event).remove(event);
            if (event.pinned) {
                ctx.nrPinnedGroups--;
            }
            if (event.siblings != null) {
                // perf_group_detach: each sibling becomes a singleton group of its own type.
                for (int i = 0; i < event.siblings.size(); i++) {
                    PerfEvent sibling = event.siblings.get(i);
                    sibling.groupLeader = sibling;
                    addToGroups(epc, sibling);
                }
                event.siblings = null;
            }
        } else {
            event.groupLeader.siblings.remove(event);
            event.groupLeader = event;
        }
        ctx.nrEvents--;
        epc.nrEvents--;
        if (!ArmPmuV3.delAfterAddFits(event, config.vhe())) {
            ctx.nrNotDelAfterAdd--;
        }
        if (event.freq) {
            epc.nrFreq--;
        }
        if (epc.nrEvents == 0) {
            epc.rotateNecessary = false;
        }
        if (ctx.nrEvents == 0 && ctx.isActive != 0) {
            if ((ctx.isActive & EVENT_TIME) != 0) {
                ctx.time += now - ctx.timestamp;
            }
            ctx.isActive = 0;
            if (ctx.task != null && ctx.task.cpu >= 0 && cpus[ctx.task.cpu].taskCtx == ctx) {
                cpus[ctx.task.cpu].taskCtx = null;
            }
        }
        if (c != null) {
            c.hw.pmuEnable();
            c.hw.exit();
        }
        costSink.charge(callerCpu, KernelCost.PERF_EVENT_DESTROY, 0);
    }

    /**
     * {@code perf_event_enable}: an OFF event (or one in ERROR, which goes through OFF) becomes
     * INACTIVE, and if its context is active on a CPU, that CPU reschedules its type of groups so
     * it can go on (§1.7). Charges C12 to {@code callerCpu} with one unit per event moved; nothing
     * for an event that is already enabled.
     */
    public void enable(int callerCpu, PerfEvent event, long now) {
        enable(callerCpu, event, now, null);
    }

    /**
     * {@code perf_event_enable} of {@code events[0]} to {@code events[count - 1]} in turn, as KVM's
     * {@code kvm_pmu_reprogram_counter_mask} calls it for the guest counters it turns on: the same
     * calls as {@link #enable} one by one, with the same charges (C12 per enable, each with its own
     * units), states, counters, times and registers. What is shared is simulation work only. Each
     * enable of a KVM event after a settled walk is a resched from that event
     * ({@code __perf_event_enable} → {@code ctx_resched}, {@link #ctxReschedFrom}), which takes the
     * flexible groups off, puts the pinned groups back from the event on, then the flexible groups.
     * When the next call is another such enable, its resched takes off again, at the same instant
     * and before anything else touches their counters, the flexible groups and the pinned groups
     * listed after its event; so inside a held run ({@link #beginPmuRun}) those are put on a
     * counter mask only ({@link #pinnedSchedInWaiting}, {@link #flexibleSchedInWithoutHw}): the
     * same groups fit or fail, on the same counters, are counted as moved in both calls, and fail
     * with the same ERROR, rotation request and hrtimer; what their add and del would leave on the
     * driver and the registers is applied directly (ArmPmuV3.delAfterAdd). PerfReschedInPlaceTest
     * checks it against {@link #enable} one by one and full walks; PerfEnableAllTest derives a case
     * by hand.
     */
    public void enableAll(int callerCpu, PerfEvent[] events, int count, long now) {
        for (int i = 0; i < count; i++) {
            enable(callerCpu, events[i], now, i + 1 < count ? events[i + 1] : null);
        }
    }

    private void enable(int callerCpu, PerfEvent event, long now, PerfEvent next) {
        checkCpu(callerCpu);
        checkLive(event);
        if (event.state == PerfEventState.ERROR) {
            setState(event, PerfEventState.OFF, now);
        }
        if (!event.state.isOffOrBelow()) {
            return;
        }
        beginOp();
        PerfCpuContext c = activeCpuOf(event.ctx);
        // Taken before this change: the walk this enable starts differs from the last one by this event only.
        boolean settledBefore = c != null && reschedFromAllowed(c, event);
        if (c != null && c.groupsWaiting && !settledBefore) {
            throw new IllegalStateException("CPU " + c.cpu + ": flexible groups wait for a resched from " + event);
        }
        changed(event.ctx);
        setState(event, PerfEventState.INACTIVE, now);
        if (c != null
                && eventFilterMatch(event, c.cpu)
                && (event.groupLeader == event || event.groupLeader.state == PerfEventState.ACTIVE)) {
            if (settledBefore) {
                ctxReschedFrom(c, event, now, next);
            } else {
                ctxResched(c, c.taskCtx, event.pmu, eventType(event), now);
            }
        }
        costSink.charge(callerCpu, KernelCost.PERF_PMU_RESCHED, touched);
    }

    /**
     * Whether the resched of enabling {@code first} may leave its flexible sched-in on a mask
     * ({@link #enableAll}): {@code next} is certain to be enabled next as a resched from it (an
     * OFF or ERROR pinned group of its own in the same context on this PMU, after this walk,
     * which leaves the walk settled), the run holds the PMU, and every flexible event is one
     * ArmPmuV3.delAfterAdd stands for (for the CPU context: every event it has).
     */
    private boolean flexibleSchedInMayWait(PerfCpuContext c, PerfEvent first, PerfEvent next) {
        if (next == null
                || next == first
                || !reschedInPlace
                || !c.hw.runHeld()
                || (next.state != PerfEventState.OFF && next.state != PerfEventState.ERROR)
                || next.groupLeader != next
                || next.siblings != null
                || !next.pinned
                || next.ctx != first.ctx
                || next.pmu != c.pmu
                || !eventFilterMatch(next, c.cpu)) {
            return false;
        }
        // The CPU context by its count (its pinned events too: no scan per enable); the task
        // context's flexible groups, usually none beside KVM's pinned events, one by one.
        return c.hw.readdInPlaceAllowed
                && c.cpuCtx.nrNotDelAfterAdd == 0
                && delAfterAddAllowed(c.hw, first.epc.flexibleGroups, 0);
    }

    /** Whether ArmPmuV3.delAfterAdd fits every member of the groups from index {@code from} on. */
    private static boolean delAfterAddAllowed(ArmPmuV3 hw, ArrayList<PerfEvent> groups, int from) {
        for (int i = from, size = groups.size(); i < size; i++) {
            PerfEvent leader = groups.get(i);
            if (!hw.delAfterAddAllowed(leader)) {
                return false;
            }
            ArrayList<PerfEvent> siblings = leader.siblings;
            if (siblings != null) {
                for (int j = 0, n = siblings.size(); j < n; j++) {
                    if (!hw.delAfterAddAllowed(siblings.get(j))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Opens a run of perf calls that one kernel path makes on {@code cpu} at one instant, such as
     * KVM's {@code kvm_pmu_reprogram_counter_mask}, which calls perf_event_enable,
     * perf_event_disable or perf_event_create_kernel_counter for each guest counter in turn. The
     * kernel brackets each call's work with perf_pmu_disable/perf_pmu_enable, so the PMU is
     * stopped and restarted once per call; the model still does every call in full and charges
     * each as before (C12 with its own units per enable, C13 per disable, C9/C10), but keeps the
     * PMU of {@code cpu} stopped, and the PE at EL2, from the first call's perf_pmu_disable to
     * {@link #endPmuRun}. The result is the same: no time passes between the calls, so nothing
     * counts, and the run ends with PMCR_EL0.E (or MDCR_EL2.HPME under a partition) set exactly
     * when a counter is in use, as the last call's perf_pmu_enable leaves it (armpmu_enable). Only
     * the redundant stop/start pairs and EL2 switches in between are not simulated. Calls on other
     * CPUs are not affected.
     *
     * @throws IllegalStateException if a run is already open on {@code cpu}
     */
    public void beginPmuRun(int cpu) {
        ArmPmuV3 hw = cpuContext(cpu).hw;
        if (hw.runOpen) {
            throw new IllegalStateException("a perf run is already open on CPU " + cpu);
        }
        hw.runOpen = true;
    }

    /** Ends the run {@link #beginPmuRun} opened on {@code cpu}: the PMU restarts if a counter is in use. */
    public void endPmuRun(int cpu) {
        PerfCpuContext c = cpuContext(cpu);
        if (c.groupsWaiting) {
            throw new IllegalStateException("CPU " + cpu + ": flexible groups wait for a resched");
        }
        c.hw.endRun();
    }

    /**
     * {@code perf_event_disable}: the event (a leader with its group) leaves its counter and goes
     * OFF. No resched follows. Charges C13 to {@code callerCpu}; nothing if it was not enabled.
     */
    public void disable(int callerCpu, PerfEvent event, long now) {
        checkCpu(callerCpu);
        checkLive(event);
        if (event.state.isOffOrBelow()) {
            return;
        }
        changed(event.ctx);
        PerfCpuContext c = event.state == PerfEventState.ACTIVE ? cpus[event.oncpu] : null;
        if (c != null) {
            c.hw.enter(now);
            c.hw.pmuDisable();
            if (event.groupLeader == event) {
                groupSchedOut(c, event, now);
            } else {
                eventSchedOut(c, event, now);
            }
        }
        setState(event, PerfEventState.OFF, now);
        if (c != null) {
            c.hw.pmuEnable();
            c.hw.exit();
        }
        costSink.charge(callerCpu, KernelCost.PERF_EVENT_DISABLE, 0);
    }

    /**
     * {@code perf_event_period} (PERF_EVENT_IOC_PERIOD) on a fixed-period sampling event: the new
     * period starts from now, reprogramming the counter if it is on one. KVM's overflow handler does
     * the same to re-arm a guest counter. Not charged: it is part of its caller's path.
     */
    public void setPeriod(PerfEvent event, long period, long now) {
        checkLive(event);
        if (!event.attr.isSampling() || event.attr.freq()) {
            throw new IllegalArgumentException("-EINVAL: " + event + " is not a fixed-period sampling event");
        }
        if (period <= 0) {
            throw new IllegalArgumentException("-EINVAL: period must be positive, was " + period);
        }
        event.samplePeriod = period;
        changed(event.ctx);
        if (event.state == PerfEventState.ACTIVE) {
            ArmPmuV3 hw = cpus[event.oncpu].hw;
            hw.enter(now);
            hw.pmuDisable();
            hw.stopEvent(event);
            event.periodLeft = 0;
            hw.startEvent(event);
            hw.pmuEnable();
            hw.exit();
        } else {
            event.periodLeft = 0;
        }
    }

    /**
     * Brings the event's count (from its hardware counter, if it is on one) and its times up to
     * {@code now}, and returns the count. Not charged: the caller charges the path it reads on (C4
     * for a trapped guest read).
     */
    public long read(PerfEvent event, long now) {
        requireNonNull(event, "event is null");
        if (event.state == PerfEventState.ACTIVE) {
            ArmPmuV3 hw = cpus[event.oncpu].hw;
            hw.pe.advanceTo(now);
            hw.update(event);
        }
        if (event.state != PerfEventState.DEAD) {
            updateTime(event, now);
        }
        return event.count;
    }

    /**
     * {@code perf_event_update_time}: brings the event's time_enabled and time_running up to
     * {@code now} and returns time_running, without reading its counter. For the simulator's own
     * accounting, which needs the time only: the count is folded by the next {@link #read},
     * sched-out or interrupt instead, and comes out the same, because the Pe counts lazily and
     * exactly (a later {@code advanceTo} counts the same events, its fraction carried) and
     * armpmu_event_update's delta is additive below the half-range period every counter is armed
     * at. On a PE with BRBE, whose every advance latches a pause, the counter is read as
     * {@link #read} does. Not charged. PerfTimeRunningTest holds it to {@link #read}.
     */
    public long timeRunning(PerfEvent event, long now) {
        requireNonNull(event, "event is null");
        if (anyBrbe
                && event.state == PerfEventState.ACTIVE
                && hws[event.oncpu].pe.config().brbe()) {
            read(event, now);
        } else if (event.state != PerfEventState.DEAD) {
            updateTime(event, now);
        }
        return event.totalTimeRunning;
    }

    /**
     * What {@link #timeRunning} would return at {@code now}, without bringing the event's times up
     * to date: time_running plus, while the event is effectively ACTIVE, the context time since its
     * last update (__perf_update_times' delta, unapplied). Exact when no update of the event's times
     * is later than {@code now}. Changes nothing.
     */
    public long timeRunningAt(PerfEvent event, long now) {
        requireNonNull(event, "event is null");
        if (event.state == PerfEventState.DEAD) {
            return event.totalTimeRunning;
        }
        return effectiveState(event) == PerfEventState.ACTIVE
                ? event.totalTimeRunning + (event.ctx.timeNow(now) - event.tstamp)
                : event.totalTimeRunning;
    }

    /**
     * A number that changes whenever an operation may have changed which of {@code task}'s events
     * are on a counter (or in ERROR): every enable, disable, release of an enabled event, install,
     * resched, task switch and rotation on its context moves it (the context's {@code gen}, which
     * the resched shortcuts read too). 0 for a task without events. For KVM's accounting, which
     * reads its events' states after every guest access.
     */
    public long taskContextGeneration(PerfTask task) {
        requireNonNull(task, "task is null");
        return task.ctx == null ? 0 : task.ctx.gen;
    }

    /** {@code perf_event_read_value}: {@link #read} plus the two times, as one value (allocates). */
    public PerfEventReadValue readValue(PerfEvent event, long now) {
        long value = read(event, now);
        return new PerfEventReadValue(value, event.totalTimeEnabled, event.totalTimeRunning);
    }

    /** time_running / time_enabled up to {@code now}: the coverage perf reports for the event. */
    public double coverage(PerfEvent event, long now) {
        read(event, now);
        return event.coverage();
    }

    // =============================================================================================
    // Task switch, resched, rotation

    /**
     * {@code perf_event_task_sched_in}: {@code task} starts running on {@code cpu} (null: the CPU
     * goes idle). If its context holds pinned groups, the CPU's flexible groups are scheduled out
     * first so task-pinned beats CPU-flexible; then CPU pinned, task pinned, CPU flexible, task
     * flexible (§1.1). Charges C12 to {@code cpu} when the task has events.
     *
     * @throws IllegalStateException if a task still runs on {@code cpu} or {@code task} runs elsewhere
     */
    public void schedIn(int cpu, PerfTask task, long now) {
        PerfCpuContext c = cpuContext(cpu);
        if (c.currentTask != null) {
            throw new IllegalStateException("CPU " + cpu + " still runs " + c.currentTask + "; schedOut first");
        }
        if (task == null) {
            return;
        }
        if (task.cpu >= 0) {
            throw new IllegalStateException(task + " already runs on CPU " + task.cpu);
        }
        c.currentTask = task;
        task.cpu = cpu;
        changed(c);
        PerfEventContext ctx = task.ctx;
        if (ctx != null) {
            changed(ctx);
        }
        if (ctx == null || ctx.nrEvents == 0) {
            return;
        }
        beginOp();
        c.hw.enter(now);
        c.hw.pmuDisable();
        if (ctx.nrPinnedGroups > 0) {
            ctxSchedOut(c, c.cpuCtx, EVENT_FLEXIBLE, now, true);
        }
        perfEventSchedIn(c, ctx, now, true);
        c.hw.pmuEnable();
        c.hw.exit();
        costSink.charge(cpu, KernelCost.PERF_PMU_RESCHED, touched);
    }

    /**
     * {@code perf_event_task_sched_out}: the task running on {@code cpu} stops; its context's
     * groups leave their counters and its clock stops. CPU-flexible groups that task-pinned ones
     * pushed out stay out until the next sched-in that walks them or the next rotation, as in the
     * kernel. Charges C12 to {@code cpu} when the task had events.
     */
    public void schedOut(int cpu, long now) {
        PerfCpuContext c = cpuContext(cpu);
        PerfTask task = c.currentTask;
        if (task == null) {
            return;
        }
        changed(c);
        c.currentTask = null;
        task.cpu = -1;
        PerfEventContext ctx = c.taskCtx;
        if (ctx == null) {
            return;
        }
        beginOp();
        c.hw.enter(now);
        c.hw.pmuDisable();
        ctxSchedOut(c, ctx, EVENT_ALL, now, true);
        c.hw.pmuEnable();
        c.hw.exit();
        costSink.charge(cpu, KernelCost.PERF_PMU_RESCHED, touched);
    }

    /** A context switch on {@code cpu}: {@link #schedOut} of the current task, then {@link #schedIn} of {@code next}. */
    public void contextSwitch(int cpu, PerfTask next, long now) {
        schedOut(cpu, now);
        schedIn(cpu, next, now);
    }

    /**
     * {@code perf_pmu_resched} on {@code cpu}: every group of the CPU's PMU, pinned and flexible,
     * CPU and task, is scheduled out and back in in priority order (§1.7). Charges C12 with one unit
     * per event moved.
     */
    public void perfPmuResched(int cpu, long now) {
        PerfCpuContext c = cpuContext(cpu);
        beginOp();
        ctxResched(c, c.taskCtx, c.pmu, EVENT_ALL | EVENT_CPU, now);
        costSink.charge(cpu, KernelCost.PERF_PMU_RESCHED, touched);
    }

    /**
     * {@code perf_pmu_resched_update} with a callback that installs {@code newCntrMask} between the
     * sched-out and the sched-in: the mechanism of the dynamic partitioning policies
     * (partitioning-and-policies.md §3.5, §6.3). Charges C12 with one unit per event moved.
     */
    public void perfPmuReschedUpdate(int cpu, long newCntrMask, long now) {
        PerfCpuContext c = cpuContext(cpu);
        checkMask(c.pmu, newCntrMask);
        reschedUpdate(c, null, newCntrMask, now);
    }

    /** {@code perf_pmu_resched_update} with a caller's callback between sched-out and sched-in. */
    public void perfPmuReschedUpdate(int cpu, PmuReschedUpdate update, long now) {
        PerfCpuContext c = cpuContext(cpu);
        requireNonNull(update, "update is null");
        reschedUpdate(c, update, 0, now);
    }

    private void reschedUpdate(PerfCpuContext c, PmuReschedUpdate update, long newCntrMask, long now) {
        rescheds++;
        beginOp();
        changed(c);
        PerfEventContext taskCtx = c.taskCtx;
        c.hw.enter(now);
        c.hw.pmuDisable();
        if (taskCtx != null) {
            ctxSchedOut(c, taskCtx, EVENT_ALL, now, true);
        }
        ctxSchedOut(c, c.cpuCtx, EVENT_ALL, now, true);
        if (update != null) {
            update.update(c.cpu);
        } else {
            c.hw.cntrMask = newCntrMask;
        }
        perfEventSchedIn(c, taskCtx, now, true);
        c.hw.pmuEnable();
        c.hw.exit();
        costSink.charge(c.cpu, KernelCost.PERF_PMU_RESCHED, touched);
    }

    /**
     * How many {@code ctx_resched} passes ran (perf_pmu_resched, perf_pmu_resched_update, and the
     * resched an event install or enable does), on any CPU: the {@code host.perf_rescheds} metric.
     * Task context switches and rotation are not rescheds.
     */
    public long reschedCount() {
        return rescheds;
    }

    /**
     * When the multiplexing hrtimer of {@code cpu} fires next, or {@code Long.MAX_VALUE} when it is
     * not armed. It is armed by a flexible group that failed to go on, at the next multiple of the
     * PMU's interval on the timer's grid (hrtimer_forward_now), and forwarded while rotations happen.
     */
    public long nextRotationTime(int cpu) {
        PerfCpuContext c = cpuContext(cpu);
        return c.hrtimerActive ? c.hrtimerExpires : Long.MAX_VALUE;
    }

    /**
     * {@code perf_mux_hrtimer_handler}: if the timer is armed and due, rotates; re-arms one interval
     * on if it rotated, else stops. Returns whether it rotated; a call before the expiry or with the
     * timer idle does nothing (so a stale simulator event is harmless).
     */
    public boolean perfMuxHrtimerHandler(int cpu, long now) {
        PerfCpuContext c = cpuContext(cpu);
        if (!c.hrtimerActive || now < c.hrtimerExpires) {
            return false;
        }
        boolean rotated = perfRotateContext(cpu, now);
        if (rotated) {
            c.hrtimerExpires = hrtimerForward(c.hrtimerExpires, now, c.pmu.muxIntervalNs());
        } else {
            c.hrtimerActive = false;
        }
        return rotated;
    }

    /**
     * {@code perf_rotate_context} (§1.5): for the task and CPU contexts whose flexible groups did not
     * all fit, the first active flexible group (or the first group) moves to the end of its list,
     * after the flexible groups are scheduled out (task first, then CPU) and before they go back in
     * (CPU, then task). Pinned groups are untouched. Charges C14 with one unit per flexible event
     * moved. Returns false, doing nothing, when no context needs rotation.
     */
    public boolean perfRotateContext(int cpu, long now) {
        PerfCpuContext c = cpuContext(cpu);
        PerfEventPmuContext cpuEpc = c.cpuCtx.epc(c.pmu);
        PerfEventPmuContext taskEpc = c.taskCtx != null ? c.taskCtx.epc(c.pmu) : null;
        boolean cpuRotate = cpuEpc != null && cpuEpc.rotateNecessary;
        boolean taskRotate = taskEpc != null && taskEpc.rotateNecessary;
        if (!cpuRotate && !taskRotate) {
            return false;
        }
        beginOp();
        changed(c);
        c.hw.enter(now);
        c.hw.pmuDisable();
        PerfEvent taskEvent = taskRotate ? eventToRotate(taskEpc, cpu) : null;
        PerfEvent cpuEvent = cpuRotate ? eventToRotate(cpuEpc, cpu) : null;
        // CPU-flexible outranks task-flexible, so moving CPU groups means taking task groups off too.
        boolean taskFlexible = taskEvent != null || (taskEpc != null && cpuEvent != null);
        if (taskFlexible) {
            pmuCtxSchedOut(c, taskEpc, EVENT_FLEXIBLE, now);
        }
        if (cpuEvent != null) {
            pmuCtxSchedOut(c, cpuEpc, EVENT_FLEXIBLE, now);
            rotateCtx(cpuEpc, cpuEvent);
            pmuGroupsSchedIn(c, cpuEpc, cpuEpc.flexibleGroups, now);
        }
        if (taskEvent != null) {
            rotateCtx(taskEpc, taskEvent);
        }
        if (taskFlexible) {
            pmuGroupsSchedIn(c, taskEpc, taskEpc.flexibleGroups, now);
        }
        c.hw.pmuEnable();
        c.hw.exit();
        costSink.charge(cpu, KernelCost.PERF_ROTATE_CONTEXT, touched);
        return true;
    }

    /**
     * The scheduler tick's perf work ({@code perf_adjust_freq_unthr_context}, §1.8): every active
     * frequency-mode event on {@code cpu} is stopped, its period re-tuned from the events of the
     * last tick (low-pass filtered by 8), and reloaded. Charges C22 per event.
     */
    public void perfEventTaskTick(int cpu, long now) {
        PerfCpuContext c = cpuContext(cpu);
        adjustFreqContext(c, c.cpuCtx, now);
        if (c.taskCtx != null) {
            adjustFreqContext(c, c.taskCtx, now);
        }
    }

    // =============================================================================================
    // Overflow interrupt

    /**
     * When the PMU interrupt of {@code cpu} is next raised by an interrupt-enabled counter under the
     * PE's current context ({@link Pe#nextOverflowTime}), or {@code Long.MAX_VALUE}. Ask again after
     * every change of what the CPU runs.
     */
    public long nextOverflowTime(int cpu) {
        return pe(cpu).nextOverflowTime();
    }

    /**
     * {@code armv8pmu_handle_irq}: reads and clears the host's overflow flags, stops the PMU, and
     * for each overflowed event folds the count, re-arms its period and, when a period elapsed,
     * calls {@code perf_event_overflow} (a sample, or the kernel handler, after the frequency-mode
     * re-tune), then restarts the PMU. Returns false when no host counter had overflowed. Charges
     * C16 once and C17 per sample written.
     */
    public boolean handleIrq(int cpu, long now) {
        PerfCpuContext c = cpuContext(cpu);
        ArmPmuV3 hw = c.hw;
        hw.enter(now);
        long pmovsr = hw.getResetFlags();
        if (pmovsr == 0) {
            hw.exit();
            return false;
        }
        changed(c);
        hw.pmuDisable();
        long m = pmovsr;
        while (m != 0) {
            int idx = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            PerfEvent e = hw.events[idx];
            if (e == null) {
                continue;
            }
            hw.update(e);
            if (!hw.setPeriod(e)) {
                continue;
            }
            perfEventOverflow(c, e, now);
        }
        hw.pmuEnable();
        hw.exit();
        costSink.charge(cpu, KernelCost.PMU_IRQ_HANDLING, 0);
        return true;
    }

    // =============================================================================================
    // Read-only views for policies and metrics

    /** The counters the host may allocate on {@code cpu} at its next sched-in. */
    public long cntrMask(int cpu) {
        return hw(cpu).cntrMask;
    }

    /** {@code used_mask}: counters holding a perf event now (both halves of a chained pair). */
    public long usedMask(int cpu) {
        return hw(cpu).usedMask;
    }

    /** Counters holding an event of a pinned group (KVM's guest events are pinned too). */
    public long pinnedCounterMask(int cpu) {
        return counterMask(cpuContext(cpu).hw, true);
    }

    /** Counters holding an event of a flexible group. */
    public long flexibleCounterMask(int cpu) {
        return counterMask(cpuContext(cpu).hw, false);
    }

    /**
     * Counters holding an exclude_host event: under the emulated vPMU, the guest's counters. A
     * policy subtracts it from {@link #pinnedCounterMask} to find pinned host events.
     */
    public long excludeHostCounterMask(int cpu) {
        ArmPmuV3 hw = cpuContext(cpu).hw;
        long mask = 0;
        long m = hw.usedMask;
        while (m != 0) {
            int idx = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            PerfEvent e = hw.events[idx];
            if (e != null && e.excludeHost) {
                mask |= ArmPmuV3.idxMask(idx, e.chained);
            }
        }
        return mask;
    }

    /** Counters in use that lie outside the CPU's {@code cntr_mask} (left there by a mask change without resched). */
    public long countersOutsideCntrMask(int cpu) {
        ArmPmuV3 hw = cpuContext(cpu).hw;
        return hw.usedMask & ~hw.cntrMask;
    }

    /** The event on counter {@code idx} (0..30, or 31 for PMCCNTR), including the low half of a pair; null if free. */
    public PerfEvent eventOnCounter(int cpu, int idx) {
        if (idx < 0 || idx > ArmPmuV3.CYCLE_IDX) {
            throw new IllegalArgumentException("counter index must be 0..31, was " + idx);
        }
        return cpuContext(cpu).hw.eventOnCounter(idx);
    }

    /** {@code kvm_pmu_events.events_host}: counters to enable when returning to the host (§3.2). */
    public long kvmPmuEventsHost(int cpu) {
        return hw(cpu).kvmEventsHost;
    }

    /** {@code kvm_pmu_events.events_guest}: counters to enable while the guest runs (§3.2). */
    public long kvmPmuEventsGuest(int cpu) {
        return hw(cpu).kvmEventsGuest;
    }

    /** The task running on {@code cpu}, or null. */
    public PerfTask currentTask(int cpu) {
        return cpuContext(cpu).currentTask;
    }

    // =============================================================================================
    // Scheduling machinery (core.c names)

    /**
     * {@code ctx_resched}: take the task context's groups of the type out (pinned implies flexible),
     * the CPU context's too for a CPU event, or only the CPU's flexible ones for a task-pinned
     * event, then schedule in in full priority order. For a PMU that is not this CPU's only the
     * contexts' activity changes: the PMU filter skips its groups here (§4).
     */
    private void ctxResched(PerfCpuContext c, PerfEventContext taskCtx, PerfPmu pmu, int eventType, long now) {
        rescheds++;
        changed(c);
        walkFlexibleFailed = false;
        boolean cpuEvent = (eventType & EVENT_CPU) != 0;
        int type = eventType & EVENT_ALL;
        if ((type & EVENT_PINNED) != 0) {
            type |= EVENT_FLEXIBLE;
        }
        boolean walk = pmu == c.pmu;
        if (walk) {
            c.hw.enter(now);
            c.hw.pmuDisable();
        }
        if (taskCtx != null && c.taskCtx == taskCtx) {
            ctxSchedOut(c, taskCtx, type, now, walk);
        }
        if (cpuEvent) {
            ctxSchedOut(c, c.cpuCtx, type, now, walk);
        } else if ((type & EVENT_PINNED) != 0) {
            ctxSchedOut(c, c.cpuCtx, EVENT_FLEXIBLE, now, walk);
        }
        perfEventSchedIn(c, taskCtx, now, walk);
        if (walk) {
            c.hw.pmuEnable();
            c.hw.exit();
            recordWalk(c, taskCtx, eventType);
        }
    }

    /** Remembers a completed ctx_resched walk and what its outcome depended on (walkSettled). */
    private void recordWalk(PerfCpuContext c, PerfEventContext taskCtx, int eventType) {
        c.settled = true;
        c.settledTaskCtx = taskCtx;
        c.settledType = eventType;
        c.settledActiveTaskCtx = c.taskCtx;
        c.settledCpuGen = c.cpuCtx.gen;
        c.settledTaskGen = taskCtx == null ? 0 : taskCtx.gen;
        c.settledCntrMask = c.hw.cntrMask;
        c.settledOrder = c.pmu.allocationOrder();
        c.settledFlexibleFailed = walkFlexibleFailed;
    }

    /**
     * Whether a ctx_resched of {@code taskCtx} and {@code eventType} on {@code c} would put every
     * group back where it is: the last walk on the CPU was that same one, and nothing it depended
     * on changed since (no change to either context, the same active task context, cntr_mask and
     * allocation order). A walk is then idempotent: it takes the same groups off, and the
     * allocator, greedy in list order over the same free counters, gives each the counters it has;
     * pinned groups that failed are in ERROR and skipped, as are disabled events, so a disabled
     * event opened or released since changes nothing. Invalidation: every operation that could
     * move a walk's outcome calls {@link #changed} on the contexts it touches.
     */
    private boolean walkSettled(PerfCpuContext c, PerfEventContext taskCtx, int eventType) {
        return reschedInPlace
                && c.settled
                && c.settledTaskCtx == taskCtx
                && c.settledType == eventType
                && c.settledActiveTaskCtx == c.taskCtx
                && c.settledCpuGen == c.cpuCtx.gen
                && (taskCtx == null || c.settledTaskGen == taskCtx.gen)
                && c.settledCntrMask == c.hw.cntrMask
                && c.settledOrder == c.pmu.allocationOrder();
    }

    /**
     * A {@link #ctxResched} whose walk is settled ({@link #walkSettled}): every event it would take
     * off its counter and put back on the same one is re-armed in place (ArmPmuV3.readdInPlace:
     * the count folded, the period re-armed, registers written only where they differ), and a
     * flexible group that failed last time fails again and restarts the hrtimer. What the walk would
     * also do at this instant changes nothing: time_enabled/running and the context clocks advance
     * by the same amounts whenever they are next brought up to date, and an install's moves are
     * not charged.
     */
    private void ctxReschedInPlace(PerfCpuContext c, PerfEventContext taskCtx, int eventType, long now) {
        rescheds++;
        inPlaceRescheds++;
        boolean cpuEvent = (eventType & EVENT_CPU) != 0;
        int type = eventType & EVENT_ALL;
        if ((type & EVENT_PINNED) != 0) {
            type |= EVENT_FLEXIBLE;
        }
        c.hw.enter(now);
        c.hw.pmuDisable();
        if (taskCtx != null && c.taskCtx == taskCtx) {
            ctxReaddInPlace(c, taskCtx, type);
        }
        if (cpuEvent) {
            ctxReaddInPlace(c, c.cpuCtx, type);
        } else if ((type & EVENT_PINNED) != 0) {
            ctxReaddInPlace(c, c.cpuCtx, EVENT_FLEXIBLE);
        }
        if (c.settledFlexibleFailed) {
            muxHrtimerRestart(c, now);
        }
        c.hw.pmuEnable();
        c.hw.exit();
    }

    /** The groups {@link #ctxSchedOut} would take off (of the types, active on this CPU), re-armed in place. */
    private void ctxReaddInPlace(PerfCpuContext c, PerfEventContext ctx, int types) {
        PerfEventPmuContext epc = ctx.nrEvents == 0 ? null : ctx.epc(c.pmu);
        if (epc == null) {
            return;
        }
        if ((types & EVENT_PINNED) != 0) {
            groupsReaddInPlace(c, epc.pinnedGroups);
        }
        if ((types & EVENT_FLEXIBLE) != 0) {
            groupsReaddInPlace(c, epc.flexibleGroups);
        }
    }

    private void groupsReaddInPlace(PerfCpuContext c, ArrayList<PerfEvent> groups) {
        for (int i = 0, size = groups.size(); i < size; i++) {
            PerfEvent leader = groups.get(i);
            if (leader.state == PerfEventState.ACTIVE && leader.oncpu == c.cpu) {
                groupReaddInPlace(c, leader);
            }
        }
    }

    /** A group's group_sched_out and group_sched_in back onto the same counters: each member re-armed in place, and moved. */
    private void groupReaddInPlace(PerfCpuContext c, PerfEvent leader) {
        c.hw.readdInPlace(leader);
        touch(leader);
        ArrayList<PerfEvent> siblings = leader.siblings;
        if (siblings != null) {
            for (int j = 0, n = siblings.size(); j < n; j++) {
                PerfEvent sibling = siblings.get(j);
                if (sibling.state == PerfEventState.ACTIVE) {
                    c.hw.readdInPlace(sibling);
                    touch(sibling);
                }
            }
        }
    }

    /**
     * Whether the enable of {@code e} may run as {@link #ctxReschedFrom}: a pinned group of its own
     * in the task context running on {@code c}, on the CPU's PMU, and the walk it starts settled
     * before it ({@link #walkSettled}).
     */
    private boolean reschedFromAllowed(PerfCpuContext c, PerfEvent e) {
        return e.groupLeader == e
                && e.siblings == null
                && e.pinned
                && e.ctx.task != null
                && c.taskCtx == e.ctx
                && e.pmu == c.pmu
                && walkSettled(c, e.ctx, EVENT_PINNED);
    }

    /**
     * The {@link #ctxResched} of a {@code perf_event_enable} of a task-pinned group {@code first}
     * whose walk was settled just before ({@link #reschedFromAllowed}), or of its install by
     * perf_install_in_context when it is opened enabled ({@link #installFromAllowed}, the group
     * last in its list): the walk differs from the
     * last one only from {@code first} on. Its pinned pass finds every group listed before
     * {@code first} where it is (the allocator, greedy in list order over the same free counters,
     * gives each the counters it has, and the pass reaches {@code first} with nothing failed,
     * since a pinned failure left the rest of the last pass in ERROR), so those are re-armed in
     * place (ArmPmuV3.readdInPlace) and counted as moved, as the full walk's sched-out and sched-in
     * of them would be; the groups after it, the CPU's and the task's flexible groups leave and the
     * walk resumes at {@code first}. At one instant, the contexts' clocks and the times of a group
     * left on its counter come out as the full walk's.
     */
    private void ctxReschedFrom(PerfCpuContext c, PerfEvent first, long now, PerfEvent next) {
        rescheds++;
        reschedsFrom++;
        changed(c);
        walkFlexibleFailed = false;
        PerfEventContext taskCtx = first.ctx;
        PerfEventPmuContext epc = first.epc;
        PerfEventPmuContext cpuEpc = c.cpuCtx.nrEvents == 0 ? null : c.cpuCtx.epc(c.pmu);
        ArrayList<PerfEvent> pinned = epc.pinnedGroups;
        c.hw.enter(now);
        c.hw.pmuDisable();
        // One pass finds first (by identity) and re-arms the groups before it; with the next one
        // over the rest of the list, it also finds where next is listed (-1: not in it).
        int from = 0;
        int nextAt = -1;
        for (PerfEvent leader = pinned.get(0); leader != first; leader = pinned.get(++from)) {
            if (leader == next) {
                nextAt = from;
            }
            if (leader.state == PerfEventState.ACTIVE && leader.oncpu == c.cpu) {
                groupReaddInPlace(c, leader);
            }
        }
        for (int i = from + 1, size = pinned.size(); i < size; i++) {
            PerfEvent leader = pinned.get(i);
            if (leader == next) {
                nextAt = i;
            }
            if (leader.state == PerfEventState.ACTIVE && leader.oncpu == c.cpu) {
                groupSchedOut(c, leader, now);
            }
        }
        if (c.groupsWaiting) {
            // The last enable put these on a mask only (enableAll): they are taken off, as moved.
            for (int i = 0; i < c.waitingCount; i++) {
                touch(c.waitingEvents[i]);
            }
            c.waitingCount = 0;
            c.groupsWaiting = false;
        }
        pmuCtxSchedOut(c, epc, EVENT_FLEXIBLE, now);
        if (cpuEpc != null) {
            pmuCtxSchedOut(c, cpuEpc, EVENT_FLEXIBLE, now);
        }
        if (flexibleSchedInMayWait(c, first, next)) {
            flexibleInsWithoutHw++;
            c.groupsWaiting = true;
            // The next enable's resched takes off every pinned group listed after its event: from
            // there on, this pass's pinned sched-in waits on the mask too, if delAfterAdd fits them.
            int waitFrom = Math.max(from, nextAt + 1);
            if (!delAfterAddAllowed(c.hw, pinned, waitFrom)) {
                waitFrom = pinned.size();
            }
            long used = pinnedSchedInWaiting(c, pinned, from, waitFrom, now);
            if (cpuEpc != null) {
                used = flexibleSchedInWithoutHw(c, cpuEpc, used, now);
            }
            flexibleSchedInWithoutHw(c, epc, used, now);
        } else {
            pmuGroupsSchedIn(c, epc, pinned, from, now);
            if (cpuEpc != null) {
                pmuGroupsSchedIn(c, cpuEpc, cpuEpc.flexibleGroups, 0, now);
            }
            pmuGroupsSchedIn(c, epc, epc.flexibleGroups, 0, now);
        }
        c.hw.pmuEnable();
        c.hw.exit();
        recordWalk(c, taskCtx, EVENT_PINNED);
    }

    /** Over every CPU: how often a readd in place found an event as its add in the same held run left it (tests). */
    long readdsAsAdded() {
        long sum = 0;
        for (PerfCpuContext c : cpus) {
            sum += c.hw.readdsAsAdded;
        }
        return sum;
    }

    /**
     * The pinned {@link #pmuGroupsSchedIn} of a resched from {@code pinned[from]} whose groups from
     * {@code waitFrom} on are taken off again by the next enable's resched ({@link #enableAll}):
     * one pass in list order, the groups before {@code waitFrom} put on the PMU, the rest on a
     * mask above them ({@link #groupSchedInWithoutHw}); a failure ends the pass and puts the group
     * in ERROR either way (a real state change). Returns the counters in use, the waiting ones too.
     */
    private long pinnedSchedInWaiting(PerfCpuContext c, ArrayList<PerfEvent> pinned, int from, int waitFrom, long now) {
        boolean canAddHw = true;
        long waiting = 0;
        for (int i = from, size = pinned.size(); i < size; i++) {
            PerfEvent leader = pinned.get(i);
            if (mergeSchedInPasses(c, leader)) {
                continue;
            }
            boolean failed;
            if (i < waitFrom) {
                if (canAddHw) {
                    groupSchedIn(c, leader, now);
                }
                failed = leader.state == PerfEventState.INACTIVE;
            } else {
                long used = c.hw.usedMask | waiting;
                long placed = canAddHw ? groupSchedInWithoutHw(c, leader, used) : -1;
                failed = placed < 0;
                if (!failed) {
                    waiting |= placed;
                    pinnedInsWithoutHw++;
                }
            }
            if (failed) {
                canAddHw = false;
                setState(leader, PerfEventState.ERROR, now);
            }
        }
        return c.hw.usedMask | waiting;
    }

    /**
     * The flexible {@link #pmuGroupsSchedIn} of {@code epc} on a counter mask ({@link #enableAll}):
     * the same walk (skipped states, CPU filter, a failure ends the pass and asks for rotation),
     * the same all-or-nothing groups ({@link #groupSchedIn}) with the allocator's choice
     * (ArmPmuV3.getEventIdx over the same used counters), and each event put on counted as moved.
     * Each event put on, kept or rolled back, gets at once what its add and its del (by the next
     * resched, or the rollback) leave (ArmPmuV3.delAfterAdd); its state stays INACTIVE, and its
     * times are as the two state changes at one instant would leave them. Returns the counters used.
     */
    private long flexibleSchedInWithoutHw(PerfCpuContext c, PerfEventPmuContext epc, long used, long now) {
        ArrayList<PerfEvent> groups = epc.flexibleGroups;
        boolean canAddHw = true;
        for (int i = 0, size = groups.size(); i < size; i++) {
            PerfEvent leader = groups.get(i);
            if (mergeSchedInPasses(c, leader)) {
                continue;
            }
            long placed = canAddHw ? groupSchedInWithoutHw(c, leader, used) : -1;
            if (placed < 0) {
                canAddHw = false;
                epc.rotateNecessary = true;
                walkFlexibleFailed = true;
                muxHrtimerRestart(c, now);
            } else {
                used = placed;
            }
        }
        return used;
    }

    /** {@link #groupSchedIn} on a mask: the counters used after the group, or -1 if it failed (rolled back). */
    private long groupSchedInWithoutHw(PerfCpuContext c, PerfEvent leader, long used) {
        int start = c.waitingCount;
        long u = eventSchedInWithoutHw(c, leader, used);
        ArrayList<PerfEvent> siblings = leader.siblings;
        if (u >= 0 && siblings != null) {
            for (int i = 0, size = siblings.size(); i < size && u >= 0; i++) {
                u = eventSchedInWithoutHw(c, siblings.get(i), u);
            }
        }
        if (u < 0) {
            c.waitingCount = start; // the members put on are taken off again (already counted as moved)
        }
        return u;
    }

    /** {@link #eventSchedIn} on a mask: an OFF member is skipped; -1 when no counter fits. */
    private long eventSchedInWithoutHw(PerfCpuContext c, PerfEvent e, long used) {
        if (e.state.isOffOrBelow()) {
            return used;
        }
        ArmPmuV3 hw = c.hw;
        int idx = ArmPmuV3.getEventIdx(used, hw.cntrMask, c.pmu.allocationOrder(), hw.hasLongEvent, e);
        if (idx < 0) {
            return -1;
        }
        hw.delAfterAdd(e, idx);
        touch(e);
        c.waitingEvents[c.waitingCount++] = e;
        return used | (1L << idx);
    }

    /** {@code perf_event_sched_in}: CPU pinned, task pinned, CPU flexible, task flexible. */
    private void perfEventSchedIn(PerfCpuContext c, PerfEventContext taskCtx, long now, boolean walk) {
        ctxSchedIn(c, c.cpuCtx, EVENT_PINNED, now, walk);
        if (taskCtx != null) {
            ctxSchedIn(c, taskCtx, EVENT_PINNED, now, walk);
        }
        ctxSchedIn(c, c.cpuCtx, EVENT_FLEXIBLE, now, walk);
        if (taskCtx != null) {
            ctxSchedIn(c, taskCtx, EVENT_FLEXIBLE, now, walk);
        }
    }

    /**
     * {@code ctx_sched_in}: starts the context clock if stopped and walks only the types that were
     * not already active, so groups already on stay where they are.
     */
    private void ctxSchedIn(PerfCpuContext c, PerfEventContext ctx, int eventType, long now, boolean walk) {
        if (ctx.nrEvents == 0) {
            return;
        }
        int was = ctx.isActive;
        if ((was & EVENT_TIME) == 0) {
            ctx.timestamp = now;
        }
        ctx.isActive |= eventType | EVENT_TIME;
        if (ctx.task != null) {
            c.taskCtx = ctx;
        }
        int changed = was ^ ctx.isActive;
        if (!walk) {
            return;
        }
        PerfEventPmuContext epc = ctx.epc(c.pmu);
        if (epc == null) {
            return;
        }
        if ((changed & EVENT_PINNED) != 0) {
            pmuGroupsSchedIn(c, epc, epc.pinnedGroups, now);
        }
        if ((changed & EVENT_FLEXIBLE) != 0) {
            pmuGroupsSchedIn(c, epc, epc.flexibleGroups, now);
        }
    }

    /** {@code ctx_sched_out}: the clock stops when no type stays active. */
    private void ctxSchedOut(PerfCpuContext c, PerfEventContext ctx, int eventType, long now, boolean walk) {
        if (ctx.nrEvents == 0) {
            return;
        }
        int was = ctx.isActive;
        if ((was & EVENT_TIME) != 0) {
            ctx.time += now - ctx.timestamp;
            ctx.timestamp = now;
        }
        ctx.isActive &= ~(eventType & EVENT_ALL);
        if ((ctx.isActive & EVENT_ALL) == 0) {
            ctx.isActive = 0;
            if (ctx.task != null && c.taskCtx == ctx) {
                c.taskCtx = null;
            }
        }
        int changed = was ^ ctx.isActive;
        if (!walk) {
            return;
        }
        PerfEventPmuContext epc = ctx.epc(c.pmu);
        if (epc != null) {
            pmuCtxSchedOut(c, epc, changed, now);
        }
    }

    /** {@code __pmu_ctx_sched_out}: active groups of the given types leave their counters. */
    private void pmuCtxSchedOut(PerfCpuContext c, PerfEventPmuContext epc, int types, long now) {
        if ((types & EVENT_PINNED) != 0) {
            groupsSchedOut(c, epc.pinnedGroups, now);
        }
        if ((types & EVENT_FLEXIBLE) != 0) {
            groupsSchedOut(c, epc.flexibleGroups, now);
            // The next flexible sched-in sets it again if something still does not fit.
            epc.rotateNecessary = false;
        }
    }

    private void groupsSchedOut(PerfCpuContext c, ArrayList<PerfEvent> groups, long now) {
        for (int i = 0, size = groups.size(); i < size; i++) {
            PerfEvent leader = groups.get(i);
            if (leader.state == PerfEventState.ACTIVE && leader.oncpu == c.cpu) {
                groupSchedOut(c, leader, now);
            }
        }
    }

    /**
     * {@code pmu_groups_sched_in} + {@code merge_sched_in} over one list in group order: once a
     * group fails, no later group of this pass is tried (§1.3); a failed pinned group goes to ERROR
     * (§1.4), a failed flexible one asks for rotation and arms the hrtimer.
     */
    private void pmuGroupsSchedIn(PerfCpuContext c, PerfEventPmuContext epc, ArrayList<PerfEvent> groups, long now) {
        pmuGroupsSchedIn(c, epc, groups, 0, now);
    }

    /** {@link #pmuGroupsSchedIn} from the group at {@code from} on (ctxReschedFrom). */
    private void pmuGroupsSchedIn(
            PerfCpuContext c, PerfEventPmuContext epc, ArrayList<PerfEvent> groups, int from, long now) {
        boolean canAddHw = true;
        for (int i = from, size = groups.size(); i < size; i++) {
            PerfEvent leader = groups.get(i);
            if (mergeSchedInPasses(c, leader)) {
                continue;
            }
            if (canAddHw) {
                groupSchedIn(c, leader, now);
            }
            if (leader.state == PerfEventState.INACTIVE) {
                canAddHw = false;
                if (leader.pinned) {
                    setState(leader, PerfEventState.ERROR, now);
                } else {
                    epc.rotateNecessary = true;
                    walkFlexibleFailed = true;
                    muxHrtimerRestart(c, now);
                }
            }
        }
    }

    /**
     * Whether {@code merge_sched_in} passes over {@code leader} without trying it: a group that is
     * OFF or worse, or already ACTIVE, and one whose CPU filter does not match this CPU
     * ({@code event_filter_match}). The one rule of every sched-in walk, on the PMU or on a mask.
     */
    private boolean mergeSchedInPasses(PerfCpuContext c, PerfEvent leader) {
        return leader.state.isOffOrBelow() || leader.state == PerfEventState.ACTIVE || !eventFilterMatch(leader, c.cpu);
    }

    /** {@code group_sched_in}: all or nothing; members placed before a failure are taken off again. */
    private void groupSchedIn(PerfCpuContext c, PerfEvent leader, long now) {
        if (!eventSchedIn(c, leader, now)) {
            return;
        }
        ArrayList<PerfEvent> siblings = leader.siblings;
        if (siblings == null) {
            return;
        }
        for (int i = 0, size = siblings.size(); i < size; i++) {
            if (!eventSchedIn(c, siblings.get(i), now)) {
                for (int j = 0; j < i; j++) {
                    eventSchedOut(c, siblings.get(j), now);
                }
                eventSchedOut(c, leader, now);
                return;
            }
        }
    }

    private void groupSchedOut(PerfCpuContext c, PerfEvent leader, long now) {
        if (leader.state != PerfEventState.ACTIVE) {
            return;
        }
        eventSchedOut(c, leader, now);
        ArrayList<PerfEvent> siblings = leader.siblings;
        if (siblings != null) {
            for (int i = 0, size = siblings.size(); i < size; i++) {
                eventSchedOut(c, siblings.get(i), now);
            }
        }
    }

    /** {@code event_sched_in}: an OFF (disabled) member is skipped and does not fail its group. */
    private boolean eventSchedIn(PerfCpuContext c, PerfEvent e, long now) {
        if (e.state.isOffOrBelow()) {
            return true;
        }
        e.oncpu = c.cpu;
        setState(e, PerfEventState.ACTIVE, now);
        if (!c.hw.add(e)) {
            setState(e, PerfEventState.INACTIVE, now);
            e.oncpu = -1;
            return false;
        }
        touch(e);
        return true;
    }

    private void eventSchedOut(PerfCpuContext c, PerfEvent e, long now) {
        if (e.state != PerfEventState.ACTIVE) {
            return;
        }
        c.hw.del(e);
        e.oncpu = -1;
        setState(e, PerfEventState.INACTIVE, now);
        touch(e);
    }

    /** {@code perf_event_set_state}: times are brought up to date under the old state first. */
    private static void setState(PerfEvent e, PerfEventState state, long now) {
        if (e.state == state) {
            return;
        }
        updateTime(e, now);
        if (e.state.isOffOrBelow() != state.isOffOrBelow() && e.siblings != null) {
            // The leader's state is its siblings' effective state: settle their time first.
            for (int i = 0, size = e.siblings.size(); i < size; i++) {
                updateTime(e.siblings.get(i), now);
            }
        }
        e.state = state;
    }

    /**
     * {@code __perf_effective_state}: a member of a group whose leader is OFF or below has the
     * leader's state, otherwise its own (§1.6).
     */
    private static PerfEventState effectiveState(PerfEvent e) {
        PerfEventState leaderState = e.groupLeader.state;
        return leaderState.isOffOrBelow() ? leaderState : e.state;
    }

    /**
     * {@code __perf_update_times} against the context clock: enabled while the effective state
     * ({@link #effectiveState}) is at least INACTIVE, running while ACTIVE.
     */
    private static void updateTime(PerfEvent e, long now) {
        long ctxNow = e.ctx.timeNow(now);
        long delta = ctxNow - e.tstamp;
        if (delta == 0) {
            // Already up to this context time: a walk moves an event several times at one instant.
            return;
        }
        PerfEventState effective = effectiveState(e);
        if (!effective.isOffOrBelow()) {
            e.totalTimeEnabled += delta;
        }
        if (effective == PerfEventState.ACTIVE) {
            e.totalTimeRunning += delta;
        }
        e.tstamp = ctxNow;
    }

    /** {@code perf_mux_hrtimer_restart}: arm the timer if it is idle; an armed timer keeps its expiry. */
    private static void muxHrtimerRestart(PerfCpuContext c, long now) {
        if (!c.hrtimerActive) {
            c.hrtimerActive = true;
            c.hrtimerExpires = hrtimerForward(c.hrtimerExpires, now, c.pmu.muxIntervalNs());
        }
    }

    /** {@code hrtimer_forward}: the first expiry on the timer's grid strictly after {@code now}. */
    static long hrtimerForward(long expires, long now, long interval) {
        if (now < expires) {
            return expires;
        }
        return expires + ((now - expires) / interval + 1) * interval;
    }

    /**
     * {@code ctx_event_to_rotate}: the first active flexible group, else the first group (of any
     * CPU for a task context, then of this CPU); clears {@code rotate_necessary}.
     */
    private static PerfEvent eventToRotate(PerfEventPmuContext epc, int cpu) {
        ArrayList<PerfEvent> groups = epc.flexibleGroups;
        PerfEvent pick = null;
        for (int i = 0, size = groups.size(); i < size && pick == null; i++) {
            PerfEvent g = groups.get(i);
            if (g.state == PerfEventState.ACTIVE && g.oncpu == cpu) {
                pick = g;
            }
        }
        if (pick == null && epc.ctx.task != null) {
            pick = firstGroupOn(groups, -1);
        }
        if (pick == null) {
            pick = firstGroupOn(groups, cpu);
        }
        epc.rotateNecessary = false;
        return pick;
    }

    private static PerfEvent firstGroupOn(ArrayList<PerfEvent> groups, int cpu) {
        for (int i = 0, size = groups.size(); i < size; i++) {
            if (groups.get(i).cpu == cpu) {
                return groups.get(i);
            }
        }
        return null;
    }

    /** {@code rotate_ctx}: a new group_index puts the group last. */
    private static void rotateCtx(PerfEventPmuContext epc, PerfEvent leader) {
        if (epc.flexibleGroups.remove(leader)) {
            epc.flexibleGroups.add(leader);
        }
    }

    private static boolean eventFilterMatch(PerfEvent e, int cpu) {
        return e.cpu < 0 || e.cpu == cpu;
    }

    /** {@code get_event_type}: the leader's pinned flag, plus EVENT_CPU for a CPU context. */
    private static int eventType(PerfEvent e) {
        int type = e.groupLeader.pinned ? EVENT_PINNED : EVENT_FLEXIBLE;
        return e.ctx.task == null ? type | EVENT_CPU : type;
    }

    /** The CPU on which the context is active now, or null. */
    private PerfCpuContext activeCpuOf(PerfEventContext ctx) {
        if (ctx.task == null) {
            PerfCpuContext c = cpus[ctx.cpu];
            return ctx.isActive != 0 ? c : null;
        }
        int cpu = ctx.task.cpu;
        if (cpu < 0) {
            return null;
        }
        PerfCpuContext c = cpus[cpu];
        return c.taskCtx == ctx ? c : null;
    }

    // =============================================================================================
    // Overflow and frequency mode

    /**
     * {@code perf_event_overflow} for an event whose period elapsed: counting events stop here;
     * sampling events first re-tune a frequency-mode period from the time since the previous
     * interrupt, then run the kernel handler or write a sample.
     */
    private void perfEventOverflow(PerfCpuContext c, PerfEvent e, long now) {
        if (!e.attr.isSampling()) {
            return;
        }
        e.overflows++;
        if (e.freq) {
            long delta = now - e.freqTimeStamp;
            e.freqTimeStamp = now;
            if (delta > 0 && delta < 2 * tickNsec) {
                adjustPeriod(c.hw, e, delta, e.lastPeriod, true);
            }
        }
        if (e.overflowHandler != null) {
            e.overflowHandler.overflow(e, c.cpu, now);
        } else {
            e.samples++;
            costSink.charge(c.cpu, KernelCost.PERF_SAMPLE_RECORD, 0);
        }
    }

    private void adjustFreqContext(PerfCpuContext c, PerfEventContext ctx, long now) {
        PerfEventPmuContext epc = ctx.epc(c.pmu);
        if (epc == null || epc.nrFreq == 0) {
            return;
        }
        changed(ctx);
        c.hw.enter(now);
        c.hw.pmuDisable();
        adjustFreqGroups(c, epc.pinnedGroups);
        adjustFreqGroups(c, epc.flexibleGroups);
        c.hw.pmuEnable();
        c.hw.exit();
    }

    private void adjustFreqGroups(PerfCpuContext c, ArrayList<PerfEvent> groups) {
        for (int i = 0, size = groups.size(); i < size; i++) {
            PerfEvent leader = groups.get(i);
            adjustFreqEvent(c, leader);
            ArrayList<PerfEvent> siblings = leader.siblings;
            if (siblings != null) {
                for (int j = 0, n = siblings.size(); j < n; j++) {
                    adjustFreqEvent(c, siblings.get(j));
                }
            }
        }
    }

    /** One event of {@code perf_adjust_freq_unthr_events}: stop, re-tune from the tick's count, reload. */
    private void adjustFreqEvent(PerfCpuContext c, PerfEvent e) {
        if (e.state != PerfEventState.ACTIVE || e.oncpu != c.cpu || !e.freq) {
            return;
        }
        c.hw.stopEvent(e);
        long delta = e.count - e.freqCountStamp;
        e.freqCountStamp = e.count;
        if (delta > 0) {
            adjustPeriod(c.hw, e, tickNsec, delta, false);
        }
        c.hw.startEvent(e);
        costSink.charge(c.cpu, KernelCost.PERIOD_RETUNE, 0);
    }

    /**
     * {@code perf_adjust_period}: move the period an eighth of the way to the one that would give
     * {@code sample_freq} at the observed rate; if more than 8 periods are left, reload now
     * ({@link PerfPeriod}).
     */
    private static void adjustPeriod(ArmPmuV3 hw, PerfEvent e, long nsec, long count, boolean disable) {
        long period = PerfPeriod.calculatePeriod(e.attr.sampleFreq(), nsec, count);
        long samplePeriod = PerfPeriod.adjustedSamplePeriod(e.samplePeriod, period);
        e.samplePeriod = samplePeriod;
        if (PerfPeriod.resetsPeriodLeft(e.periodLeft, samplePeriod)) {
            if (disable) {
                hw.stopEvent(e);
            }
            e.periodLeft = 0;
            if (disable) {
                hw.startEvent(e);
            }
        }
    }

    // =============================================================================================
    // Open path helpers

    private PerfEvent perfEventOpen(
            int callerCpu,
            PerfEventAttr attr,
            PerfTask task,
            int cpu,
            PerfEvent leader,
            PerfOverflowHandler handler,
            long now) {
        checkCpu(callerCpu);
        requireNonNull(attr, "attr is null");
        PerfPmu pmu = pmuOfTypeOrNull(attr.type());
        if (pmu == null) {
            throw new PerfEventOpenException(ENOENT, "no PMU of type " + attr.type() + "; known: " + pmuNames());
        }
        if (cpu < -1 || cpu >= cpus.length) {
            throw new PerfEventOpenException(EINVAL, "no CPU " + cpu);
        }
        if (task == null && cpu == -1) {
            throw new PerfEventOpenException(EINVAL, "an event needs a task, a CPU or both");
        }
        if (cpu >= 0 && !pmu.covers(cpu)) {
            // armpmu_event_init: a CPU-bound event must be on one of supported_cpus (§4).
            throw new PerfEventOpenException(ENOENT, pmu.name() + " does not cover CPU " + cpu);
        }
        if (attr.excludeIdle()) {
            throw new PerfEventOpenException(EPERM, "the PMUv3 driver cannot exclude idle");
        }
        if (attr.freq() && attr.sampleFreq() > config.maxSampleRate()) {
            throw new PerfEventOpenException(
                    EINVAL,
                    "sample_freq " + attr.sampleFreq() + " is above perf_event_max_sample_rate "
                            + config.maxSampleRate());
        }
        PerfEventContext ctx = task != null ? taskContext(task) : cpus[cpu].cpuCtx;
        if (leader != null) {
            if (leader.state == PerfEventState.DEAD) {
                throw new PerfEventOpenException(EINVAL, "group leader " + leader + " was released");
            }
            if (leader.groupLeader != leader) {
                throw new PerfEventOpenException(EINVAL, leader + " is not a group leader");
            }
            if (leader.ctx != ctx || leader.cpu != cpu) {
                throw new PerfEventOpenException(EINVAL, "group leader " + leader + " is in another context");
            }
            if (leader.pmu != pmu) {
                throw new PerfEventOpenException(
                        EINVAL, "a group cannot span PMUs (" + leader.pmu.name() + ", " + pmu.name() + ")");
            }
            if (!validateGroup(pmu, leader, attr)) {
                int members = 2 + (leader.siblings == null ? 0 : leader.siblings.size());
                throw new PerfEventOpenException(
                        EINVAL,
                        "a group of " + members + " events cannot fit " + pmu.name() + " (cntr_mask 0x"
                                + Long.toHexString(pmu.cntrMask()) + ")");
            }
        }
        PerfEventPmuContext epc = ctx.epcOrCreate(pmu);
        PerfEvent e = new PerfEvent(
                nextEventId++, attr, pmu, cpu, task, ctx, epc, handler, ArmPmuV3.configBase(attr, config.vhe()));
        // add_event_to_ctx: times start from the context clock now.
        e.tstamp = ctx.timeNow(now);
        // Taken before this change, as an enable does: the install's walk then differs from the
        // last one by this event only, last in its pinned list.
        boolean settledBefore = installFromAllowed(e, leader);
        // A disabled group of its own in a list that has events changes no walk's outcome (walkSettled).
        if (e.state != PerfEventState.OFF || leader != null || epc.nrEvents == 0) {
            changed(ctx);
        }
        ctx.nrEvents++;
        epc.nrEvents++;
        if (attr.freq()) {
            epc.nrFreq++;
        }
        if (!ArmPmuV3.delAfterAddFits(e, config.vhe())) {
            ctx.nrNotDelAfterAdd++;
        }
        if (leader == null) {
            e.groupLeader = e;
            addToGroups(epc, e);
        } else {
            e.groupLeader = leader;
            if (leader.siblings == null) {
                leader.siblings = new ArrayList<>(4);
            }
            leader.siblings.add(e);
        }
        if (settledBefore) {
            ctxReschedFrom(cpus[e.task.cpu], e, now, null);
        } else {
            perfInstallInContext(e, now);
        }
        costSink.charge(callerCpu, KernelCost.PERF_EVENT_CREATE, 0);
        return e;
    }

    /**
     * Whether the install of the new event {@code e} may run as {@link #ctxReschedFrom}: as for an
     * enable ({@link #reschedFromAllowed}), an enabled pinned group of its own in the task context
     * running on a CPU of its PMU, bound to no other CPU, after a settled walk. KVM creates such an
     * event when the guest reprograms a counter that is enabled. Before the event joins its context.
     */
    private boolean installFromAllowed(PerfEvent e, PerfEvent leader) {
        if (leader != null || !e.pinned || e.task == null || e.task.cpu < 0 || e.state != PerfEventState.INACTIVE) {
            return false;
        }
        PerfCpuContext c = cpus[e.task.cpu];
        return c.taskCtx == e.ctx
                && e.pmu == c.pmu
                && eventFilterMatch(e, c.cpu)
                && walkSettled(c, e.ctx, EVENT_PINNED);
    }

    /**
     * {@code perf_install_in_context}: a CPU event reschedules its CPU; a task event reschedules
     * the CPU its task runs on, or waits for the task's next sched-in.
     */
    private void perfInstallInContext(PerfEvent e, long now) {
        int type = eventType(e);
        PerfCpuContext c;
        PerfEventContext taskCtx;
        if (e.task == null) {
            c = cpus[e.cpu];
            taskCtx = c.taskCtx;
        } else if (e.task.cpu >= 0) {
            c = cpus[e.task.cpu];
            taskCtx = e.ctx;
        } else {
            return;
        }
        // KVM re-creates a guest counter's event disabled while the guest's PMU is stopped: the
        // resched then usually puts every group back where it is.
        if (e.state == PerfEventState.OFF && e.pmu == c.pmu && walkSettled(c, taskCtx, type)) {
            ctxReschedInPlace(c, taskCtx, type, now);
        } else {
            ctxResched(c, taskCtx, e.pmu, type, now);
        }
    }

    /**
     * arm_pmu {@code validate_group} ({@link GroupValidation}): the leader, its siblings and the new
     * event must all get a counter of an empty PMU under its {@code cntr_mask}, or the open fails (§1.2).
     */
    private static boolean validateGroup(PerfPmu pmu, PerfEvent leader, PerfEventAttr attr) {
        List<PerfEventAttr> members = new ArrayList<>(2 + (leader.siblings == null ? 0 : leader.siblings.size()));
        members.add(leader.attr);
        if (leader.siblings != null) {
            for (int i = 0; i < leader.siblings.size(); i++) {
                members.add(leader.siblings.get(i).attr);
            }
        }
        members.add(attr);
        return GroupValidation.validateGroup(
                pmu.cntrMask(), pmu.descriptor().hardware().version(), pmu.allocationOrder(), members);
    }

    private PerfEventContext taskContext(PerfTask task) {
        if (task.ctx == null) {
            task.ctx = new PerfEventContext(task, -1, pmus.size());
        }
        return task.ctx;
    }

    private static void addToGroups(PerfEventPmuContext epc, PerfEvent leader) {
        if (leader.pinned) {
            epc.pinnedGroups.add(leader);
            epc.ctx.nrPinnedGroups++;
        } else {
            epc.flexibleGroups.add(leader);
        }
    }

    private static ArrayList<PerfEvent> groupList(PerfEventPmuContext epc, PerfEvent leader) {
        return leader.pinned ? epc.pinnedGroups : epc.flexibleGroups;
    }

    // =============================================================================================
    // Small helpers

    /** A change that can move a walk's outcome on the contexts of {@code c} (see walkSettled). */
    private static void changed(PerfCpuContext c) {
        c.cpuCtx.gen++;
        if (c.taskCtx != null) {
            c.taskCtx.gen++;
        }
    }

    /** A change that can move a walk's outcome over {@code ctx} (see walkSettled). */
    private static void changed(PerfEventContext ctx) {
        ctx.gen++;
    }

    private void beginOp() {
        epoch++;
        touched = 0;
    }

    /** Counts an event moved (out or in) by the current operation once, for the per-event cost units. */
    private void touch(PerfEvent e) {
        if (e.touchEpoch != epoch) {
            e.touchEpoch = epoch;
            touched++;
        }
    }

    private static long counterMask(ArmPmuV3 hw, boolean pinned) {
        long mask = 0;
        long m = hw.usedMask;
        while (m != 0) {
            int idx = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            PerfEvent e = hw.events[idx];
            if (e != null && e.groupLeader.pinned == pinned) {
                mask |= ArmPmuV3.idxMask(idx, e.chained);
            }
        }
        return mask;
    }

    private ArmPmuV3 hw(int cpu) {
        checkCpu(cpu);
        return hws[cpu];
    }

    private PerfCpuContext cpuContext(int cpu) {
        checkCpu(cpu);
        return cpus[cpu];
    }

    private void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpus.length) {
            throw new IllegalArgumentException("no CPU " + cpu + " (0.." + (cpus.length - 1) + ")");
        }
    }

    private static void checkLive(PerfEvent event) {
        requireNonNull(event, "event is null");
        if (event.state == PerfEventState.DEAD) {
            throw new IllegalArgumentException(event + " was released");
        }
    }

    private static void checkMask(PerfPmu pmu, long mask) {
        if ((mask & ~pmu.implementedMask()) != 0) {
            throw new IllegalArgumentException("cntr_mask 0x" + Long.toHexString(mask) + " names counters " + pmu.name()
                    + " does not have (implemented: 0x" + Long.toHexString(pmu.implementedMask()) + ")");
        }
    }

    private PerfPmu pmuOfTypeOrNull(int type) {
        // An array: perf_event_open runs at every emulated counter reprogram, and an iterator allocates.
        for (PerfPmu p : pmuByIndex) {
            if (p.type() == type) {
                return p;
            }
        }
        return null;
    }

    private String pmuNames() {
        StringBuilder sb = new StringBuilder();
        for (PerfPmu p : pmus) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(p);
        }
        return sb.toString();
    }
}
