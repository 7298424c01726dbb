package dev.pmulab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pmulab.sim.scenario.BuiltInScenarios;
import dev.pmulab.sim.scenario.Scenario;
import dev.pmulab.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

final class WallTimeEstimateTest {
    private static final String BASE = """
            name: est
            run: {duration: 2s}
            host:
              cpus: [{core: neoverse-n2, count: 4}]
              hz: 250
            vms:
              - name: vm0
                vcpus: 2
                guest_hz: 100
                pmu_usage: {kind: perf-record, frequency: 1000, events: [cycles, instructions]}
                workload: cpu-bound
            """;

    @Test
    void countsTicksSamplesAndRetunesFromTheScenario() {
        WallTimeEstimate e = WallTimeEstimate.of(ScenarioLoader.load("est.yaml", BASE));
        // Per simulated second: 4 CPUs x 250 Hz = 1000 scheduler ticks; 2 vCPUs x 100 Hz = 200 guest
        // ticks; both vCPUs run all the time (2 threads on 4 CPUs), 2 events each sampled at 1000 Hz:
        // 4000 samples; frequency mode re-tunes 2 events x 100 ticks x 2 vCPUs = 400 times, a quarter
        // of an engine event each (100). Events: 1000 + 200 + 4000 + 100 = 5300/s, x 2 s = 10,600.
        // Accesses: 4000 x 10 + 400 x 5 = 42,000/s, x 2 s = 84,000.
        assertThat(e.simulatedSeconds()).isEqualTo(2.0);
        assertThat(e.eventsPerRun()).isCloseTo(10_600, within(1e-6));
        assertThat(e.accessesPerRun()).isCloseTo(84_000, within(1e-6));
        // Emulated: 10,600 x 1 us + 84,000 x 0.8 us = 77.8 ms; direct: 10,600 x 1 us + 84,000 x 0.2 us = 27.4 ms.
        assertThat(e.wallSeconds(false)).isCloseTo(0.0778, within(1e-9));
        assertThat(e.wallSeconds(true)).isCloseTo(0.0274, within(1e-9));
        assertThat(e.dominant().what()).isEqualTo("vms[0] (vm0) pmu_usage perf-record (1000 Hz, 2 events)");
    }

    @Test
    void aLowerGuestSampleRateLowersTheSamplesAsPerfRecordClampsMinusF() {
        Scenario s = ScenarioLoader.load(
                "est.yaml",
                BASE.replace(
                        "    workload: cpu-bound",
                        "    sysctl: {perf_event_max_sample_rate: 500}\n    workload: cpu-bound"));
        WallTimeEstimate e = WallTimeEstimate.of(s);
        // -F 1000 opened at 500 Hz: 2 vCPUs x 2 events x 500 = 2000 samples/s; ticks and re-tunes as
        // above: 1000 + 200 + 2000 + 100 = 3300 events/s, x 2 s = 6600; accesses 2000 x 10 + 400 x 5
        // = 22,000/s, x 2 s = 44,000.
        assertThat(e.eventsPerRun()).isCloseTo(6_600, within(1e-6));
        assertThat(e.accessesPerRun()).isCloseTo(44_000, within(1e-6));
    }

    @Test
    void aMigrationEveryNanosecondIsNamedAsWhatMakesTheRunLong() {
        Scenario s = ScenarioLoader.load(
                "est.yaml",
                BASE.replace(
                        "    workload: cpu-bound", "    placement: {migrate: {every: 1ns}}\n    workload: cpu-bound"));
        WallTimeEstimate e = WallTimeEstimate.of(s);
        // 2 vCPUs x 1e9 migrations per second x 2 s = 4e9 engine events: over an hour at 1 us each.
        assertThat(e.eventsPerRun()).isGreaterThan(4e9);
        assertThat(e.wallSeconds(true)).isGreaterThan(3600);
        assertThat(e.dominant().what())
                .isEqualTo("vms[0] (vm0) placement.migrate.every 1ns: a migration per vCPU " + "each time");
    }

    @Test
    void aWorkBoundRunLastsTheWorkAtTheVmsRateNotItsLimit() {
        Scenario s = ScenarioLoader.load(
                "est.yaml",
                BASE.replace(
                                "run: {duration: 2s}",
                                "run: {until_work_done: {vm: vm0, instructions: 6e9}, time_limit: 1h}")
                        .replace(
                                "workload: cpu-bound",
                                "workload: {profile: cpu-bound, threads: 1, rates: {instructions: 3e9}}"));
        // One thread at 3e9 instructions/s: 6e9 take 2 s, far below the hour.
        assertThat(WallTimeEstimate.of(s).simulatedSeconds()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void withinAFactorOfTwoOfWhatTheBuiltInsReallyDo() {
        // Engine events and guest PMU accesses of one emulated run, as pmulab bench counted them
        // (deterministic: the same on every machine).
        assertRoughly("flagship", 824_484, 7_264_399);
        assertRoughly("stress-ng-host-measured", 686_930, 6_684_207);
        assertRoughly("guest-perf-stat-dd", 316_888, 4_995_192);
        assertRoughly("no-host-events", 275_417, 2_711_448);
    }

    private static void assertRoughly(String name, double events, double accesses) {
        WallTimeEstimate e = WallTimeEstimate.of(BuiltInScenarios.load(name));
        assertThat(e.eventsPerRun()).as("%s events", name).isBetween(events / 2, events * 2);
        assertThat(e.accessesPerRun()).as("%s accesses", name).isBetween(accesses / 2, accesses * 2);
    }

    @Test
    void durationsReadAsAPersonWouldSayThem() {
        assertThat(WallTimeEstimate.human(3.21)).isEqualTo("3.2 s");
        assertThat(WallTimeEstimate.human(14 * 60)).isEqualTo("14 min");
        assertThat(WallTimeEstimate.human(31 * 3600)).isEqualTo("31.0 h");
        assertThat(WallTimeEstimate.human(12 * 86400)).isEqualTo("12 days");
        assertThat(WallTimeEstimate.count(950)).isEqualTo("950");
        assertThat(WallTimeEstimate.count(12_400)).isEqualTo("12,400");
        assertThat(WallTimeEstimate.count(3.14e6)).isEqualTo("3.1 million");
        assertThat(WallTimeEstimate.count(2.21e10)).isEqualTo("22 billion");
    }
}
