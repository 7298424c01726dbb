package dev.pmulab.kvm.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** perf_sample_event_took and the throttle threshold, with numbers derived by hand. */
final class PerfSampleLimitsTest {
    @Test
    void defaultsAtHz250() {
        PerfSampleLimits l = new PerfSampleLimits(PerfSysctls.DEFAULTS, 250);
        // DIV_ROUND_UP(100,000, 250) = 400 per tick; 10^9 / 100,000 = 10,000 ns; 25 % of it = 2,500 ns.
        assertThat(l.maxSampleRate()).isEqualTo(100_000);
        assertThat(l.maxSamplesPerTick()).isEqualTo(400);
        assertThat(l.samplePeriodNs()).isEqualTo(10_000);
        assertThat(l.sampleAllowedNs()).isEqualTo(2_500);
        // At HZ=300: DIV_ROUND_UP(100,000, 300) = 334.
        assertThat(new PerfSampleLimits(PerfSysctls.DEFAULTS, 300).maxSamplesPerTick())
                .isEqualTo(334);
    }

    @Test
    void throttlingStartsAtTheMaxSamplesPerTickThInterrupt() {
        PerfSampleLimits l = new PerfSampleLimits(new PerfSysctls(1000, 25), 250);
        // DIV_ROUND_UP(1000, 250) = 4: the 4th interrupt of a tick throttles, the 3rd does not.
        assertThat(l.maxSamplesPerTick()).isEqualTo(4);
        assertThat(l.throttles(3)).isFalse();
        assertThat(l.throttles(4)).isTrue();
    }

    @Test
    void slowHandlersLowerTheRateByTheKernelsArithmetic() {
        PerfSampleLimits l = new PerfSampleLimits(PerfSysctls.DEFAULTS, 250);
        PerfSampleLimits.Cpu cpu = l.newCpu();
        // 100 us handlers. running_len after n samples: r += 100,000 - r/128; the average r/128
        // first exceeds 2,500 at the 4th: r = 100,000; 199,219 (100,000 - 781 + 100,000);
        // 297,663 (199,219 - 1,556 + 100,000); 395,338 (297,663 - 2,325 + 100,000) -> 3,088 > 2,500.
        assertThat(cpu.sampleEventTook(100_000)).isFalse();
        assertThat(cpu.sampleEventTook(100_000)).isFalse();
        assertThat(cpu.sampleEventTook(100_000)).isFalse();
        assertThat(cpu.sampleEventTook(100_000)).isTrue();
        assertThat(cpu.runningSampleLength()).isEqualTo(395_338);
        // avg 3,088 + 3,088 / 4 = 3,860 allowed; budget TICK_NSEC / 100 * 25 = 1,000,000 ns per
        // tick; 1,000,000 / 3,860 = 259 samples per tick; rate 259 * 250 = 64,750 Hz;
        // period 10^9 / 64,750 = 15,444 ns.
        assertThat(l.sampleAllowedNs()).isEqualTo(3_860);
        assertThat(l.maxSamplesPerTick()).isEqualTo(259);
        assertThat(l.maxSampleRate()).isEqualTo(64_750);
        assertThat(l.samplePeriodNs()).isEqualTo(15_444);
        assertThat(l.lowerings()).isEqualTo(1);
        // 5th: 395,338 - 3,088 + 100,000 = 492,250, average 3,845 <= 3,860: no change.
        assertThat(cpu.sampleEventTook(100_000)).isFalse();
        assertThat(l.maxSamplesPerTick()).isEqualTo(259);
    }

    @Test
    void aHandlerLongerThanTheTickBudgetLeavesOneSamplePerTick() {
        PerfSampleLimits l = new PerfSampleLimits(PerfSysctls.DEFAULTS, 250);
        PerfSampleLimits.Cpu cpu = l.newCpu();
        // One 2 s handler: running 2e9, average 15,625,000 > 2,500; 1.25x = 19,531,250, not below
        // the 1,000,000 ns budget: max_samples_per_tick = 1, rate 250 Hz (the sysctl's floor at HZ).
        assertThat(cpu.sampleEventTook(2_000_000_000L)).isTrue();
        assertThat(l.maxSamplesPerTick()).isEqualTo(1);
        assertThat(l.maxSampleRate()).isEqualTo(250);
        assertThat(l.throttles(1))
                .as("the first interrupt of a tick already throttles")
                .isTrue();
    }

    @Test
    void cpuTimeMaxPercentOf0Or100TurnsTheFeedbackOff() {
        for (int percent : new int[] {0, 100}) {
            PerfSampleLimits l = new PerfSampleLimits(new PerfSysctls(100_000, percent), 250);
            assertThat(l.sampleAllowedNs()).isZero();
            assertThat(l.newCpu().sampleEventTook(1_000_000_000L)).isFalse();
            assertThat(l.maxSampleRate()).isEqualTo(100_000);
        }
    }

    @Test
    void sysctlValuesOutsideTheirRangesAreRefused() {
        assertThatThrownBy(() -> new PerfSysctls(0, 25)).hasMessageContaining("perf_event_max_sample_rate");
        assertThatThrownBy(() -> new PerfSysctls(1000, 101)).hasMessageContaining("perf_cpu_time_max_percent");
    }
}
