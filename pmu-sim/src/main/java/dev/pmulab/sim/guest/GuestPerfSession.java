package dev.pmulab.sim.guest;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One perf user in a Linux guest ({@code perf stat} or {@code perf record}, with or without
 * {@code -a}), as the guest's perf core sees it: event groups in the order the tool opens them, the
 * context they go to, and how they sample or are read. {@link LinuxGuestPerf} schedules every
 * session of a guest, and its NMI watchdog, on the same counters.
 *
 * @param tool counting or sampling
 * @param groups PMUv3 event numbers per group, leader first, in the order the tool opens them
 * @param scope the CPU context of every guest CPU ({@code -a}) or the workload task's context
 * @param frequency sampling by frequency ({@code -F}, the period re-tuned) rather than by a fixed
 *     period ({@code -c}); false for a counting session
 * @param sample samples per second with {@code frequency}, else events per sample; 0 for counting
 * @param intervalNs {@code perf stat -I}: the tool reads every counter this often; 0 for none
 */
public record GuestPerfSession(
        Tool tool, List<List<Integer>> groups, Scope scope, boolean frequency, long sample, long intervalNs) {

    /** What the tool does with its events. */
    public enum Tool {
        /** {@code perf stat}: counting; the driver still arms each counter at half its range. */
        STAT,
        /** {@code perf record}: sampling, an overflow interrupt per sample. */
        RECORD
    }

    /** Where the tool's events live in the guest kernel. */
    public enum Scope {
        /**
         * {@code -a}: one event per guest CPU in that CPU's context, scheduled whatever runs there
         * (perf_event_open with cpu = N, pid = -1).
         */
        SYSTEM,
        /**
         * {@code -- cmd} or {@code -p}: the events follow the workload's task, one context per
         * task (inherited by its threads), scheduled in and out with it.
         */
        TASK
    }

    public GuestPerfSession {
        requireNonNull(tool, "tool is null");
        requireNonNull(scope, "scope is null");
        groups = groups.stream().map(List::copyOf).toList();
        if (groups.isEmpty() || groups.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("a perf session opens at least one event, and a group has a leader");
        }
        if (tool == Tool.RECORD && sample <= 0) {
            throw new IllegalArgumentException("perf record needs a frequency or a period, was " + sample);
        }
        if (tool == Tool.STAT && (frequency || sample != 0)) {
            throw new IllegalArgumentException("perf stat counts; it does not sample");
        }
        if (intervalNs < 0 || (intervalNs > 0 && tool != Tool.STAT)) {
            throw new IllegalArgumentException("only perf stat reads at an interval (-I), was " + intervalNs);
        }
    }

    /** {@code perf stat}, read at the end or every {@code intervalNs} (0: at the end only). */
    public static GuestPerfSession stat(List<List<Integer>> groups, Scope scope, long intervalNs) {
        return new GuestPerfSession(Tool.STAT, groups, scope, false, 0, intervalNs);
    }

    /** {@code perf record -F hz}. */
    public static GuestPerfSession recordFrequency(List<List<Integer>> groups, Scope scope, long hz) {
        return new GuestPerfSession(Tool.RECORD, groups, scope, true, hz, 0);
    }

    /** {@code perf record -c period}. */
    public static GuestPerfSession recordPeriod(List<List<Integer>> groups, Scope scope, long period) {
        return new GuestPerfSession(Tool.RECORD, groups, scope, false, period, 0);
    }

    /** Every event alone, a group of one each ({@code perf -e a,b}). */
    public static List<List<Integer>> singles(int... events) {
        return java.util.Arrays.stream(events).mapToObj(List::of).toList();
    }
}
