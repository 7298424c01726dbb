package dev.pmulab.sim.guest;

import dev.pmulab.hw.EventRates;
import dev.pmulab.hw.ExceptionLevel;
import java.util.List;
import java.util.Optional;

/**
 * How a guest OS uses its PMU: what its driver does at boot, at every timer tick, and on a PMU
 * interrupt. The engine calls these while the vCPU runs; every register access goes through the
 * {@link GuestPmuPort}. A model also keeps the ground truth the accuracy metrics need: the events
 * its workload generated while each of its events was on a counter.
 */
public interface GuestPmuModel {
    /** The driver's probe and the tool's start: read PMCR_EL0/PMCEID, reset, program, enable. */
    void boot(GuestPmuPort port);

    /** The guest's timer tick (its HZ): multiplexing rotation, frequency re-tuning, tick reads. */
    void tick(GuestPmuPort port);

    /** The virtual PMU interrupt: the driver's overflow handler. */
    void pmuInterrupt(GuestPmuPort port);

    /**
     * The measured task is switched out and, after another task ran, back in:
     * {@code perf_event_task_sched_out} then {@code perf_event_task_sched_in}, in process context.
     * A model with task-bound events takes them off the PMU and puts them back; one without
     * (system-wide events, no tool) does nothing.
     */
    default void taskSwitch(GuestPmuPort port) {}

    /**
     * The workload executed for {@code ns} at guest {@code el} with {@code rates}: the ground
     * truth for every event the guest had on a counter.
     */
    void accountExecution(ExceptionLevel el, EventRates rates, long ns);

    /** The guest kernel's tick frequency, in Hz. */
    int hz();

    /** The interval of {@link #tick}, in ns: the kernel's TICK_NSEC unless the guest's clock says otherwise. */
    default long tickNs() {
        return 1_000_000_000L / hz();
    }

    /**
     * The interval of the guest's own timer, in ns ({@code perf stat -I}'s, a driver's reprogram
     * interval), on the guest's clock from its start; 0 for none. A timer that comes while the vCPU
     * does not run is taken when it next runs, once however many intervals went by (a periodic
     * hrtimer forwarded past its overruns).
     */
    default long timerPeriodNs() {
        return 0;
    }

    /** The guest's own timer fired (see {@link #timerPeriodNs}). */
    default void timer(GuestPmuPort port) {}

    /**
     * The guest's scheduler takes the workload's task off this vCPU (it sleeps; the CPU idles):
     * {@code perf_event_task_sched_out}.
     */
    default void taskSchedOut(GuestPmuPort port) {}

    /** The workload's task runs on this vCPU again: {@code perf_event_task_sched_in}. */
    default void taskSchedIn(GuestPmuPort port) {}

    /** Whether the model has work when the workload's task leaves or returns ({@link #taskSchedOut}). */
    default boolean followsTask() {
        return false;
    }

    /**
     * Whether the guest has PMU work on a vCPU that runs none of the workload's threads, so that
     * vCPU boots (its driver runs {@link #boot}) although it then idles.
     */
    default boolean bootsWithoutTask() {
        return false;
    }

    /**
     * Whether {@link #timer} has work on an idle vCPU, which it then wakes (an IPI); otherwise the
     * timer waits for the vCPU's next run.
     */
    default boolean timerWakesIdleVcpu() {
        return false;
    }

    /** True once the guest has crashed; the engine stops running its vCPU. */
    default boolean crashed() {
        return false;
    }

    /** Why it crashed, for the report. */
    default String crashReason() {
        return "";
    }

    /** Ticks at which a running guest read the same PMCCNTR value as at its previous tick. */
    default long cycleStalls() {
        return 0;
    }

    /**
     * Per event the guest had on a counter: the ground truth and what the guest read, for
     * guest.count_error_pct. Events with zero truth are left out.
     */
    default List<Accuracy> accuracy() {
        return List.of();
    }

    /**
     * Each event the guest's perf tools opened, with the times its perf core kept for it, read at
     * {@code now} (for guest.perf_running_pct); empty for a guest without Linux perf.
     */
    default List<PerfEventTimes> perfEventTimes(long now) {
        return List.of();
    }

    /**
     * One guest perf event's {@code total_time_enabled} and {@code total_time_running}.
     *
     * @param session the index of its perf session among the guest's (pmu_usage order, watchdog left out)
     * @param event its PMUv3 event number
     */
    record PerfEventTimes(int session, int event, long enabledNs, long runningNs) {}

    /**
     * What the guest kernel's perf core counted on this vCPU, the figures a kernel engineer reads in
     * a Linux guest (for guest.pmis, guest.perf_samples, guest.perf_throttles and
     * guest.perf_max_sample_rate); empty for a guest without Linux's perf core (Windows, the greedy
     * guest, a guest with no perf user). Read once, at the end of a run.
     */
    default Optional<LinuxPerfCounts> linuxPerfCounts() {
        return Optional.empty();
    }

    /**
     * One vCPU's Linux perf figures.
     *
     * @param pmuInterrupts PMU interrupts its handler took, spurious ones included: the vCPU's column
     *     of the PMU line in /proc/interrupts ({@code kstat_incr_irqs_this_cpu} in
     *     {@code handle_percpu_devid_irq})
     * @param samples samples {@code perf_event_overflow} wrote for perf sessions (the NMI
     *     watchdog's overflows write none)
     * @param throttles groups {@code __perf_event_account_interrupt} throttled, one PERF_RECORD_THROTTLE each
     * @param maxSampleRate the guest kernel's {@code sysctl_perf_event_sample_rate} now (one value
     *     for all its vCPUs)
     */
    record LinuxPerfCounts(long pmuInterrupts, long samples, long throttles, int maxSampleRate) {}

    /**
     * The samples and throttles of each of the guest's perf sessions on this vCPU (for
     * {@code --by session}), in session order (pmu_usage order, the watchdog left out); empty for a
     * guest without Linux's perf core. Read once, at the end of a run.
     */
    default List<SessionCounts> perfSessionCounts() {
        return List.of();
    }

    /**
     * One perf session's share of {@link LinuxPerfCounts}: the samples its events wrote and the
     * times one of its groups was throttled. PMU interrupts are not per session: one handler serves
     * every overflowed counter.
     */
    record SessionCounts(int session, long samples, long throttles) {}

    /** Whether the guest programmed BRBE to record (for brbe.blackout_ns). */
    default boolean usesBrbe() {
        return false;
    }

    /** One event's ground truth against what the guest's driver accumulated while it was on a counter. */
    record Accuracy(int event, long truth, long measured) {}
}
