package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import dev.pmulab.hw.catalog.SocModel;
import dev.pmulab.kvm.vpmu.PartitionFgtSet;
import java.util.Set;

/**
 * The host machine and kernel.
 *
 * @param soc the SoC: a catalog entry or the scenario's own CPUs, with any per-core overrides applied
 * @param vhe the host kernel runs at EL2 (VHE); only then can a policy partition the counters
 * @param hz CONFIG_HZ: 100, 250, 300 or 1000
 * @param muxIntervalNs perf's rotation interval per (CPU, PMU), {@code perf_event_mux_interval_ms}: whole ms
 * @param nmiWatchdog the host runs the perf hard-lockup detector: one pinned cycles event per CPU
 * @param watchdogThreshNs its watchdog_thresh: whole seconds, 1 to 60
 * @param partitionFgt the fine-grained traps KVM keeps for a partitioned guest: the version of the
 *     partitioning series being modelled ({@code host.kvm.partition_fgt})
 * @param cputimeAccounting how the host kernel accounts interrupt time, which decides where mpstat
 *     shows a host interrupt taken inside KVM's run loop ({@code host.cputime_accounting})
 */
public record HostSpec(
        SocModel soc,
        boolean vhe,
        int hz,
        long muxIntervalNs,
        boolean nmiWatchdog,
        long watchdogThreshNs,
        PartitionFgtSet partitionFgt,
        CputimeAccounting cputimeAccounting) {

    /** The trap set a scenario gets when it names none: the latest version modelled. */
    public static final PartitionFgtSet DEFAULT_PARTITION_FGT = PartitionFgtSet.V8;

    /** The CONFIG_HZ choices arm64 Kconfig offers. */
    public static final Set<Integer> HZ_CHOICES = Set.of(100, 250, 300, 1000);

    public HostSpec {
        requireNonNull(soc, "soc is null");
        requireNonNull(partitionFgt, "partitionFgt is null");
        requireNonNull(cputimeAccounting, "cputimeAccounting is null");
        if (!HZ_CHOICES.contains(hz)) {
            throw new IllegalArgumentException("HZ must be 100, 250, 300 or 1000, was " + hz);
        }
        // perf_event_mux_interval_ms and kernel.watchdog_thresh take whole milliseconds and seconds.
        if (muxIntervalNs <= 0 || muxIntervalNs % 1_000_000L != 0) {
            throw new IllegalArgumentException(
                    "the mux interval is a whole number of ms, at least 1, was " + muxIntervalNs + " ns");
        }
        if (watchdogThreshNs <= 0 || watchdogThreshNs % 1_000_000_000L != 0 || watchdogThreshNs > 60_000_000_000L) {
            throw new IllegalArgumentException(
                    "watchdog_thresh is a whole number of seconds, 1 to 60, was " + watchdogThreshNs + " ns");
        }
    }

    /** A host with tick-based CPU time accounting (the kernel's default). */
    public HostSpec(
            SocModel soc,
            boolean vhe,
            int hz,
            long muxIntervalNs,
            boolean nmiWatchdog,
            long watchdogThreshNs,
            PartitionFgtSet partitionFgt) {
        this(soc, vhe, hz, muxIntervalNs, nmiWatchdog, watchdogThreshNs, partitionFgt, CputimeAccounting.TICK);
    }

    /** A host with the default partition trap set ({@link #DEFAULT_PARTITION_FGT}). */
    public HostSpec(SocModel soc, boolean vhe, int hz, long muxIntervalNs, boolean nmiWatchdog, long watchdogThreshNs) {
        this(soc, vhe, hz, muxIntervalNs, nmiWatchdog, watchdogThreshNs, DEFAULT_PARTITION_FGT);
    }

    /**
     * perf's default rotation interval, {@code PERF_CPU_HRTIMER} = 1000 / HZ ms in integer
     * arithmetic: 4 ms at HZ=250, 3 ms at HZ=300 (perf-core-and-costs.md §1.5, C15).
     */
    public static long defaultMuxIntervalNs(int hz) {
        return (1000 / hz) * 1_000_000L;
    }

    public int cpuCount() {
        return soc.cpuCount();
    }
}
