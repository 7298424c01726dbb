package dev.pmulab.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.AbstractModule;
import dev.pmulab.sim.guest.LinuxGuestPerf;
import dev.pmulab.sim.metrics.Metric;
import dev.pmulab.sim.metrics.MetricValues;
import dev.pmulab.sim.plugin.RunPolicies;
import dev.pmulab.sim.scenario.ScenarioLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Linux guest whose {@code kernel.perf_event_max_sample_rate} is already lower than perf record's
 * {@code -F} when the run starts ({@code vms[].sysctl}), through the whole engine under the
 * emulated vPMU: one vCPU pinned alone on CPU 0 of two Neoverse-N2 for 1 s, the guest at HZ=250.
 */
final class GuestPerfSysctlRunTest {
    private static final String VM = "run: {duration: 1s}\nhost: {cpus: [{core: neoverse-n2, count: 2}]}\nvms:\n"
            + "  - {name: vm0, vcpus: 1, placement: {cpus: [0], pinned: true}, ";

    private record Run(RunResult result, LinuxGuestPerf perf) {}

    private static Run run(String fields) {
        Simulation sim = new Simulation(
                ScenarioLoader.load("t.yaml", VM + fields + "}\n"),
                RunPolicies.create(new AbstractModule() {}, List.of(), 1),
                "emulated",
                1);
        RunResult r = sim.run();
        assertThat(r.ok()).as("%s", r.failure()).isTrue();
        return new Run(r, (LinuxGuestPerf) sim.guestModels().get(0));
    }

    private static MetricValues withoutRate(MetricValues m) {
        MetricValues.Builder b = MetricValues.builder();
        m.asMap().forEach(b::put);
        return b.notApplicable(Metric.GUEST_PERF_MAX_SAMPLE_RATE).build();
    }

    private static final String RECORD_4K = "pmu_usage: {kind: perf-record, events: [instructions], frequency: 4000}";

    /**
     * perf record -F 4000 under perf_event_max_sample_rate 1000: record_opts__config_freq opens the
     * event at 1000 Hz. max_samples_per_tick = DIV_ROUND_UP(1000, 250) = 4, so the event is
     * throttled at its 4th interrupt of a tick and no tick holds more than 4 samples: at most 4 x
     * (250 ticks + the partial one before the first) = 1004 in 1 s. Frequency mode re-tunes the
     * period towards 1000 samples per second of running; the vCPU runs over 90 % of the second
     * (the traps of the handlers take the rest), so at least 900. Without the sysctl the same -F
     * 4000 gets at least 3600 samples (max_samples_per_tick 400 never throttles): about 4 times
     * more.
     */
    @Test
    void perfRecordAt4000HzUnderARateOf1000SamplesAtAbout1000Hz() {
        Run lowered = run(RECORD_4K + ", sysctl: {perf_event_max_sample_rate: 1000}");
        assertThat(lowered.perf().requestedFrequency()).isEqualTo(4000);
        assertThat(lowered.perf().sampleFrequency()).isEqualTo(1000);
        assertThat(lowered.perf().samples()).isBetween(900L, 1004L);
        assertThat(lowered.perf().throttles()).isPositive();

        Run defaults = run(RECORD_4K);
        assertThat(defaults.perf().sampleFrequency()).isEqualTo(4000);
        assertThat(defaults.perf().samples()).isBetween(3600L, 4004L);
        assertThat(defaults.perf().throttles()).isZero();
        assertThat((double) defaults.perf().samples() / lowered.perf().samples())
                .isBetween(3.6, 4.45);
    }

    /**
     * perf stat's counting events (an interrupt at half the 32-bit range) and the NMI watchdog's
     * fixed period neither take -F nor come near 4 interrupts a tick: the same run to the last
     * metric with and without a lowered rate, but for guest.perf_max_sample_rate, which reports the
     * sysctl itself (1000, and the default 100000: a handler with a few traps does not lower it).
     */
    @Test
    void perfStatAndTheWatchdogAreUnaffected() {
        String users = "pmu_usage: [nmi-watchdog, {kind: perf-stat, events: [cycles, instructions]}]";
        Run lowered = run(users + ", sysctl: {perf_event_max_sample_rate: 1000}");
        Run defaults = run(users);
        assertThat(lowered.result().metrics().valueOrNaN(Metric.GUEST_PERF_MAX_SAMPLE_RATE))
                .isEqualTo(1000);
        assertThat(defaults.result().metrics().valueOrNaN(Metric.GUEST_PERF_MAX_SAMPLE_RATE))
                .isEqualTo(100_000);
        assertThat(withoutRate(lowered.result().metrics()))
                .isEqualTo(withoutRate(defaults.result().metrics()));
        assertThat(lowered.result().guestTrapsByRegister())
                .isEqualTo(defaults.result().guestTrapsByRegister());
        assertThat(lowered.perf().requestedFrequency()).isZero();
        assertThat(lowered.perf().throttles()).isZero();
    }
}
