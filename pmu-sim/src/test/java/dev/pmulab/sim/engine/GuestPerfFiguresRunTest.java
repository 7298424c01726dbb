package dev.pmulab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import dev.pmulab.sim.guest.LinuxGuestPerf;
import dev.pmulab.sim.metrics.Breakdown;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.plugin.RunPolicies;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * guest.pmis, guest.perf_samples, guest.perf_throttles and guest.perf_max_sample_rate through the
 * whole engine under the emulated vPMU: one vCPU pinned alone on CPU 0 of two Neoverse-N2 for 1 s,
 * a Linux guest at HZ=250 retiring 10^9 instructions per second of running, with
 * {@code kernel.perf_cpu_time_max_percent} 0 so that {@code perf_sample_event_took} leaves the
 * limits where the sysctls put them (the handlers' trap time, which would lower them, is not what
 * these tests derive).
 */
final class GuestPerfFiguresRunTest {
    private static final String HOST = "run: {duration: 1s}\nhost: {cpus: [{core: neoverse-n2, count: 2}]}\nvms:\n";
    private static final String VM0 = "  - {name: vm0, vcpus: 1, placement: {cpus: [0], pinned: true},"
            + " workload: {profile: cpu-bound, rates: {instructions: 1e9}, exits_per_second: 0,"
            + " context_switches_per_second: 0}, ";

    private record Run(RunResult result, Simulation sim) {
        MetricValues metrics() {
            return result.metrics();
        }

        LinuxGuestPerf perf(int vcpu) {
            return (LinuxGuestPerf) sim.guestModels().get(vcpu);
        }

        double v(Metric m) {
            return metrics().valueOrNaN(m);
        }
    }

    private static Run run(String vms) {
        Simulation sim = new Simulation(
                ScenarioLoader.load("t.yaml", HOST + vms),
                RunPolicies.create(new AbstractModule() {}, List.of(), 1),
                "emulated",
                1);
        RunResult r = sim.run();
        assertThat(r.ok()).as("%s", r.failure()).isTrue();
        return new Run(r, sim);
    }

    /**
     * perf record -c 10,000,000 of instructions: one sample every 10^7 instructions, each its own
     * interrupt (one sampling event, no watchdog). The guest runs at most the 1 s and at least 90 %
     * of it (the handlers' traps take the rest), and its kernel's instructions during the handlers
     * count too (perf's default event counts EL1), a few thousand per handler: so 90 to 100 samples
     * (the 100th at 10^9 instructions only if nothing else ran). Far below max_samples_per_tick (400
     * at 100000 Hz, HZ=250): no throttle, and with the feedback off the rate stays 100000. Every
     * interrupt the handler took found an overflow, so /proc/interrupts' count is the samples'.
     */
    @Test
    void aFixedPeriodSamplesTheWorkOverThePeriodOneInterruptEach() {
        Run r = run(VM0 + "pmu_usage: {kind: perf-record, events: [instructions], period: 10000000},"
                + " sysctl: {perf_cpu_time_max_percent: 0}}\n");
        assertThat(r.v(Metric.GUEST_PERF_SAMPLES)).isBetween(90.0, 100.0);
        assertThat(r.v(Metric.GUEST_PMIS)).isEqualTo(r.v(Metric.GUEST_PERF_SAMPLES));
        assertThat(r.v(Metric.GUEST_PERF_THROTTLES)).isZero();
        assertThat(r.v(Metric.GUEST_PERF_MAX_SAMPLE_RATE)).isEqualTo(100_000);
        // The metrics are the model's own counters, not a second count.
        LinuxGuestPerf perf = r.perf(0);
        assertThat(r.v(Metric.GUEST_PERF_SAMPLES)).isEqualTo(perf.samples());
        assertThat(r.v(Metric.GUEST_PMIS)).isEqualTo(perf.pmis() + perf.spuriousPmis());
        assertThat(perf.spuriousPmis()).isZero();
    }

    /**
     * perf record -c 100,000 under kernel.perf_event_max_sample_rate 1000: max_samples_per_tick =
     * DIV_ROUND_UP(1000, 250) = 4. The event overflows every 100 µs of guest running, 40 times a
     * 4 ms tick if let be; its 4th interrupt of a tick throttles it (__perf_event_account_interrupt)
     * and the next tick unthrottles it (perf_adjust_freq_unthr_context). So every tick interval
     * holds 4 samples and 1 throttle: the 250 intervals of 1 s (from boot to the tick at 4 ms, ...,
     * 996 ms to 1 s) give 1000 samples, 1000 interrupts and 250 throttles, a tick at most either
     * way for the edges. The rate stays 1000: the feedback is off.
     */
    @Test
    void throttlingAtMaxSamplesPerTickCapsSamplesAtFourATick() {
        Run r = run(VM0 + "pmu_usage: {kind: perf-record, events: [instructions], period: 100000},"
                + " sysctl: {perf_event_max_sample_rate: 1000, perf_cpu_time_max_percent: 0}}\n");
        assertThat(r.v(Metric.GUEST_PERF_SAMPLES)).isBetween(996.0, 1004.0);
        assertThat(r.v(Metric.GUEST_PMIS)).isEqualTo(r.v(Metric.GUEST_PERF_SAMPLES));
        assertThat(r.v(Metric.GUEST_PERF_THROTTLES)).isBetween(249.0, 251.0);
        assertThat(r.v(Metric.GUEST_PERF_MAX_SAMPLE_RATE)).isEqualTo(1000);
    }

    /**
     * Two guests: vm0 records at -c 10,000,000 (90 to 100 samples, as above) with its rate sysctl at
     * 5000; vm1 on CPU 1 runs the NMI watchdog only, at thresh 1 s: a period of 5 x 10^9 cycles,
     * more than its 32-bit event holds, so armpmu_event_set_period arms half the range, 2^31 cycles,
     * 0.716 s at the cpu-bound profile's 3 GHz: one PMU interrupt within the run, which writes no
     * sample (the period has not elapsed, and the watchdog writes none anyway). So guest.pmis is
     * vm0's interrupts plus 1, the samples are vm0's, the lowest rate is vm0's 5000 (vm1 keeps
     * 100000). {@code --by vm} gives each VM its own figures.
     */
    @Test
    void figuresSumOverGuestsAndTheRateIsTheLowest() {
        Run r = run(VM0 + "pmu_usage: {kind: perf-record, events: [instructions], period: 10000000},"
                + " sysctl: {perf_event_max_sample_rate: 5000, perf_cpu_time_max_percent: 0}}\n"
                + "  - {name: vm1, vcpus: 1, placement: {cpus: [1], pinned: true},"
                + " pmu_usage: {kind: nmi-watchdog, thresh: 1s}}\n");
        assertThat(r.v(Metric.GUEST_PERF_SAMPLES)).isBetween(90.0, 100.0);
        assertThat(r.v(Metric.GUEST_PMIS)).isEqualTo(r.v(Metric.GUEST_PERF_SAMPLES) + 1);
        assertThat(r.v(Metric.GUEST_PERF_MAX_SAMPLE_RATE)).isEqualTo(5000);
        List<Breakdown.Part> vms = r.result().breakdown().of(Breakdown.By.VM);
        assertThat(vms).extracting(Breakdown.Part::name).containsExactly("vm0", "vm1");
        MetricValues vm0 = vms.get(0).metrics();
        MetricValues vm1 = vms.get(1).metrics();
        assertThat(vm0.valueOrNaN(Metric.GUEST_PERF_SAMPLES)).isEqualTo(r.v(Metric.GUEST_PERF_SAMPLES));
        assertThat(vm0.valueOrNaN(Metric.GUEST_PMIS)).isEqualTo(r.v(Metric.GUEST_PERF_SAMPLES));
        assertThat(vm0.valueOrNaN(Metric.GUEST_PERF_MAX_SAMPLE_RATE)).isEqualTo(5000);
        assertThat(vm1.valueOrNaN(Metric.GUEST_PMIS)).isEqualTo(1);
        assertThat(vm1.valueOrNaN(Metric.GUEST_PERF_SAMPLES)).isZero();
        assertThat(vm1.valueOrNaN(Metric.GUEST_PERF_MAX_SAMPLE_RATE)).isEqualTo(100_000);
    }

    /**
     * --by session: a perf record -c 10,000,000 of instructions (90 to 100 samples, as above) beside
     * a perf stat of cycles, whose counting events interrupt at half their range (2^31 cycles, 0.716
     * s at 3 GHz: at most one interrupt each, no sample). The record session has the VM's samples;
     * the stat session none, and neither is throttled. The PMIs and the rate are the VM's only.
     */
    @Test
    void bySessionSplitsTheSamplesAndThrottles() {
        Run r = run(VM0 + "pmu_usage: [{kind: perf-record, events: [instructions], period: 10000000},"
                + " {kind: perf-stat, events: [cycles]}]}\n");
        List<Breakdown.Part> sessions = r.result().breakdown().of(Breakdown.By.SESSION);
        assertThat(sessions).extracting(Breakdown.Part::name).containsExactly("vm0/perf-record#0", "vm0/perf-stat#1");
        MetricValues record = sessions.get(0).metrics();
        MetricValues stat = sessions.get(1).metrics();
        assertThat(record.valueOrNaN(Metric.GUEST_PERF_SAMPLES))
                .isEqualTo(r.v(Metric.GUEST_PERF_SAMPLES))
                .isBetween(90.0, 100.0);
        assertThat(stat.valueOrNaN(Metric.GUEST_PERF_SAMPLES)).isZero();
        assertThat(record.valueOrNaN(Metric.GUEST_PERF_THROTTLES)).isZero();
        assertThat(stat.valueOrNaN(Metric.GUEST_PERF_THROTTLES)).isZero();
        assertThat(record.has(Metric.GUEST_PMIS)).isFalse();
        assertThat(record.has(Metric.GUEST_PERF_MAX_SAMPLE_RATE)).isFalse();
    }

    /** A guest without Linux perf (nothing in pmu_usage): no /proc/interrupts line to predict, so n/a. */
    @Test
    void aGuestWithoutLinuxPerfHasNoFigures() {
        Run r = run(VM0 + "pmu_usage: idle}\n");
        assertThat(r.metrics().has(Metric.GUEST_PMIS)).isFalse();
        assertThat(r.metrics().has(Metric.GUEST_PERF_SAMPLES)).isFalse();
        assertThat(r.metrics().has(Metric.GUEST_PERF_THROTTLES)).isFalse();
        assertThat(r.metrics().has(Metric.GUEST_PERF_MAX_SAMPLE_RATE)).isFalse();
    }
}
