package dev.pmulab.sim.metrics;

import static dev.pmulab.sim.metrics.Direction.HIGHER;
import static dev.pmulab.sim.metrics.Direction.LOWER;
import static dev.pmulab.sim.metrics.Direction.NONE;
import static dev.pmulab.sim.metrics.MetricFormat.DECIMAL_2;
import static dev.pmulab.sim.metrics.MetricFormat.INTEGER;
import static dev.pmulab.sim.metrics.MetricGroup.GUEST;
import static dev.pmulab.sim.metrics.MetricGroup.HARDWARE_AND_ISOLATION;
import static dev.pmulab.sim.metrics.MetricGroup.HOST;
import static dev.pmulab.sim.metrics.MetricUnit.COUNT;
import static dev.pmulab.sim.metrics.MetricUnit.HERTZ;
import static dev.pmulab.sim.metrics.MetricUnit.NANOSECONDS;
import static dev.pmulab.sim.metrics.MetricUnit.PERCENT;
import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The numbers that decide the debate. The keys are a stable interface (JSON and CSV use them as
 * they are); the declaration order is the report's row order, grouped guest, host, hardware and
 * isolation. docs/metrics.md defines each precisely and says what a kernel engineer reads from it.
 */
public enum Metric {
    GUEST_PMU_TRAPS(
            "guest.pmu_traps",
            COUNT,
            GUEST,
            LOWER,
            INTEGER,
            "guest PMU register accesses that trapped to EL2, summed over all vCPUs"),
    GUEST_PMU_TRAP_NS(
            "guest.pmu_trap_ns",
            NANOSECONDS,
            GUEST,
            LOWER,
            INTEGER,
            "host time handling those traps, exit to re-entry, including the perf calls the handler made"),
    GUEST_PMU_OVERHEAD_PCT(
            "guest.pmu_overhead_pct",
            PERCENT,
            GUEST,
            LOWER,
            DECIMAL_2,
            "100 x guest.pmu_trap_ns / vCPU run time (vcpu_load to vcpu_put, summed over vCPUs)"),
    GUEST_WORKLOAD_NS(
            "guest.workload_ns",
            NANOSECONDS,
            GUEST,
            LOWER,
            INTEGER,
            "wall-clock time of each measured guest workload, start to end (time(1)'s real), summed"),
    GUEST_USER_NS(
            "guest.user_ns",
            NANOSECONDS,
            GUEST,
            LOWER,
            INTEGER,
            "guest CPU time in user mode as the guest kernel accounts it, interrupts it took there included"
                    + " under tick accounting (time(1)'s user)"),
    GUEST_SYS_NS(
            "guest.sys_ns",
            NANOSECONDS,
            GUEST,
            LOWER,
            INTEGER,
            "guest kernel time in process context (syscalls, perf's own work, sched_out/in), traps included"
                    + " (time(1)'s sys)"),
    GUEST_IRQ_NS(
            "guest.irq_ns",
            NANOSECONDS,
            GUEST,
            LOWER,
            INTEGER,
            "guest hardirq time (PMU interrupt, tick, mux hrtimer) under the guest's IRQ time accounting;"
                    + " 0 under tick accounting"),
    GUEST_RUN_PCT(
            "guest.run_pct",
            PERCENT,
            GUEST,
            HIGHER,
            DECIMAL_2,
            "100 x time the vCPUs' pCPUs executed guest code / (elapsed x those pCPUs), mpstat's %guest"),
    VCPU_WAIT_PCT(
            "vcpu.wait_pct",
            PERCENT,
            GUEST,
            LOWER,
            DECIMAL_2,
            "100 x time vCPUs were runnable but not running / (elapsed x vCPUs)"),
    GUEST_EVENT_COVERAGE_PCT(
            "guest.event_coverage_pct",
            PERCENT,
            GUEST,
            HIGHER,
            DECIMAL_2,
            "mean over guest counters of 100 x time really counting / time enabled by the guest while its vCPU ran"),
    GUEST_PERF_RUNNING_PCT(
            "guest.perf_running_pct",
            PERCENT,
            GUEST,
            HIGHER,
            DECIMAL_2,
            "mean over guest perf events of 100 x time_running / time_enabled, as the guest's perf stat prints it"),
    GUEST_PERF_RUNNING_MIN_PCT(
            "guest.perf_running_min_pct",
            PERCENT,
            GUEST,
            HIGHER,
            DECIMAL_2,
            "the smallest 100 x time_running / time_enabled among guest perf events"),
    GUEST_PMIS(
            "guest.pmis",
            COUNT,
            GUEST,
            NONE,
            INTEGER,
            "PMU interrupts the Linux guests took, spurious ones included, summed over vCPUs: the guest's"
                    + " /proc/interrupts PMU line"),
    GUEST_PERF_SAMPLES(
            "guest.perf_samples",
            COUNT,
            GUEST,
            NONE,
            INTEGER,
            "samples the Linux guests' perf sessions wrote (perf_event_overflow), summed: perf report --stats'"
                    + " SAMPLE events"),
    GUEST_PERF_THROTTLES(
            "guest.perf_throttles",
            COUNT,
            GUEST,
            LOWER,
            INTEGER,
            "times __perf_event_account_interrupt throttled a guest perf event's group at max_samples_per_tick,"
                    + " summed: perf report --stats' THROTTLE events"),
    GUEST_PERF_MAX_SAMPLE_RATE(
            "guest.perf_max_sample_rate",
            HERTZ,
            GUEST,
            NONE,
            INTEGER,
            "the lowest kernel.perf_event_max_sample_rate among the Linux guests at the end, after"
                    + " perf_sample_event_took lowered it"),
    GUEST_COUNTERS_STOPPED(
            "guest.counters_stopped",
            COUNT,
            GUEST,
            LOWER,
            INTEGER,
            "times a guest-enabled counter stopped counting while its vCPU ran, without the guest's doing or knowing"),
    GUEST_COUNT_ERROR_PCT(
            "guest.count_error_pct",
            PERCENT,
            GUEST,
            LOWER,
            DECIMAL_2,
            "mean over guest counters of 100 x |counted - ground truth| / ground truth"),
    GUEST_CYCLE_STALLS(
            "guest.cycle_stalls",
            COUNT,
            GUEST,
            LOWER,
            INTEGER,
            "guest ticks at which a running guest read the same PMCCNTR value as at its previous tick"),
    GUEST_CRASHES(
            "guest.crashes",
            COUNT,
            GUEST,
            LOWER,
            INTEGER,
            "guest crashes the guest model reports (division by a zero cycle delta, UNDEF on a promised register)"),
    GUEST_VISIBLE_N_CHANGES(
            "guest.visible_n_changes",
            COUNT,
            GUEST,
            LOWER,
            INTEGER,
            "changes of the PMCR_EL0.N a vCPU reads at EL1 after its first run, summed over vCPUs"),
    HOST_KERNEL_PCT(
            "host.kernel_pct",
            PERCENT,
            HOST,
            LOWER,
            DECIMAL_2,
            "100 x host kernel time on the pCPUs that ran vCPUs / (elapsed x those pCPUs), mpstat's %sys+%irq+%soft"),
    HOST_SYS_PCT(
            "host.sys_pct",
            PERCENT,
            HOST,
            LOWER,
            DECIMAL_2,
            "mpstat's %sys on the pCPUs that ran vCPUs: exit handling, trap emulation, vcpu_load/put, switches"),
    HOST_IRQ_PCT(
            "host.irq_pct",
            PERCENT,
            HOST,
            LOWER,
            DECIMAL_2,
            "mpstat's %irq on the pCPUs that ran vCPUs: host interrupt handlers, under host IRQ time accounting"),
    HOST_VCPU_LOAD_NS_MEAN(
            "host.vcpu_load_ns.mean",
            NANOSECONDS,
            HOST,
            LOWER,
            INTEGER,
            "mean time the PMU work adds to one vcpu_load (everything charged there but the base cost C5)"),
    HOST_VCPU_LOAD_NS_P99(
            "host.vcpu_load_ns.p99",
            NANOSECONDS,
            HOST,
            LOWER,
            INTEGER,
            "nearest-rank 99th percentile of the same vcpu_load samples"),
    HOST_VCPU_PUT_NS_MEAN(
            "host.vcpu_put_ns.mean",
            NANOSECONDS,
            HOST,
            LOWER,
            INTEGER,
            "mean time the PMU work adds to one vcpu_put (everything charged there but the base cost C6)"),
    HOST_VCPU_PUT_NS_P99(
            "host.vcpu_put_ns.p99",
            NANOSECONDS,
            HOST,
            LOWER,
            INTEGER,
            "nearest-rank 99th percentile of the same vcpu_put samples"),
    HOST_PERF_RESCHEDS(
            "host.perf_rescheds",
            COUNT,
            HOST,
            LOWER,
            INTEGER,
            "perf_pmu_resched calls (sched-out + sched-in of one PMU context) on any CPU, rotation ticks excluded"),
    HOST_EVENT_COVERAGE_PCT(
            "host.event_coverage_pct",
            PERCENT,
            HOST,
            HIGHER,
            DECIMAL_2,
            "mean over host perf events of 100 x time_running / time_enabled, as perf stat prints it"),
    HOST_EVENT_COVERAGE_MIN_PCT(
            "host.event_coverage_min_pct",
            PERCENT,
            HOST,
            HIGHER,
            DECIMAL_2,
            "the smallest 100 x time_running / time_enabled among host perf events"),
    HOST_PINNED_ERRORS(
            "host.pinned_errors",
            COUNT,
            HOST,
            LOWER,
            INTEGER,
            "host pinned perf events that went into the ERROR state because no counter was free"),
    BRBE_BLACKOUT_NS(
            "brbe.blackout_ns",
            NANOSECONDS,
            HARDWARE_AND_ISOLATION,
            LOWER,
            INTEGER,
            "time vCPUs with guest BRBE enabled ran while BRBE did not record (paused by a freeze, or prohibited)"),
    ISOLATION_BREACHES(
            "isolation.breaches",
            COUNT,
            HARDWARE_AND_ISOLATION,
            LOWER,
            INTEGER,
            "guest accesses that reached a host-owned counter plus host accesses that changed guest PMU state"),
    FILTER_LEAKS(
            "filter.leaks",
            COUNT,
            HARDWARE_AND_ISOLATION,
            LOWER,
            INTEGER,
            "distinct (vCPU, guest counter, event) where an event the filter denies was counted");

    private static final List<Metric> ALL = List.of(values());

    private final String key;
    private final MetricUnit unit;
    private final MetricGroup group;
    private final Direction better;
    private final MetricFormat format;
    private final String definition;

    Metric(String key, MetricUnit unit, MetricGroup group, Direction better, MetricFormat format, String definition) {
        this.key = key;
        this.unit = unit;
        this.group = group;
        this.better = better;
        this.format = format;
        this.definition = definition;
    }

    /** The stable name, e.g. {@code guest.pmu_traps}: the JSON key and the CSV value. */
    public String key() {
        return key;
    }

    public MetricUnit unit() {
        return unit;
    }

    public MetricGroup group() {
        return group;
    }

    /** Which value wins when runs are compared. */
    public Direction better() {
        return better;
    }

    public MetricFormat format() {
        return format;
    }

    /** One line: how the value is computed. */
    public String definition() {
        return definition;
    }

    /** {@code key [unit]}, as the table's row label. */
    public String label() {
        return key + " [" + unit.symbol() + "]";
    }

    /** All metrics in report order. */
    public static List<Metric> all() {
        return ALL;
    }

    public static Optional<Metric> byKey(String key) {
        requireNonNull(key, "key is null");
        for (Metric m : ALL) {
            if (m.key.equals(key)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** @throws IllegalArgumentException for an unknown key, listing the known ones */
    public static Metric fromKey(String key) {
        return byKey(key)
                .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + key + "'; known: "
                        + Arrays.stream(values()).map(Metric::key).collect(Collectors.joining(", "))));
    }
}
