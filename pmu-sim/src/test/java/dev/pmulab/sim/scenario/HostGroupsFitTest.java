package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A host perf group must pass arm_pmu's validate_group (pmu-kvm's {@code GroupValidation}) on every
 * PMU its events are opened on. The host: rk3588 with its A76s given 8 counters, so cpu0-3 (A55)
 * have N = 6 and cpu4-7 (A76) N = 8, each with the cycle counter.
 */
final class HostGroupsFitTest {
    private static final String HOST = "run: {duration: 1s}\n"
            + "host: {soc: rk3588, cpu_overrides: {cortex-a76: {n: 8}}}\n"
            + "host_tasks: [{name: batch, cpus: [0], workload: cpu-bound}]\n";
    /** cycles (the cycle counter) and 8 more events: 8 event counters needed. */
    private static final String NINE = "[[cycles, instructions, branches, branch-misses, l1d_cache,"
            + " l1d_cache_refill, l2d_cache, l2d_cache_refill, 0x17]]";

    private static final String REFUSED = "a group of 9 events cannot fit these CPUs' PMU (6 event counters and the"
            + " cycle counter), so perf_event_open would refuse it; split it";

    private static Scenario load(String session) {
        return ScenarioLoader.load("h.yaml", HOST + "host_perf:\n  - " + session + "\n");
    }

    @Test
    void aGroupThatFitsTheBigCoresIsAcceptedOnThem() {
        // A76: cycles on PMCCNTR, the 8 others on counters 0..7.
        Scenario s = load("{name: big, mode: stat, cpus: 4-7, groups: " + NINE + "}");
        assertThat(s.hostPerf().get(0).groups().get(0).size()).isEqualTo(9);
    }

    @Test
    void theSameGroupSystemWideIsRefusedForTheLittleCores() {
        // A55: 8 events besides cycles, 6 counters. (The reader used to take the largest PMU of the
        // CPUs, 8, and accept it; perf_event_open then failed on cpu0 when the run started.)
        assertThatThrownBy(() -> load("{name: all, mode: stat, groups: " + NINE + "}"))
                .isInstanceOf(ScenarioException.class)
                // Line 5 is the session; "  - {name: all, mode: stat, groups: [" is 37 characters, so
                // the group's own list opens at column 38.
                .hasMessage("h.yaml:5:38: host_perf[0].groups[0]: " + REFUSED);
    }

    @Test
    void aTaskSessionIsCheckedOnTheHostsFirstPmuWhereItsEventsAreOpened() {
        // Task events are opened on the first PMU, the A55s' (N = 6).
        assertThatThrownBy(() -> load("{name: t, mode: stat, scope: task, task: batch, groups: " + NINE + "}"))
                .isInstanceOf(ScenarioException.class)
                // "  - {name: t, mode: stat, scope: task, task: batch, groups: [" is 61 characters.
                .hasMessage("h.yaml:5:62: host_perf[0].groups[0]: " + REFUSED);
        // 7 events with cycles need 6 event counters: they fit the A55s.
        Scenario s = load("{name: t, mode: stat, scope: task, task: batch, groups: [[cycles, instructions,"
                + " branches, branch-misses, l1d_cache, l1d_cache_refill, l2d_cache]]}");
        assertThat(s.hostPerf()).hasSize(1);
    }

    @Test
    void loneEventsAreNotAGroup() {
        // Nine events, each its own group of one: nothing to validate together.
        Scenario s = load("{name: lone, mode: stat, events: [cycles, instructions, branches, branch-misses,"
                + " l1d_cache, l1d_cache_refill, l2d_cache, l2d_cache_refill, 0x17]}");
        assertThat(s.hostPerf().get(0).groups()).hasSize(9);
    }
}
