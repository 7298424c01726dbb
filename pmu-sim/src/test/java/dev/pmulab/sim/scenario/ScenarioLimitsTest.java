package dev.pmulab.sim.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Values the kernel or a tool takes only in whole units, and the limits of the simulator itself:
 * each refused when the file is read, with the rule or the limit in the message, and each limit
 * itself accepted. A value that passes here runs (the field-pair test in integration-tests runs
 * many of them).
 */
final class ScenarioLimitsTest {
    private static final String RUN = "run: {duration: 2s}\n";
    private static final String VM = RUN + "vms:\n  - name: vm0\n    vcpus: 2\n";

    static Stream<Arguments> refused() {
        return Stream.of(
                row(
                        "mux_interval below a millisecond",
                        RUN + "host: {mux_interval: 1500us}\n",
                        "bad.yaml:2:22: host.mux_interval: perf_event_mux_interval_ms takes whole milliseconds (from 1"
                                + " to 2147483647); 1500us is not a whole number of them, and it would not be rounded"),
                row(
                        "mux_interval of 1 ns",
                        RUN + "host: {mux_interval: 1ns}\n",
                        "bad.yaml:2:22: host.mux_interval: perf_event_mux_interval_ms takes whole milliseconds (from 1"
                                + " to 2147483647); 1ns is not a whole number of them, and it would not be rounded"),
                row(
                        "watchdog_thresh in milliseconds",
                        RUN + "host: {nmi_watchdog: true, watchdog_thresh: 1500ms}\n",
                        "bad.yaml:2:45: host.watchdog_thresh: kernel.watchdog_thresh takes whole seconds (from 1 to"
                                + " 60); 1500ms is not a whole number of them, and it would not be rounded"),
                row(
                        "watchdog_thresh above 60 s",
                        RUN + "host: {nmi_watchdog: true, watchdog_thresh: 90s}\n",
                        "bad.yaml:2:45: host.watchdog_thresh: kernel.watchdog_thresh takes whole seconds from 1 to 60"
                                + " (0 turns the detector off: write nmi_watchdog: false); was 90s"),
                row(
                        "watchdog_thresh without the watchdog",
                        RUN + "host: {watchdog_thresh: 5s}\n",
                        "bad.yaml:2:8: host.watchdog_thresh: watchdog_thresh sets the NMI watchdog's period, and this"
                                + " host runs none; add nmi_watchdog: true or leave it out"),
                row(
                        "a guest watchdog's thresh of 1 ns",
                        VM + "    pmu_usage: {kind: nmi-watchdog, thresh: 1ns}\n",
                        "bad.yaml:5:45: vms[0].pmu_usage.thresh: kernel.watchdog_thresh takes whole seconds (from 1"
                                + " to 60); 1ns is not a whole number of them, and it would not be rounded"),
                row(
                        "a guest watchdog's thresh above 60 s",
                        VM + "    pmu_usage: {kind: nmi-watchdog, thresh: 2min}\n",
                        "bad.yaml:5:45: vms[0].pmu_usage.thresh: kernel.watchdog_thresh takes whole seconds from 1 to"
                                + " 60 (0 turns the detector off: leave nmi-watchdog out); was 2min"),
                row(
                        "perf stat -I below 10 ms",
                        VM + "    pmu_usage: {kind: perf-stat, events: [cycles], interval: 5ms}\n",
                        "bad.yaml:5:62: vms[0].pmu_usage.interval: perf stat -I takes whole milliseconds from 10 to"
                                + " 4294967295; was 5ms"),
                row(
                        "perf stat -I in fractions of a ms",
                        VM + "    pmu_usage: {kind: perf-stat, events: [cycles], interval: 10500us}\n",
                        "bad.yaml:5:62: vms[0].pmu_usage.interval: perf stat -I takes whole milliseconds (from 10 to"
                                + " 4294967295); 10500us is not a whole number of them, and it would not be rounded"),
                row(
                        "no event counters without FEAT_HPMN0",
                        RUN + "host: {soc: generic, cpu_overrides: {neoverse-n2:" + " {n: 0}}}\n",
                        "bad.yaml:2:51: host.cpu_overrides.neoverse-n2: a PMU with EL2 and zero event counters needs"
                                + " FEAT_HPMN0 (Arm ARM); no real PMU is built so, and a scenario refuses it (a register"
                                + " script may still study it: docs/pmuscript.md)"),
                row(
                        "FEAT_HPMN0 without FEAT_FGT",
                        RUN + "host: {soc: generic, cpu_overrides: {neoverse-n2:" + " {hpmn0: true}}}\n",
                        "bad.yaml:2:51: host.cpu_overrides.neoverse-n2: FEAT_HPMN0 requires FEAT_FGT (Arm ARM); no real"
                                + " PMU is built so, and a scenario refuses it (a register script may still study it:"
                                + " docs/pmuscript.md)"),
                row(
                        "a rate beyond Q32.32",
                        VM + "    workload: {profile: cpu-bound, rates: {cycles: 1e12}}\n",
                        "bad.yaml:5:52: vms[0].workload.rates.cycles: the simulator counts at most 256000000000 events"
                                + " per second (256 per ns, the range of its Q32.32 event rates); was 1000000000000"),
                row(
                        "a derived rate beyond Q32.32",
                        VM + "    workload: {profile: cpu-bound, rates: {cycles: 1.2e11}}\n",
                        "bad.yaml:5:52: vms[0].workload.rates.cycles: event 0x001b (inst_spec) would count"
                                + " 276000000000 per second, derived from the cpu-bound profile's ratios (or the"
                                + " kernel's) at this clock and instruction rate; the simulator counts at most"
                                + " 256000000000 events per second (256 per ns, the range of its Q32.32 event rates):"
                                + " lower cycles or instructions"),
                row(
                        "more guest threads than vCPUs",
                        VM + "    workload: {profile: cpu-bound, threads: 3}\n",
                        "bad.yaml:5:45: vms[0].workload.threads: the simulator runs a guest's threads one per vCPU (it"
                                + " has no guest scheduler), so threads is at most the VM's vcpus, 2; was 3"),
                row(
                        "VM exits of a host task",
                        RUN + "host_tasks: [{name: t, workload: {profile: cpu-bound," + " exits_per_second: 10}}]\n",
                        "bad.yaml:2:55: host_tasks[0].workload.exits_per_second: unknown field 'exits_per_second' for a"
                                + " host task's workload (it runs in no VM, so it has no VM exits); known fields: profile,"
                                + " threads, load, rates"),
                row(
                        "exits that leave no guest time",
                        VM + "    workload: {profile: cpu-bound, exits_per_second: 3e6}\n",
                        "bad.yaml:5:54: vms[0].workload.exits_per_second: 3000000 VM exits per second, each 306 ns in"
                                + " the host (C2, HVC_ROUND_TRIP) and 450 ns of refill after it (C23, EXIT_INDIRECT),"
                                + " would take 227 % of a vCPU's time; the simulator gives exits at most 90 % and exits"
                                + " with their refill at most 95 %, which is 1256613 exits per second at these costs"),
                row(
                        "exit-heavy at a priced-up C2",
                        VM + "    workload: exit-heavy\ncosts: {C2: 100us}\n",
                        "bad.yaml:5:15: vms[0].workload: 16000 VM exits per second, each 100000 ns in the host (C2,"
                                + " HVC_ROUND_TRIP) and 450 ns of refill after it (C23, EXIT_INDIRECT), would take 161 %"
                                + " of a vCPU's time; the simulator gives exits at most 90 % and exits with their refill"
                                + " at most 95 %, which is 9000 exits per second at these costs"),
                row(
                        "a cost above a second",
                        RUN + "costs: {C1: 1e18}\n",
                        "bad.yaml:2:13: costs.C1: a kernel cost is at most 1s (1000000000 ns) in the simulator; was"
                                + " 1000000000s"),
                row(
                        "a per-unit cost above a second",
                        RUN + "costs: {C12: {base: 1, per_unit: 2s}}\n",
                        "bad.yaml:2:34: costs.C12.per_unit: a kernel cost is at most 1s (1000000000 ns) in the"
                                + " simulator; was 2s"),
                row(
                        "a run past the clock's range",
                        "run: {duration: 4611686018427387905ns}\n",
                        "bad.yaml:1:17: run.duration: '4611686018427387905ns' is too long for the simulator's clock"
                                + " (at most 2^62 ns, about 146 years, so that a time plus an interval still fits its"
                                + " 64-bit ns)"),
                row(
                        "greedy beside Linux perf",
                        VM + "    pmu_usage: [nmi-watchdog, greedy]\n",
                        "bad.yaml:5:31: vms[0].pmu_usage: greedy drives the guest's PMU registers itself, not through"
                                + " the guest kernel's perf; it cannot share the PMU with nmi-watchdog"));
    }

    private static Arguments row(String what, String yaml, String message) {
        return Arguments.of(what, yaml, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedWithTheRuleOrTheLimit(String what, String yaml, String message) {
        assertThatThrownBy(() -> ScenarioLoader.load("bad.yaml", yaml))
                .isInstanceOf(ScenarioException.class)
                .hasMessage(message);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("mux_interval of 1 ms, the sysfs minimum", RUN + "host: {mux_interval: 1ms}\n"),
                Arguments.of(
                        "watchdog_thresh of 60 s, the sysctl maximum",
                        RUN + "host: {nmi_watchdog: true, watchdog_thresh: 60s}\n"),
                Arguments.of(
                        "a guest watchdog_thresh of 1 s", VM + "    pmu_usage: {kind: nmi-watchdog, thresh: 1s}\n"),
                Arguments.of(
                        "perf stat -I 10 ms, perf's minimum",
                        VM + "    pmu_usage: {kind: perf-stat, events: [cycles], interval: 10ms}\n"),
                // cpu-bound: 2 instructions a cycle and 1.15 speculated per retired (WorkloadRates), so
                // at 1.1e11 cycles/s INST_SPEC is 2.53e11/s, under 2.56e11.
                Arguments.of(
                        "a clock just inside Q32.32",
                        VM + "    workload: {profile: cpu-bound, rates: {cycles:" + " 1.1e11}}\n"),
                Arguments.of(
                        "a rate of exactly 256 per ns",
                        VM + "    workload: {profile: cpu-bound, rates: {l1d_cache:" + " 2.56e11}}\n"),
                Arguments.of(
                        "no event counters with FEAT_HPMN0 and FEAT_FGT",
                        RUN + "host: {soc: generic, cpu_overrides: {neoverse-n2: {n: 0, hpmn0: true, fgt: true}}}\n"),
                Arguments.of("as many guest threads as vCPUs", VM + "    workload: {profile: cpu-bound, threads: 2}\n"),
                // 1256613 x (306 + 450) ns = 0.94999943 s a second.
                Arguments.of(
                        "exits and their refill up to 95 % of the time",
                        VM + "    workload: {profile: cpu-bound," + " exits_per_second: 1256613}\n"),
                Arguments.of("a cost of a second", RUN + "costs: {C1: 1s, C12: {base: 1s, per_unit: 1s}}\n"),
                Arguments.of("a run of 2^62 ns", "run: {duration: 4611686018427387904ns}\n"),
                Arguments.of(
                        "several Linux perf users",
                        VM + "    pmu_usage: [nmi-watchdog, {kind: perf-stat, events:"
                                + " [cycles]}, {kind: perf-record, events: [instructions]}]\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void theLimitItselfIsAccepted(String what, String yaml) {
        assertThat(ScenarioLoader.load("ok.yaml", yaml)).isNotNull();
    }
}
