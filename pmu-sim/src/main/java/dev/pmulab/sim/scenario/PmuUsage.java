package dev.pmulab.sim.scenario;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalLong;

/**
 * How a guest uses its virtual PMU: one behaviour model per record. A VM lists one or more (a
 * Linux guest may run the NMI watchdog and perf record at once); the engine drives the guest's
 * PMU register accesses from them, and each policy decides what those accesses cost.
 */
public sealed interface PmuUsage
        permits PmuUsage.PerfStat,
                PmuUsage.PerfRecord,
                PmuUsage.NmiWatchdog,
                PmuUsage.WindowsCycleTick,
                PmuUsage.Greedy,
                PmuUsage.Brbe,
                PmuUsage.Idle {

    /** The scenario spelling of the model: {@code perf-stat}, {@code windows-cycle-tick}, ... */
    String kind();

    /** Whether a guest of {@code os} can behave this way. */
    boolean runsOn(GuestOs os);

    /**
     * Whether this is a user of the Linux guest kernel's perf (a perf tool, the NMI watchdog, BRBE
     * sampling), which the guest's perf core schedules beside the others; false for a usage that
     * drives the PMU registers itself (greedy, Windows' tick) or does not use it (idle).
     */
    default boolean usesGuestPerf() {
        return false;
    }

    /**
     * Linux {@code perf stat} in the guest: counting events, multiplexed by the guest's own perf core
     * (rotation every guest mux interval) when they outnumber the counters the guest sees.
     *
     * @param groups the event groups, in the order perf opens them
     * @param scope {@code task}: the workload's task ({@code perf stat -- cmd}), reprogrammed at
     *     every guest context switch; {@code system}: {@code perf stat -a}
     * @param intervalNs {@code perf stat -I}: read every counter at this interval; empty to read at the end
     */
    record PerfStat(List<EventGroup> groups, PerfScope scope, OptionalLong intervalNs) implements PmuUsage {
        public static final String KIND = "perf-stat";
        /** The shortest interval perf stat -I takes, in ms. */
        public static final long MIN_INTERVAL_MS = 10;

        public PerfStat {
            groups = List.copyOf(groups);
            requireNonNull(scope, "scope is null");
            requireNonNull(intervalNs, "intervalNs is null");
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("perf stat needs at least one event");
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean usesGuestPerf() {
            return true;
        }

        @Override
        public boolean runsOn(GuestOs os) {
            return os == GuestOs.LINUX;
        }
    }

    /**
     * Linux {@code perf record} in the guest: sampling, an overflow interrupt per sample; in
     * frequency mode the guest kernel re-tunes each period every tick (perf-core-and-costs.md §1.8),
     * which writes the counter.
     *
     * @param groups the event groups; more events than counters multiplex in the guest
     * @param sampling {@code -F} (frequency) or {@code -c} (period)
     * @param scope {@code task} ({@code perf record -- cmd}) or {@code system} ({@code -a})
     */
    record PerfRecord(List<EventGroup> groups, Sampling sampling, PerfScope scope) implements PmuUsage {
        public static final String KIND = "perf-record";

        public PerfRecord {
            groups = List.copyOf(groups);
            requireNonNull(sampling, "sampling is null");
            requireNonNull(scope, "scope is null");
            if (groups.isEmpty()) {
                throw new IllegalArgumentException("perf record needs at least one event");
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean usesGuestPerf() {
            return true;
        }

        @Override
        public boolean runsOn(GuestOs os) {
            return os == GuestOs.LINUX;
        }
    }

    /**
     * The Linux hard-lockup detector in the guest: one pinned CPU_CYCLES event per vCPU, with a
     * period of the maximum CPU frequency (5 GHz in a guest, which has no cpufreq) times
     * {@code watchdog_thresh}; it keeps one counter busy for the guest's whole life
     * (perf-core-and-costs.md §6).
     *
     * @param threshNs watchdog_thresh, whole seconds from 1 to 60 (10 s by default)
     */
    record NmiWatchdog(long threshNs) implements PmuUsage {
        public static final String KIND = "nmi-watchdog";

        /** The kernel's default watchdog_thresh, 10 s (perf-core-and-costs.md §6). */
        public static final long DEFAULT_THRESH_NS = 10_000_000_000L;

        public NmiWatchdog {
            // The guest's kernel.watchdog_thresh: whole seconds, 1 to 60 (0 turns the detector off).
            if (threshNs <= 0 || threshNs % 1_000_000_000L != 0 || threshNs > 60_000_000_000L) {
                throw new IllegalArgumentException(
                        "watchdog_thresh is a whole number of seconds, 1 to 60, was " + threshNs + " ns");
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean usesGuestPerf() {
            return true;
        }

        @Override
        public boolean runsOn(GuestOs os) {
            return os == GuestOs.LINUX;
        }
    }

    /**
     * A Windows guest that reads PMCCNTR on every clock tick and divides by the delta since the
     * last tick: a cycle counter that stops while the vCPU runs (a foreign core type under the
     * default PMU) makes the delta zero, which is the division-by-zero crash the design brief counts
     * (perf-core-and-costs.md §6; partitioning-and-policies.md §6.6).
     *
     * @param tickNs the clock tick; Windows' default timer resolution is 15.625 ms (64 Hz)
     */
    record WindowsCycleTick(long tickNs) implements PmuUsage {
        public static final String KIND = "windows-cycle-tick";

        /** 1/64 s, Windows' default clock interrupt interval. */
        public static final long DEFAULT_TICK_NS = 15_625_000L;

        public WindowsCycleTick {
            if (tickNs <= 0) {
                throw new IllegalArgumentException("tick must be positive, was " + tickNs);
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean runsOn(GuestOs os) {
            return os == GuestOs.WINDOWS;
        }
    }

    /**
     * A guest that programs every counter it can see and asks for more: it enables all PMCR.N
     * counters, rewrites them every {@code reprogramEveryNs}, and, with {@code asksForMore}, writes
     * the PMEVTYPER of the counters above PMCR.N (up to counter 30) as a guest aware of
     * trap-and-grow would, to take as many as it can (Colton Lewis's third objection,
     * partitioning-and-policies.md §6.5).
     */
    record Greedy(long reprogramEveryNs, boolean asksForMore) implements PmuUsage {
        public static final String KIND = "greedy";

        public static final long DEFAULT_REPROGRAM_EVERY_NS = 10_000_000L;

        public Greedy {
            if (reprogramEveryNs <= 0) {
                throw new IllegalArgumentException("reprogram interval must be positive, was " + reprogramEveryNs);
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean runsOn(GuestOs os) {
            return true;
        }
    }

    /**
     * A Linux guest recording branches with BRBE ({@code perf record -j}), sampling on
     * {@code events}; with {@code freezeOnOverflow} (BRBCR_EL1.FZP) a counter overflow pauses branch
     * recording until the guest's handler has read the records, so any overflow the guest did not
     * cause (a host counter's, without HPMN to separate them) is a blackout window (James Clark,
     * partitioning-and-policies.md §4).
     */
    record Brbe(List<EventRef> events, Sampling sampling, boolean freezeOnOverflow) implements PmuUsage {
        public static final String KIND = "brbe";

        public Brbe {
            events = List.copyOf(events);
            requireNonNull(sampling, "sampling is null");
            if (events.isEmpty()) {
                throw new IllegalArgumentException("BRBE sampling needs at least one event");
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean usesGuestPerf() {
            return true;
        }

        @Override
        public boolean runsOn(GuestOs os) {
            return os == GuestOs.LINUX;
        }
    }

    /** A guest that never touches its PMU. */
    record Idle() implements PmuUsage {
        public static final String KIND = "idle";

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public boolean runsOn(GuestOs os) {
            return true;
        }
    }

    /** Every kind, in the order the documentation lists them. */
    static List<String> kinds() {
        return List.of(
                PerfStat.KIND,
                PerfRecord.KIND,
                NmiWatchdog.KIND,
                WindowsCycleTick.KIND,
                Greedy.KIND,
                Brbe.KIND,
                Idle.KIND);
    }
}
